// FSPIOP media types and version negotiation (fspiop.md §1.3, §1.4). Every resource has its own
// media type, `application/vnd.interoperability[.iso20022].<resource>+json;version=X.Y`; the
// resource in the header must equal the first path segment. The hub speaks 1.0, 1.1 and 2.0;
// the ISO 20022 binding exists only in 2.0. Pure string functions, no Hono.

import type { FspiopResource } from '../../actors/callback.ts';

/** Concrete versions the hub accepts in Content-Type, as major.minor. */
export const SUPPORTED_VERSIONS = ['1.0', '1.1', '2.0'] as const;

/** Versions an Accept header may name: major only or major.minor. */
const ACCEPTABLE_VERSIONS = new Set(['1', '1.0', '1.1', '2', '2.0']);

/** The 406 extension list: one entry per supported version, key = major, value = minor. */
export const SUPPORTED_VERSIONS_EXTENSION = {
  extension: SUPPORTED_VERSIONS.map((version) => {
    const [major = '', minor = ''] = version.split('.');
    return { key: major, value: minor };
  }),
};

export type MediaType = {
  readonly resource: FspiopResource;
  /** major.minor, e.g. `1.1`. */
  readonly version: string;
  /** True for the ISO 20022 JSON binding (`iso20022.` variant). */
  readonly iso: boolean;
};

export type ContentTypeParse =
  | { readonly ok: true; readonly media: MediaType }
  | { readonly ok: false; readonly reason: 'malformed' | 'unsupported' };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parses a Content-Type against the resource of the route. */
export function parseContentType(value: string, resource: FspiopResource): ContentTypeParse {
  const pattern = new RegExp(
    `^application/vnd\\.interoperability(\\.iso20022)?\\.${escapeRegExp(resource)}\\+json` +
      '\\s?;\\s?version=(\\d+\\.\\d+)$',
  );
  const match = pattern.exec(value.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const iso = match[1] !== undefined;
  const version = match[2] ?? '';
  const supported = (SUPPORTED_VERSIONS as readonly string[]).includes(version);
  if (!supported || (iso && version !== '2.0')) return { ok: false, reason: 'unsupported' };
  return { ok: true, media: { resource, version, iso } };
}

export type AcceptParse =
  | { readonly ok: true; readonly versions: readonly string[] | 'any' }
  | { readonly ok: false; readonly reason: 'malformed' | 'unsupported' };

/**
 * Parses an Accept list. A bare media type (no version) means "any version"; otherwise at least
 * one listed version must be one the hub speaks.
 */
export function parseAccept(value: string, resource: FspiopResource): AcceptParse {
  const item = new RegExp(
    `^application/vnd\\.interoperability(\\.iso20022)?\\.${escapeRegExp(resource)}\\+json` +
      '(\\s?;\\s?version=(\\d+(\\.\\d+)?))?$',
  );
  const versions: string[] = [];
  let any = false;
  for (const part of value.split(',')) {
    const match = item.exec(part.trim());
    if (!match) return { ok: false, reason: 'malformed' };
    if (match[3] === undefined) any = true;
    else versions.push(match[3]);
  }
  if (any) return { ok: true, versions: 'any' };
  const usable = versions.filter((version) => ACCEPTABLE_VERSIONS.has(version));
  return usable.length > 0 ? { ok: true, versions: usable } : { ok: false, reason: 'unsupported' };
}

/** The media type for a resource at a version, as the hub writes it. */
export function mediaType(resource: FspiopResource, version: string, iso = false): string {
  return `application/vnd.interoperability.${iso ? 'iso20022.' : ''}${resource}+json;version=${version}`;
}

const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** RFC 1123 date as HTTP and the reference validator require: `Tue, 15 Nov 1994 08:12:31 GMT`. */
export function isRfc1123Date(value: string): boolean {
  return RFC1123.test(value.trim()) && !Number.isNaN(Date.parse(value));
}
