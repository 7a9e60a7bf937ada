// How the loop classifies a failure (RELIABILITY.md, "Runtime decisions"). Transient failures
// (a lost connection, a timeout, serialization 40001, deadlock 40P01, NATS unavailable) retry the
// batch with capped backoff; deterministic ones (the database refuses a value: SQLSTATE classes
// 22, 23 and 54) would fail again, so the driver isolates the command responsible and parks it.
// Decode errors and actors that throw are found by the step itself and never reach here.

import { PortError } from './ports.ts';
import { FencedError, StaleStateError } from './snapshot-store.ts';

export type FailureClass = 'fenced' | 'stale' | 'transient' | 'deterministic';

/** SQLSTATE classes of data the database refuses whatever the moment: retrying cannot help. */
const DETERMINISTIC_SQLSTATE_CLASSES = new Set(['22', '23', '54']);

export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof FencedError) return 'fenced';
  if (error instanceof StaleStateError) return 'stale';
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (e instanceof PortError) {
      return e.kind === 'deterministic' ? 'deterministic' : 'transient';
    }
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return DETERMINISTIC_SQLSTATE_CLASSES.has(code.slice(0, 2)) ? 'deterministic' : 'transient';
    }
  }
  // Unknown failures are retried: a stalled partition is visible (/ready, metrics), while
  // parking commands on an error nobody understood could skip a healthy command.
  return 'transient';
}

/** Capped exponential backoff for the n-th consecutive retry (n ≥ 1). */
export function retryDelayMs(n: number): number {
  return Math.min(RETRY_DELAY_MAX_MS, RETRY_DELAY_MIN_MS * 2 ** Math.min(n - 1, 10));
}

export const RETRY_DELAY_MIN_MS = 50;
export const RETRY_DELAY_MAX_MS = 5000;
