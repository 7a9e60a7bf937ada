// The OpenTelemetry SDK itself: a tracer provider with a batch processor, async context and W3C
// propagation. Loaded by ops/telemetry.ts only when tracing is asked for, so a process without
// OTEL_EXPORTER_OTLP_ENDPOINT never loads these packages.

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';

import type { Telemetry } from './telemetry.ts';

/** Registers a tracer provider exporting to `exporter`, W3C propagation and async context. */
export function installTracing(
  exporter: SpanExporter,
  options: { serviceName: string; scheduledDelayMillis: number },
): Telemetry {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter, scheduledDelayMillis: options.scheduledDelayMillis }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.forceFlush().catch(() => undefined);
      await provider.shutdown();
    },
  };
}

/** The OTLP/HTTP exporter, configured by its OTEL_EXPORTER_OTLP_* variables. */
export function otlpExporter(): SpanExporter {
  return new OTLPTraceExporter();
}
