// How the fuzzer breaks a valid request: its path (encoded NUL and control bytes, overlong ids,
// wrong types, bad percent-encoding), its headers (missing, duplicated, garbage dates, oversized,
// raw control bytes, junk media types) and its body (deep nesting, huge strings and numbers,
// wrong types, duplicate keys, escaped controls and surrogates, truncation, bytes that are not
// UTF-8, a body past every limit). Each mutation records its name on the request for the report.

import { bodyMutations, type Mutation } from './fuzz-mutate-body.ts';
import type { Rng } from './fuzz-random.ts';
import type { FuzzRequest } from './fuzz-routes.ts';

const CONTROL_ESCAPES = [
  '%00',
  '%01',
  '%07',
  '%0A',
  '%0D',
  '%1B',
  '%1F',
  '%7F',
  '%C2%85',
  '%C2%9F',
];
const WRONG_SEGMENTS = [
  '',
  '-1',
  '0',
  'null',
  'true',
  '1.5e309',
  '%20',
  '..',
  '%2F',
  '%2E%2E',
  '%E2%80%AE',
  '%ED%A0%80',
  '%FF',
  '%',
  '%G1',
  '%EF%BF%BF',
  '{ID}',
  'MSISDN',
  '%25%30%30',
];

function segmentIndexes(request: FuzzRequest): number[] {
  const segments = request.path.split('?')[0]?.split('/') ?? [];
  return segments.map((_, i) => i).filter((i) => i >= 2 || (i === 1 && segments.length === 2));
}

function replaceSegment(request: FuzzRequest, rng: Rng, make: (old: string) => string): void {
  const [pathPart = '', query] = request.path.split('?');
  const segments = pathPart.split('/');
  const index = rng.pick(segmentIndexes(request).length ? segmentIndexes(request) : [1]);
  segments[index] = make(segments[index] ?? '');
  request.path = segments.join('/') + (query === undefined ? '' : `?${query}`);
}

const pathMutations: Record<string, Mutation> = {
  pathControl: (r, rng) => {
    const control = rng.pick(CONTROL_ESCAPES);
    replaceSegment(r, rng, (old) => {
      const at = rng.int(0, old.length);
      return `${old.slice(0, at)}${control}${old.slice(at)}`;
    });
    return `pathControl ${control}`;
  },
  pathOverlong: (r, rng) => {
    const length = rng.pick([129, 300, 4000, 12_000]);
    replaceSegment(r, rng, () =>
      rng.pick(['9', 'A', 'é']).repeat(length).replaceAll('é', '%C3%A9'),
    );
    return `pathOverlong ${length}`;
  },
  pathWrongType: (r, rng) => {
    const segment = rng.pick(WRONG_SEGMENTS);
    replaceSegment(r, rng, () => segment);
    return `pathWrongType ${segment}`;
  },
  pathExtra: (r, rng) => {
    const extra = rng.pick([
      '/x',
      '/error/x',
      '/',
      '//',
      '/%00',
      '?currency=%00',
      '?currency=XXXX',
    ]);
    r.path += extra;
    return `pathExtra ${extra}`;
  },
};

function headerIndex(r: FuzzRequest, rng: Rng): number {
  return rng.int(0, Math.max(0, r.headers.length - 1));
}

const GARBAGE_DATES = [
  'yesterday',
  'Mon, 32 Foo 2020 25:61:61 GMT',
  '0',
  '',
  'Tue, 15 Nov 1994 08:12:31 GMT',
  'Thu, 01 Jan 1970 00:00:00 GMT, Fri, 02 Jan 1970 00:00:00 GMT',
  '2026-12-04T20:00:00Z',
];

const headerMutations: Record<string, Mutation> = {
  headerMissing: (r, rng) => {
    const [removed] = r.headers.splice(headerIndex(r, rng), 1);
    return `headerMissing ${removed?.[0] ?? '-'}`;
  },
  headerDuplicated: (r, rng) => {
    const [name = 'fspiop-source', value = ''] = r.headers[headerIndex(r, rng)] ?? [];
    r.headers.push([name, rng.pick([value, `${value}x`, 'Hub', 'payerfsp'])]);
    return `headerDuplicated ${name}`;
  },
  headerDate: (r, rng) => {
    const date = rng.pick(GARBAGE_DATES);
    r.headers = r.headers.filter(([name]) => name !== 'date');
    r.headers.push(['date', date]);
    return `headerDate ${JSON.stringify(date)}`;
  },
  headerOversized: (r, rng) => {
    const size = rng.pick([40, 200, 9000, 20_000, 70_000]);
    const name = rng.pick(['fspiop-source', 'fspiop-destination', 'x-fuzz', 'traceparent']);
    r.headers.push([name, 'a'.repeat(size)]);
    return `headerOversized ${name} ${size}`;
  },
  headerControl: (r, rng) => {
    const byte = rng.pick(['\u0001', '\u0085', '\u009f', '\u007f', '\u00ff']);
    const index = headerIndex(r, rng);
    const [name = 'x-fuzz', value = ''] = r.headers[index] ?? [];
    r.headers[index] = [name, `${value}${byte}`];
    return `headerControl ${name} ${byte.charCodeAt(0).toString(16)}`;
  },
  headerMediaType: (r, rng) => {
    const type = rng.pick([
      'application/json',
      'text/xml',
      'application/vnd.interoperability.transfers+json;version=9.9',
      'application/vnd.interoperability.parties+json',
      '',
      '*/*; version=1.1',
    ]);
    r.headers = r.headers.filter(([name]) => name !== 'content-type');
    r.headers.push(['content-type', type]);
    return `headerMediaType ${type}`;
  },
};

const FAMILIES: ReadonlyArray<Record<string, Mutation>> = [
  pathMutations,
  headerMutations,
  bodyMutations,
];

/** Applies one to three mutations drawn from the path, header and body families. */
export function mutate(request: FuzzRequest, rng: Rng): FuzzRequest {
  const count = rng.int(1, 3);
  for (let i = 0; i < count; i++) {
    const family = rng.pick(FAMILIES);
    const name = rng.pick(Object.keys(family));
    const mutation = family[name];
    if (mutation) request.mutations.push(mutation(request, rng));
  }
  return request;
}
