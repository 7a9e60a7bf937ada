// A server span around each HTTP request of the FSPIOP and Admin APIs, whose parent is the
// traceparent the caller sent (runtime/telemetry.ts explains the no-op default).

import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';
import { tracer } from '../runtime/telemetry.ts';

/** A Hono middleware that wraps each request in a server span (parent: its traceparent). */
export function httpSpans(api: string): MiddlewareHandler {
  return async (c, next) => {
    const carrier = { traceparent: c.req.header('traceparent') ?? '' };
    const parent = propagation.extract(context.active(), carrier);
    await tracer.startActiveSpan(
      `${api} ${c.req.method}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path },
      },
      parent,
      async (span) => {
        try {
          await next();
          span.setAttribute('http.response.status_code', c.res.status);
          if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } finally {
          span.end();
        }
      },
    );
  };
}
