// Per-DFSP request budgets on the FSPIOP API: a token bucket per FSPIOP-Source (after the source
// is authenticated), refilled at `ratePerSecond` up to `burst`. A request over budget is refused
// at once with 503/2003 rather than queued: a DFSP that floods the hub slows only itself. The
// buckets are per gateway replica; the budget a DFSP sees is the rate times the replicas.

export type BudgetOptions = {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly nowMs?: () => number;
};

type Bucket = { tokens: number; refilledAtMs: number };

/** Bounds the memory a flood of invented FSPIOP-Source values can take (STYLE.md rule 6). */
const BUCKETS_MAX = 10_000;

export class RequestBudgets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #options: BudgetOptions;

  constructor(options: BudgetOptions) {
    this.#options = options;
  }

  /** Takes one request from `dfsp`'s budget; false when it has none left. */
  take(dfsp: string): boolean {
    const nowMs = (this.#options.nowMs ?? Date.now)();
    const { ratePerSecond, burst } = this.#options;
    let bucket = this.#buckets.get(dfsp);
    if (bucket === undefined) {
      if (this.#buckets.size >= BUCKETS_MAX) this.#buckets.clear();
      bucket = { tokens: burst, refilledAtMs: nowMs };
      this.#buckets.set(dfsp, bucket);
    }
    const elapsedMs = Math.max(0, nowMs - bucket.refilledAtMs);
    bucket.tokens = Math.min(burst, bucket.tokens + (elapsedMs * ratePerSecond) / 1000);
    bucket.refilledAtMs = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
