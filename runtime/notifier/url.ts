// Where a callback goes: the destination's registered endpoint for callback.endpointType, with its
// `{{token}}` placeholders filled from callback.params (each value URL-encoded as one path
// segment). Two shapes of endpoint exist, as in Mojaloop:
// - full templates (TRANSFER_PUT = `<base>/transfers/{{transferId}}`, PARTIES_GET, ...): the URL
//   is the template with its tokens substituted; callback.path is only the FSPIOP-URI header;
// - base URLs (QUOTES, BULK_QUOTES, FX_QUOTES, TRX_REQ_SERVICE, AUTHORIZATIONS, the legacy generic
//   FSPIOP_CALLBACK_URL and the third-party TPP one): the URL is `<template with tokens
//   substituted> + callback.path` (a trailing '/' of the base is dropped), which is how
//   quoting-service and transaction-requests-service build `${endpoint}/quotes/${id}`.
// A token without a value in callback.params is an error (never rendered empty, unlike Mustache):
// delivering to a wrong URL is worse than not delivering.

import type { Callback } from '../../actors/callback.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';

/** Endpoint types whose registered value is a base URL to which callback.path is appended. */
export const BASE_URL_ENDPOINT_TYPES: ReadonlySet<string> = new Set([
  'FSPIOP_CALLBACK_URL',
  'FSPIOP_CALLBACK_URL_QUOTES',
  'FSPIOP_CALLBACK_URL_BULK_QUOTES',
  'FSPIOP_CALLBACK_URL_FX_QUOTES',
  'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE',
  'FSPIOP_CALLBACK_URL_AUTHORIZATIONS',
  'FSPIOP_CALLBACK_URL_TPP_REQ_SERVICE',
]);

export type UrlResolution =
  | { readonly kind: 'url'; readonly url: string }
  /** The destination is not in the participant directory. */
  | { readonly kind: 'no_participant' }
  /** The destination has no endpoint of callback.endpointType registered. */
  | { readonly kind: 'no_endpoint' }
  /** The template names a token that callback.params does not provide. */
  | { readonly kind: 'missing_param'; readonly token: string }
  /** The rendered value is not an absolute http(s) URL. */
  | { readonly kind: 'invalid_url'; readonly url: string };

const TOKEN = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Substitutes every `{{token}}` of `template`, URL-encoding the values; reports a missing one. */
export function renderTemplate(
  template: string,
  params: Readonly<Record<string, string>>,
): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly token: string } {
  let missing: string | undefined;
  const text = template.replace(TOKEN, (_match, token: string) => {
    const value = Object.hasOwn(params, token) ? params[token] : undefined;
    if (value === undefined) {
      missing ??= token;
      return '';
    }
    return encodeURIComponent(value);
  });
  return missing === undefined ? { ok: true, text } : { ok: false, token: missing };
}

export function resolveUrl(
  callback: Callback,
  entry: ParticipantDirectoryEntry | undefined,
): UrlResolution {
  if (entry === undefined) return { kind: 'no_participant' };
  const template = Object.hasOwn(entry.endpoints, callback.endpointType)
    ? entry.endpoints[callback.endpointType]
    : undefined;
  if (template === undefined || template.trim() === '') return { kind: 'no_endpoint' };
  const rendered = renderTemplate(template.trim(), callback.params);
  if (!rendered.ok) return { kind: 'missing_param', token: rendered.token };
  const url = BASE_URL_ENDPOINT_TYPES.has(callback.endpointType)
    ? rendered.text.replace(/\/+$/, '') + callback.path
    : rendered.text;
  return isHttpUrl(url) ? { kind: 'url', url } : { kind: 'invalid_url', url };
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const protocol = new URL(text).protocol;
  return protocol === 'http:' || protocol === 'https:';
}
