// When to try a callback again and for how long. Network errors (refused, reset, timeout) and
// 5xx answers are transient: retried with capped exponential backoff and jitter until the retry
// horizon, counted from the moment the callback was published, so that a DFSP outage of minutes
// loses nothing and a callback handed to another replica does not start its horizon again.
// 408 (a proxy's request timeout) and 429 (rate limited) say "not now" and are retried the same
// way. A 2xx is delivered. Any other 4xx means the DFSP refused this message: resending it cannot
// help. 3xx must not be followed (FSPIOP §1.1) and 501 means "not implemented": both are final.

import type { FspiopError } from '../../schema/fspiop/errors.ts';

export type RetryPolicy = {
  /** How long after publication a callback is still attempted (CALLBACK_RETRY_HORIZON_S). */
  readonly horizonMs: number;
  readonly backoffBaseMs: number;
  /** The cap of one wait: a DFSP that comes back is served within this. */
  readonly backoffMaxMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  horizonMs: 10 * 60_000,
  backoffBaseMs: 250,
  backoffMaxMs: 30_000,
};

/** The result of one HTTP attempt: a status (with the receiver's FSPIOP error), or a network error. */
export type AttemptResult =
  | { readonly kind: 'status'; readonly status: number; readonly error?: FspiopError }
  | { readonly kind: 'network'; readonly error: string };

export type AttemptVerdict = 'delivered' | 'retry' | 'refused';

export function judgeAttempt(result: AttemptResult): AttemptVerdict {
  if (result.kind === 'network') return 'retry';
  const { status } = result;
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 500 && status !== 501) return 'retry';
  if (status === 408 || status === 429) return 'retry';
  return 'refused';
}

/**
 * Delay before retry number `retry` (1-based): half of min(max, base * 2^(retry-1)) plus a random
 * part up to the other half ("equal jitter"), so replicas retrying one DFSP spread out.
 * `random` returns a number in [0, 1).
 */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.min(retry - 1, 30);
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** exponent);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
