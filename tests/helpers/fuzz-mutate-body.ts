// The body family of the fuzzer's mutations (see fuzz-mutate.ts). Value-level mutations edit the
// parsed JSON at a random place at any depth; text-level ones edit the bytes (duplicate keys,
// escaped control characters and surrogates, truncation, invalid UTF-8), which no JSON value
// can express.

import type { Rng } from './fuzz-random.ts';
import type { FuzzRequest } from './fuzz-routes.ts';

export type Mutation = (request: FuzzRequest, rng: Rng) => string;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Place = { readonly parent: Json[] | { [key: string]: Json }; readonly key: string | number };

function parsed(request: FuzzRequest): Json {
  try {
    return JSON.parse(request.body?.toString('utf8') ?? '{}') as Json;
  } catch {
    return {};
  }
}

function places(value: Json, found: Place[] = []): Place[] {
  if (value === null || typeof value !== 'object') return found;
  const entries: Array<[string | number, Json]> = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    found.push({ parent: value, key });
    places(item, found);
  }
  return found;
}

/** Sets a random place of the body (any depth) to `make(old)`; the whole body if it has none. */
function editValue(request: FuzzRequest, rng: Rng, make: (old: Json) => Json): void {
  const root = parsed(request);
  const all = places(root);
  if (all.length === 0) {
    request.body = Buffer.from(JSON.stringify(make(root)));
    return;
  }
  const { parent, key } = rng.pick(all);
  (parent as Record<string | number, Json>)[key] = make(
    (parent as Record<string | number, Json>)[key] ?? null,
  );
  request.body = Buffer.from(JSON.stringify(root));
}

function editText(request: FuzzRequest, edit: (text: string) => string): void {
  request.body = Buffer.from(edit(request.body?.toString('utf8') ?? '{}'), 'utf8');
}

const DEEP = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as Json;

export const bodyMutations: Record<string, Mutation> = {
  bodyDeep: (r, rng) => {
    const depth = rng.pick([31, 33, 100, 3000]);
    if (depth > 500) {
      editText(r, (text) => `{"deep":${'['.repeat(depth)}${']'.repeat(depth)},${text.slice(1)}`);
    } else {
      editValue(r, rng, () => DEEP(depth));
    }
    return `bodyDeep ${depth}`;
  },
  bodyHugeString: (r, rng) => {
    const length = rng.pick([129, 1000, 40_000, 200_000]);
    editValue(r, rng, () => 'A'.repeat(length));
    return `bodyHugeString ${length}`;
  },
  bodyHugeNumber: (r, rng) => {
    const number = rng.pick([
      '1e400',
      '123456789012345678901234567890',
      '-0.00000000000000000000001',
      '1e-400',
      '9007199254740993',
    ]);
    editText(r, (text) => text.replace(/"[^"]*"(?=[,}])/, number));
    return `bodyHugeNumber ${number}`;
  },
  bodyWrongType: (r, rng) => {
    const value = rng.pick<Json>([1, -1, true, null, {}, [], '', ' ', '1', [1, 2], { a: 'b' }]);
    editValue(r, rng, () => value);
    return `bodyWrongType ${JSON.stringify(value)}`;
  },
  bodyDuplicateKey: (r, rng) => {
    const text = r.body?.toString('utf8') ?? '{}';
    const starts = [...text.matchAll(/\{"((?:[^"\\]|\\.)*)":/g)];
    const chosen = starts.length ? rng.pick(starts) : undefined;
    if (!chosen || chosen.index === undefined) return 'bodyDuplicateKey none';
    const at = chosen.index + 1;
    const dup = `"${chosen[1]}":${rng.pick(['"dup"', '1', 'null', '{"x":1}'])},`;
    r.body = Buffer.from(text.slice(0, at) + dup + text.slice(at), 'utf8');
    return `bodyDuplicateKey ${chosen[1]}`;
  },
  bodyRemoveField: (r, rng) => {
    const root = parsed(r);
    const all = places(root).filter((p) => !Array.isArray(p.parent));
    if (all.length === 0) return 'bodyRemoveField none';
    const { parent, key } = rng.pick(all);
    delete (parent as Record<string, Json>)[key as string];
    r.body = Buffer.from(JSON.stringify(root));
    return `bodyRemoveField ${key}`;
  },
  bodyControl: (r, rng) => {
    const inserted = rng.pick([
      '\\u0000',
      '\\u0007',
      '\\u001b',
      '\\u007f',
      '\\u0085',
      '\\ud800',
      '\\udfff',
      '\u0085',
      '\\t',
    ]);
    editText(r, (text) => {
      const quotes = [...text.matchAll(/"/g)].map((m) => m.index ?? 0);
      const at = quotes.length ? rng.pick(quotes) + 1 : 1;
      return text.slice(0, at) + inserted + text.slice(at);
    });
    return `bodyControl ${JSON.stringify(inserted)}`;
  },
  bodyTruncate: (r, rng) => {
    editText(r, (text) => text.slice(0, rng.int(0, Math.max(0, text.length - 1))));
    return 'bodyTruncate';
  },
  bodyNotUtf8: (r, rng) => {
    const bytes = r.body ?? Buffer.from('{}');
    const at = rng.int(1, Math.max(1, bytes.length - 1));
    const bad = Buffer.from([rng.pick([0xff, 0xc3, 0xed, 0x80])]);
    r.body = Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]);
    return 'bodyNotUtf8';
  },
  bodyHuge: (r, rng) => {
    if (!rng.chance(0.25)) return bodyMutations.bodyHugeString?.(r, rng) ?? '';
    const size = rng.pick([140 * 1024, 6 * 1024 * 1024]);
    editText(r, (text) => `{"pad":"${'x'.repeat(size)}",${text.slice(1)}`);
    return `bodyHuge ${size}`;
  },
};
