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

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
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

// Callback and oracle targets (README "Security"): a DFSP or an operator must not be able to
// point the hub at itself, at the cluster's private services or at a cloud metadata service. URLs
// are checked when registered (literal addresses) and again when delivered (every address the
// name resolves to, at connect time, so a name cannot be re-pointed between check and use).

export type TargetRange = 'loopback' | 'private' | 'link-local';
export type AddressClass = 'public' | TargetRange | 'metadata' | 'reserved';

const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

function ipv4Class(ip: string): AddressClass {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  if (METADATA_ADDRESSES.has(ip)) return 'metadata';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
  if (a === 169 && b === 254) return 'link-local';
  if (a === 0 || a >= 224) return 'reserved';
  return 'public';
}

/** The range an IP address (v4 or v6, as node prints them) belongs to. */
export function addressClass(ip: string): AddressClass {
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (mapped) return ipv4Class(mapped);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(lower)) return ipv4Class(lower);
  if (METADATA_ADDRESSES.has(lower)) return 'metadata';
  if (lower === '::1') return 'loopback';
  if (lower === '::') return 'reserved';
  if (/^f[cd]/.test(lower)) return 'private';
  if (/^fe[89ab]/.test(lower)) return 'link-local';
  if (/^ff/.test(lower)) return 'reserved';
  return 'public';
}

/** Why an address may not be called, or undefined when it may. Metadata never may. */
export function refusedAddress(ip: string, allowed: readonly TargetRange[]): string | undefined {
  const range = addressClass(ip);
  if (range === 'public') return undefined;
  if (range !== 'metadata' && range !== 'reserved' && allowed.includes(range)) return undefined;
  return `${ip} is a ${range} address`;
}

/**
 * Why a registered endpoint or oracle URL is refused, or undefined. Templates' `{{tokens}}` are
 * filled with a placeholder first. Host names are judged when delivering, once resolved.
 */
export function refusedTarget(
  template: string,
  allowed: readonly TargetRange[],
): string | undefined {
  const text = template.trim().replace(TOKEN, 'x');
  if (!URL.canParse(text)) return 'not an absolute URL';
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not an http(s) URL';
  if (url.username !== '' || url.password !== '') return 'credentials do not belong in a URL';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return allowed.includes('loopback') ? undefined : `${host} is a loopback address`;
  }
  if (/^[\d.]+$/.test(host) || host.includes(':')) return refusedAddress(host, allowed);
  return undefined;
}

/** A URL for logs: no credentials, no query values, party identifiers masked. */
export function redactUrl(text: string): string {
  const masked = (path: string) =>
    path.replace(/\/(parties|participants)\/([^/]+)\/[^/?]+/g, '/$1/$2/***');
  if (!URL.canParse(text)) return masked(text.split('?')[0] ?? '');
  const url = new URL(text);
  return `${url.protocol}//${url.host}${masked(url.pathname)}${url.search ? '?***' : ''}`;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net.connect that refuses a name resolving to any address outside `allowed`:
 * the check and the connection use the same answer.
 */
export function guardedLookup(allowed: readonly TargetRange[]) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const reason = addresses.map((a) => refusedAddress(a.address, allowed)).find(Boolean);
      const first = addresses[0];
      if (reason !== undefined || first === undefined) {
        const refusal = new Error(`target refused: ${reason ?? 'no address'}`);
        return callback(Object.assign(refusal, { code: 'ETARGETREFUSED' }), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}
