// What a relayed message keeps of its original request: the FSPIOP headers (lower-case names)
// and the exact body text. The notifier forwards them unchanged so that end-to-end signatures
// (FSPIOP-Signature over headers and body) stay valid.

import type { Context } from 'hono';

const RELAYED = new Set([
  'content-type',
  'accept',
  'date',
  'traceparent',
  'tracestate',
  'x-forwarded-for',
]);

export type RelayCapture = {
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
};

function relayed(name: string): boolean {
  return RELAYED.has(name) || name.startsWith('fspiop-');
}

/** The relayable headers of a request, names lower-cased. */
export function relayHeaders(c: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (relayed(lower)) headers[lower] = value;
  });
  return headers;
}

/** Headers plus the raw body text, ready for `Callback.relay`. */
export function captureRelay(c: Context, body?: string): RelayCapture {
  const headers = relayHeaders(c);
  return body === undefined ? { headers } : { headers, body };
}
