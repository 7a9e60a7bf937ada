// The ledger of the load generator: every flow it started, when it was due (the scheduled time in
// open loop, so a slow switch cannot hide queueing: no coordinated omission), and every final
// callback the payer received for it. Latency is "due -> payer's final transfer callback".
// A second final callback for the same transfer is counted, never merged: it fails validity.

export type Outcome = 'committed' | 'error';

export type Flow = {
  readonly transferId: string;
  readonly payer: string;
  readonly payee: string;
  /** performance.now() when the flow was due (open loop) or sent (closed loop). */
  readonly dueMs: number;
  /** Counted in the measured window (false during warm-up). */
  readonly measured: boolean;
  /** The switch answered 202 to the prepare. */
  prepareAccepted: boolean;
  finals: number;
  outcome?: Outcome;
  onDone?: () => void;
};

export type WindowStats = {
  started: number;
  completed: number;
  committed: number;
  failed: number;
  latenciesMs: number[];
  errorsByCode: Record<string, number>;
};

function emptyStats(): WindowStats {
  return { started: 0, completed: 0, committed: 0, failed: 0, latenciesMs: [], errorsByCode: {} };
}

export class Tracker {
  readonly flows = new Map<string, Flow>();
  /** Counters over the whole run (warm-up included), for the validity checks. */
  readonly total = {
    preparesAccepted: 0,
    finalCallbacks: 0,
    duplicateFinals: 0,
    unknownCallbacks: 0,
    payeeNotifications: 0,
    committed: 0,
    committedByPayer: {} as Record<string, number>,
    committedByPayee: {} as Record<string, number>,
  };
  measured = emptyStats();
  /** Completions in the current second, for the progress line. */
  tick = { completed: 0, latenciesMs: [] as number[] };
  inFlight = 0;

  start(flow: Flow): void {
    this.flows.set(flow.transferId, flow);
    this.inFlight++;
    if (flow.measured) this.measured.started++;
  }

  /** A flow that failed before its transfer existed (lookup or quote error, refused request). */
  fail(flow: Flow, code: string, nowMs: number): void {
    if (flow.outcome !== undefined) return;
    flow.outcome = 'error';
    this.finish(flow, nowMs, code);
  }

  prepareAccepted(flow: Flow): void {
    flow.prepareAccepted = true;
    this.total.preparesAccepted++;
  }

  /** PUT /transfers/{id} or PUT /transfers/{id}/error arriving at the payer. */
  finalCallback(transferId: string, outcome: Outcome, code: string, nowMs: number): void {
    const flow = this.flows.get(transferId);
    if (flow === undefined) {
      this.total.unknownCallbacks++;
      return;
    }
    flow.finals++;
    this.total.finalCallbacks++;
    if (flow.finals > 1) {
      this.total.duplicateFinals++;
      return;
    }
    if (outcome === 'committed') {
      this.total.committed++;
      bump(this.total.committedByPayer, flow.payer);
      bump(this.total.committedByPayee, flow.payee);
    }
    if (flow.outcome !== undefined) return;
    flow.outcome = outcome;
    this.finish(flow, nowMs, code);
  }

  private finish(flow: Flow, nowMs: number, code: string): void {
    this.inFlight--;
    const latencyMs = nowMs - flow.dueMs;
    this.tick.completed++;
    this.tick.latenciesMs.push(latencyMs);
    if (flow.measured) {
      const stats = this.measured;
      stats.completed++;
      stats.latenciesMs.push(latencyMs);
      if (flow.outcome === 'committed') stats.committed++;
      else {
        stats.failed++;
        bump(stats.errorsByCode, code);
      }
    }
    flow.onDone?.();
  }

  takeTick(): { completed: number; latenciesMs: number[] } {
    const tick = this.tick;
    this.tick = { completed: 0, latenciesMs: [] };
    return tick;
  }

  /** Accepted prepares that have not had exactly one final callback. */
  anomalies(): { missing: number; duplicated: number } {
    let missing = 0;
    let duplicated = 0;
    for (const flow of this.flows.values()) {
      if (flow.prepareAccepted && flow.finals === 0) missing++;
      if (flow.finals > 1) duplicated++;
    }
    return { missing, duplicated };
  }
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export type LatencySummary = { p50: number; p95: number; p99: number; max: number };

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(latenciesMs).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1]!),
  };
}
