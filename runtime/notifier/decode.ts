// Reads a Callback from an OUT message (encodeJson(callback), runtime/codec.ts). A payload that
// is not a Callback is a poison message: the consumer terminates it instead of retrying forever.

import type { Callback } from '../../actors/callback.ts';
import { decodeBytes } from '../codec.ts';

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'GET', 'DELETE']);

export function decodeCallback(data: Uint8Array): Callback | undefined {
  let value: unknown;
  try {
    value = decodeBytes(data);
  } catch {
    return undefined;
  }
  return isCallback(value) ? value : undefined;
}

export function isCallback(value: unknown): value is Callback {
  if (value === null || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  const strings = ['to', 'endpointType', 'path', 'resource', 'id'];
  if (!strings.every((name) => typeof c[name] === 'string')) return false;
  if (typeof c['method'] !== 'string' || !METHODS.has(c['method'])) return false;
  if (!isStringRecord(c['params'])) return false;
  if (c['version'] !== undefined && typeof c['version'] !== 'string') return false;
  if (c['deliverByMs'] !== undefined && typeof c['deliverByMs'] !== 'number') return false;
  if (c['onFailure'] !== undefined && !isFailureRoute(c['onFailure'])) return false;
  if (c['relay'] === undefined) return true;
  const relay = c['relay'] as Record<string, unknown> | null;
  return (
    relay !== null &&
    typeof relay === 'object' &&
    isStringRecord(relay['headers']) &&
    (relay['body'] === undefined || typeof relay['body'] === 'string')
  );
}

function isFailureRoute(value: unknown): boolean {
  const route = value as { actor?: Record<string, unknown>; sender?: unknown } | null;
  return (
    typeof route?.sender === 'string' &&
    typeof route.actor?.['type'] === 'string' &&
    typeof route.actor['key'] === 'string'
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every((entry) => typeof entry === 'string');
}
