// The canonical encoding replay compares with: JSON with object keys sorted at every depth and
// bigints written as {"$bigint":"<digits>"} (runtime/codec.ts). Two states are the same exactly
// when their canonical encodings are equal byte for byte, whatever order their keys were built
// in or PostgreSQL's JSONB stored them in.

import { createHash } from 'node:crypto';

function canonicalReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = (value as Record<string, unknown>)[key];
  }
  return sorted;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, canonicalReplacer) ?? 'undefined';
}

/**
 * A short digest of an output: its subject, traceparent header and canonical payload. Canonical,
 * because a payload that copies part of an actor's state (a relayed request's headers) is
 * written in that state's key order, and a state reloaded from JSONB has its keys in another
 * order than the same state kept in a worker's memory: the same message, other bytes.
 */
export function outputDigest(
  subject: string,
  payload: string,
  traceparent: string | undefined,
): string {
  return createHash('sha256')
    .update(`${subject}\n${traceparent ?? ''}\n${canonicalPayload(payload)}`)
    .digest('base64url')
    .slice(0, 22);
}

function canonicalPayload(payload: string): string {
  try {
    return canonicalJson(JSON.parse(payload));
  } catch {
    return payload;
  }
}
