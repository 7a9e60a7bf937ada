// Spans of the runtime beyond HTTP (gateway/http-spans.ts): the trace context a command goes out
// with, and one span per callback delivery in the notifier, child of the context its OUT message
// carries. Through the API only: no-ops until ops/telemetry.ts registers the SDK.

import { context, propagation, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Callback } from '../actors/callback.ts';
import { tracer } from './telemetry.ts';

/** The W3C traceparent of the active span (the HTTP request being served), if tracing is on. */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'];
}

/** Opens the span of one callback's delivery (all its attempts), child of `traceparent`. */
export function startCallbackSpan(callback: Callback, traceparent: string | undefined): Span {
  const parent = propagation.extract(context.active(), { traceparent: traceparent ?? '' });
  return tracer.startSpan(
    `callback ${callback.method} ${callback.resource}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'mkondo.dfsp': callback.to,
        'http.request.method': callback.method,
        'mkondo.callback_path': callback.path,
        'mkondo.endpoint_type': callback.endpointType,
      },
    },
    parent,
  );
}

/** Ends a callback span with its outcome (`delivered`, `refused`, `failed`, …). */
export function endCallbackSpan(
  span: Span,
  outcome: { readonly kind: string; readonly status?: number; readonly attempts?: number },
): void {
  span.setAttribute('mkondo.outcome', outcome.kind);
  if (outcome.status !== undefined) span.setAttribute('http.response.status_code', outcome.status);
  if (outcome.attempts !== undefined) span.setAttribute('mkondo.attempts', outcome.attempts);
  if (outcome.kind !== 'delivered') span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
