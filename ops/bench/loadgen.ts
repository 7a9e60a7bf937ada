// The load generator. Open loop: flows are due at a fixed arrival rate and each flow's latency is
// measured from the time it was due, so when the switch falls behind the queueing shows up in
// the figures (no coordinated omission); past inFlightMax new flows are dropped and counted, as
// k6 drops iterations. Closed loop: N flows in flight, each starting the next when it ends.
// A warm-up is run and not counted; after the measured window the generator waits for stragglers.

import { performance } from 'node:perf_hooks';
import type { Starter } from './flows.ts';
import { summarize, type Tracker } from './tracker.ts';

export type LoadMode =
  | { readonly kind: 'rate'; readonly perSecond: number }
  | {
      readonly kind: 'concurrency';
      readonly flows: number;
    };

export type LoadOptions = {
  readonly label: string;
  readonly mode: LoadMode;
  readonly warmupS: number;
  readonly durationS: number;
  /** Open loop only: flows in flight beyond which new ones are dropped. */
  readonly inFlightMax: number;
  /** How long to wait for outstanding flows after the window. */
  readonly drainS: number;
  readonly progress: boolean;
};

export type LoadResult = {
  readonly offered: number;
  readonly dropped: number;
  /** Committed flows that ended inside the measured window. */
  readonly committedInWindow: number;
  readonly windowS: number;
  readonly unfinishedAfterDrain: number;
};

const TICK_MS = 2;

export async function runLoad(
  tracker: Tracker,
  start: Starter,
  o: LoadOptions,
): Promise<LoadResult> {
  const t0 = performance.now();
  const windowStart = t0 + o.warmupS * 1000;
  const windowEnd = windowStart + o.durationS * 1000;
  let committedInWindow = 0;
  let offered = 0;
  let dropped = 0;
  const committedBefore = () => tracker.total.committed;
  let atWindowStart = -1;
  const progress = setInterval(() => {
    const now = performance.now();
    if (atWindowStart < 0 && now >= windowStart) atWindowStart = committedBefore();
    if (o.progress) printProgress(o, tracker, now - t0);
  }, 1000);
  try {
    if (o.mode.kind === 'rate') {
      const counts = await openLoop(
        tracker,
        start,
        o.mode.perSecond,
        t0,
        windowStart,
        windowEnd,
        o,
      );
      offered = counts.offered;
      dropped = counts.dropped;
    } else {
      offered = await closedLoop(start, o.mode.flows, windowStart, windowEnd);
    }
    committedInWindow = committedBefore() - Math.max(0, atWindowStart);
  } finally {
    clearInterval(progress);
  }
  const drainEnd = performance.now() + o.drainS * 1000;
  while (tracker.inFlight > 0 && performance.now() < drainEnd) await sleep(50);
  return {
    offered,
    dropped,
    committedInWindow,
    windowS: o.durationS,
    unfinishedAfterDrain: tracker.inFlight,
  };
}

async function openLoop(
  tracker: Tracker,
  start: Starter,
  perSecond: number,
  t0: number,
  windowStart: number,
  windowEnd: number,
  o: LoadOptions,
): Promise<{ offered: number; dropped: number }> {
  const intervalMs = 1000 / perSecond;
  let index = 0;
  let dropped = 0;
  for (;;) {
    const now = performance.now();
    // Every flow due before the window closes is started, even if this tick woke up late.
    for (let due = t0 + index * intervalMs; due <= now && due < windowEnd; ) {
      if (tracker.inFlight >= o.inFlightMax) dropped++;
      else start(due, due >= windowStart);
      index++;
      due = t0 + index * intervalMs;
    }
    if (now >= windowEnd) break;
    await sleep(TICK_MS);
  }
  return { offered: index, dropped };
}

async function closedLoop(
  start: Starter,
  flows: number,
  windowStart: number,
  windowEnd: number,
): Promise<number> {
  let offered = 0;
  const next = () => {
    const now = performance.now();
    if (now >= windowEnd) return;
    offered++;
    start(now, now >= windowStart, () => setImmediate(next));
  };
  for (let i = 0; i < flows; i++) next();
  while (performance.now() < windowEnd) await sleep(100);
  return offered;
}

function printProgress(o: LoadOptions, tracker: Tracker, elapsedMs: number): void {
  const tick = tracker.takeTick();
  const elapsedS = Math.floor(elapsedMs / 1000);
  const phase = elapsedS < o.warmupS ? 'warm-up' : 'measure';
  const shown = phase === 'warm-up' ? elapsedS : elapsedS - o.warmupS;
  const total = phase === 'warm-up' ? o.warmupS : o.durationS;
  const p99 = summarize(tick.latenciesMs).p99;
  const errors = Object.values(tracker.measured.errorsByCode).reduce((a, b) => a + b, 0);
  process.stderr.write(
    `[${o.label}] ${phase} ${shown}/${total}s  done ${tick.completed}/s  in flight ` +
      `${tracker.inFlight}  p99 ${p99} ms  committed ${tracker.total.committed}  ` +
      `errors ${errors}\n`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
