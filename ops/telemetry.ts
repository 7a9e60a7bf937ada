// The OpenTelemetry SDK, configured by the standard OTEL_* variables and off unless an OTLP
// endpoint is set: OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) turns on
// an OTLP/HTTP exporter (its headers, timeout and the like from the exporter's own OTEL_EXPORTER_OTLP_*
// variables), OTEL_SERVICE_NAME names the service (default `mkondo-<roles>`), OTEL_BSP_SCHEDULE_DELAY
// sets the batch delay, OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none keep it off. The code
// itself only uses the API (runtime/telemetry.ts), which is a no-op until this registers a provider.

import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';

export type Telemetry = { shutdown(): Promise<void> };

/** True when the OTEL_* variables ask for traces to be exported. */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint) return false;
  return env['OTEL_SDK_DISABLED'] !== 'true' && env['OTEL_TRACES_EXPORTER'] !== 'none';
}

/** Starts the SDK with an OTLP exporter when the environment asks for it; else undefined. */
export function startTelemetry(env: NodeJS.ProcessEnv, defaultName: string): Telemetry | undefined {
  if (!tracingWanted(env)) return undefined;
  const delay = Number(env['OTEL_BSP_SCHEDULE_DELAY'] ?? 5000);
  return installTracing(new OTLPTraceExporter(), {
    serviceName: env['OTEL_SERVICE_NAME'] || defaultName,
    scheduledDelayMillis: Number.isFinite(delay) && delay >= 0 ? delay : 5000,
  });
}

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
