// Stable key -> partition hashing and the subject names built from it. The hash is FNV-1a over
// the UTF-8 bytes of "<type>/<key>": stable across processes, versions and platforms, so every
// publisher routes a key to the same partition and per-partition order gives per-key order.
// Subjects carry the NATS namespace prefix (runtime/names.ts), empty by default.

import { namespaced } from './names.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

export function partitionOf(type: string, key: string, partitions: number): number {
  return fnv1a32(`${type}/${key}`) % partitions;
}

// A subject token may not contain '.', '*', '>' or whitespace; keys that do (party ids, e-mail
// addresses) are carried base64url-encoded behind a '~'. The envelope always holds the real key.
const PLAIN_TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

export function subjectToken(key: string): string {
  return PLAIN_TOKEN.test(key) ? key : `~${Buffer.from(key, 'utf8').toString('base64url')}`;
}

export function commandSubject(type: string, key: string, partitions: number): string {
  return namespaced(`cmd.${type}.${partitionOf(type, key, partitions)}.${subjectToken(key)}`);
}

/** Every actor type of one partition is consumed by one durable consumer. */
export function partitionFilter(partition: number): string {
  return namespaced(`cmd.*.${partition}.>`);
}

export function eventSubject(type: string, key: string): string {
  return namespaced(`evt.${type}.${subjectToken(key)}`);
}

export function callbackSubject(dfsp: string): string {
  return namespaced(`out.${subjectToken(dfsp)}`);
}

/** Every callback subject: what the notifier consumes. */
export function callbackFilter(): string {
  return namespaced('out.>');
}
