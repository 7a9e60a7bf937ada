// The HTTP headers and body of a callback. A relayed message (callback.relay present) is another
// DFSP's request passed on: its FSPIOP headers and its exact body text travel unchanged, so an
// end-to-end FSPIOP-Signature still verifies. A hub-originated message is rewritten per FSPIOP
// §1.6: FSPIOP-Source = hub name, FSPIOP-Destination = recipient, media types built from the
// resource and the configured version, FSPIOP-URI / FSPIOP-HTTP-Method of this hop, no signature.
// In both cases Accept only goes on requests (GET, POST, DELETE), never on PUT or PATCH callbacks,
// and Content-Length is recomputed from the body actually sent.

import type { Callback, CallbackMethod, FspiopResource } from '../../actors/callback.ts';
import { contentTypeForIds, negotiatedContentType } from '../../schema/fspiop/versions.ts';

/** Headers of a relayed request that are forwarded unchanged (lower-case names). */
export const RELAYED_HEADERS: readonly string[] = [
  'content-type',
  'accept',
  'date',
  'fspiop-source',
  'fspiop-destination',
  'fspiop-signature',
  'fspiop-uri',
  'fspiop-http-method',
  'fspiop-encryption',
  'traceparent',
  'tracestate',
  'x-forwarded-for',
];

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

export function mediaType(resource: FspiopResource, version: string): string {
  return `application/vnd.interoperability.${resource}+json;version=${version}`;
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
 * Version mediation: an answer is labelled with a version its requester reads; a forwarded
 * request whose ids are ULIDs with 1.x headers is labelled 2.0, where such ids are valid.
 */
function mediatedContentType(callback: Callback, contentType: string): string {
  if (callback.requesterAccept !== undefined) {
    return negotiatedContentType(contentType, callback.requesterAccept);
  }
  if (callback.method === 'PUT' || callback.method === 'PATCH') return contentType;
  return contentTypeForIds(contentType, callback.path, callback.params);
}

function relayedHeaders(
  callback: Callback,
  original: Readonly<Record<string, string>>,
  options: HeaderOptions,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(original)) {
    const lower = name.toLowerCase();
    if (RELAYED_HEADERS.includes(lower)) headers[lower] = value;
  }
  if (!carriesAccept(callback.method)) delete headers['accept'];
  const contentType = headers['content-type'];
  if (contentType !== undefined) {
    const mediated = mediatedContentType(callback, contentType);
    // A request relabelled 2.0 asks for a 2.0 answer too (receivers negotiate on Accept); the
    // hub relabels that answer for the requester on the way back.
    if (mediated !== contentType && headers['accept'] !== undefined && !callback.requesterAccept) {
      headers['accept'] = mediaType(callback.resource, '2.0');
    }
    headers['content-type'] = mediated;
  }
  // FSPIOP-URI and FSPIOP-HTTP-Method describe this hop; a sender's value that does not (a
  // placeholder, another path) is corrected rather than passed on as a false statement.
  if (headers['fspiop-uri'] !== undefined) headers['fspiop-uri'] = callback.path;
  if (headers['fspiop-http-method'] !== undefined) headers['fspiop-http-method'] = callback.method;
  // Relayed headers are the sender's: a GET /parties sent without FSPIOP-Destination (optional
  // there, §1.2) reaches the owner without one, as sent. Naming it would also send the payee a
  // header its sender never signed.
  headers['date'] ??= new Date(options.nowMs).toUTCString();
  return headers;
}

function hubHeaders(callback: Callback, options: HeaderOptions): Record<string, string> {
  const version = versionFor(callback, options.defaultVersion);
  const headers: Record<string, string> = {
    'content-type': mediaType(callback.resource, version),
    date: new Date(options.nowMs).toUTCString(),
    'fspiop-source': options.hubName,
    'fspiop-destination': callback.to,
    'fspiop-uri': callback.path,
    'fspiop-http-method': callback.method,
  };
  if (carriesAccept(callback.method)) {
    headers['accept'] = mediaType(callback.resource, version.split('.')[0] ?? version);
  }
  return headers;
}
