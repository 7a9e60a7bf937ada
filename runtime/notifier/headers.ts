// The HTTP headers and body of a callback. A relayed message (callback.relay present) is another
// DFSP's request passed on as its sender wrote it: Content-Type, Accept, Date, the FSPIOP headers
// (signature included) and the exact body text, so an end-to-end FSPIOP-Signature still verifies
// and a 1.x message stays 1.x. Only the headers Mojaloop's own services change are changed (see
// relayedHeaders). A hub-originated message is rewritten per FSPIOP §1.6: FSPIOP-Source = hub,
// FSPIOP-Destination = recipient, media types of the configured version, FSPIOP-URI /
// FSPIOP-HTTP-Method of this hop, no DFSP signature. In both cases Accept goes on requests only,
// and Content-Length is recomputed from the body actually sent.

import type { Callback, CallbackMethod, FspiopResource } from '../../actors/callback.ts';

/**
 * Headers of a relayed request that are forwarded (lower-case names), besides every FSPIOP-*
 * header (FSPIOP-Proxy and any the API adds included). Hop-by-hop and transport headers (Host,
 * Content-Length, Connection) and credentials (Authorization) are not the sender's message.
 */
export const RELAYED_HEADERS: readonly string[] = [
  'content-type',
  'accept',
  'date',
  'traceparent',
  'tracestate',
  'x-forwarded-for',
];

function isRelayed(name: string): boolean {
  return name.startsWith('fspiop-') || RELAYED_HEADERS.includes(name);
}

export type HeaderOptions = {
  readonly hubName: string;
  /** Media-type version of hub-originated messages when callback.version is absent; `1.0`. */
  readonly defaultVersion?: string;
  readonly nowMs: number;
};

/** The FSPIOP default for hub-originated messages (DEFAULT_API_VERSIONS); FX exists only in 2.0. */
export const DEFAULT_VERSION = '1.0';
const FX_DEFAULT_VERSION = '2.0';

export function versionFor(callback: Callback, defaultVersion = DEFAULT_VERSION): string {
  if (callback.version !== undefined) return callback.version;
  const fx = callback.resource === 'fxQuotes' || callback.resource === 'fxTransfers';
  return fx ? FX_DEFAULT_VERSION : defaultVersion;
}

export function mediaType(resource: FspiopResource, version: string, iso = false): string {
  return `application/vnd.interoperability.${iso ? 'iso20022.' : ''}${resource}+json;version=${version}`;
}

/** Accept goes on requests only; a PUT or PATCH is a callback or a notification. */
export function carriesAccept(method: CallbackMethod): boolean {
  return method === 'GET' || method === 'POST' || method === 'DELETE';
}

/**
 * The body text to send: the relayed body byte for byte, else the hub's body as JSON. Throws on a
 * body JSON cannot represent (a bigint: money must be an FSPIOP amount string by now).
 */
export function renderBody(callback: Callback): string | undefined {
  if (callback.relay?.body !== undefined) return callback.relay.body;
  if (callback.body === undefined) return undefined;
  return JSON.stringify(callback.body);
}

export function buildHeaders(
  callback: Callback,
  body: string | undefined,
  options: HeaderOptions,
): Record<string, string> {
  const headers = callback.relay
    ? relayedHeaders(callback, callback.relay.headers, options)
    : hubHeaders(callback, options);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body, 'utf8'));
  return headers;
}

/**
 * The sender's headers, changed only where Mojaloop's services change them:
 * - Accept is dropped on PUT (central-services-shared src/util/headers/transformer.js
 *   transformHeaders: "remove the Accept header on all PUT requests"; quoting-service
 *   forwardQuoteUpdate generates PUT headers with noAccept);
 * - FSPIOP-Destination is the receiver (transformHeaders sets it to the destination FSP; the
 *   account-lookup-service GetPartiesService.overrideDestinationHeader sets it to each owner the
 *   oracle found on a GET /parties sent without one);
 * - FSPIOP-HTTP-Method is the method of this hop when present (transformHeaders);
 * - on transfers FSPIOP-URI and FSPIOP-HTTP-Method are always those of this hop (ml-api-adapter
 *   src/lib/headers.js createCallbackHeaders); elsewhere FSPIOP-URI passes as sent.
 * Content-Type, Date, FSPIOP-Source and FSPIOP-Signature are kept as written: transformHeaders
 * rewrites Content-Type and drops the signature only when the hub is the source.
 */
function relayedHeaders(
  callback: Callback,
  original: Readonly<Record<string, string>>,
  options: HeaderOptions,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(original)) {
    const lower = name.toLowerCase();
    if (isRelayed(lower)) headers[lower] = value;
  }
  if (!carriesAccept(callback.method)) delete headers['accept'];
  headers['fspiop-destination'] = callback.to;
  const transfers = callback.resource === 'transfers';
  if (transfers || headers['fspiop-http-method'] !== undefined) {
    headers['fspiop-http-method'] = callback.method;
  }
  if (transfers) headers['fspiop-uri'] = callback.path;
  headers['date'] ??= new Date(options.nowMs).toUTCString();
  return headers;
}

function hubHeaders(callback: Callback, options: HeaderOptions): Record<string, string> {
  const version = versionFor(callback, options.defaultVersion);
  const headers: Record<string, string> = {
    'content-type': mediaType(callback.resource, version, callback.iso === true),
    date: new Date(options.nowMs).toUTCString(),
    'fspiop-source': options.hubName,
    'fspiop-destination': callback.to,
    'fspiop-uri': callback.path,
    'fspiop-http-method': callback.method,
  };
  if (carriesAccept(callback.method)) {
    headers['accept'] = mediaType(
      callback.resource,
      version.split('.')[0] ?? version,
      callback.iso === true,
    );
  }
  return headers;
}
