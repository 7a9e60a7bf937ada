// When to try a callback again and how long to wait. Network errors (refused, reset, timeout) and
// 5xx answers are transient: retried with exponential backoff and jitter, at most retryMax times.
// A 2xx is delivered. A 4xx means the DFSP refused this message: resending it cannot help. 3xx
// must not be followed (FSPIOP §1.1) and 501 means "not implemented": both are final as well.

export type RetryPolicy = {
  /** Retries after the first attempt; attempts = retryMax + 1. */
  readonly retryMax: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retryMax: 4,
  backoffBaseMs: 250,
  backoffMaxMs: 5_000,
};

/** The result of one HTTP attempt: a status, or a network-level error code. */
export type AttemptResult =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'network'; readonly error: string };

export type AttemptVerdict = 'delivered' | 'retry' | 'refused';

export function judgeAttempt(result: AttemptResult): AttemptVerdict {
  if (result.kind === 'network') return 'retry';
  const { status } = result;
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 500 && status !== 501) return 'retry';
  return 'refused';
}

/**
 * Delay before retry number `retry` (1-based): half of min(max, base * 2^(retry-1)) plus a random
 * part up to the other half ("equal jitter"), so replicas retrying one DFSP spread out.
 * `random` returns a number in [0, 1).
 */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (retry - 1));
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
