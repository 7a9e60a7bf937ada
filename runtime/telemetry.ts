// OpenTelemetry through its API only: a span per actor batch and per HTTP request (the latter in
// gateway/http-spans.ts), with the W3C trace context a DFSP sent as the parent. Without an SDK
// registered (the default) the API is a no-op costing next to nothing; a deployment that wants
// traces registers an SDK and an exporter before starting mkondo (node --import <its setup>).

import { SpanStatusCode, trace } from '@opentelemetry/api';

export const tracer = trace.getTracer('mkondo');

/** Runs `work` inside a span named `name`; errors mark the span and propagate. */
export async function inSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
