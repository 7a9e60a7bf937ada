// Steady transfer load for the chaos suite, built from the benchmark's pieces: the simulated DFSPs
// (payees fulfil at once), the tracker of accepted prepares and final callbacks, and the transfer
// flow. Two DFSPs pay each other at a fixed rate; every flow's start and finish time is kept so
// each fault window can be measured: how much load was accepted, how long until transfers
// completed again, and (after the drain) what was lost or duplicated.

import { performance } from 'node:perf_hooks';
import { transferStarter } from '../bench/flows.ts';
import { onboardDfsp, onboardHub } from '../bench/onboard.ts';
import { startSimulator } from '../bench/simulator.ts';
import { SwitchClient } from '../bench/switch-client.ts';
import { type Flow, Tracker } from '../bench/tracker.ts';
import { sleep } from './processes.ts';
import { type PartitionProxy, startProxy } from './proxy.ts';

export const HUB_NAME = 'Hub';
export const CURRENCY = 'USD';
export const DFSPS = ['chaosfsp1', 'chaosfsp2'] as const;

export type WindowStats = {
  readonly started: number;
  readonly accepted: number;
  readonly committed: number;
  readonly failed: number;
  readonly missing: number;
  readonly duplicated: number;
  /** From the heal until the first flow started after it committed; undefined: none did. */
  readonly recoveryMs: number | undefined;
  /** The longest time in the window with no transfer committing. */
  readonly longestStallMs: number;
};

export type Load = {
  /** The DFSPs' callback endpoint, which can be taken down. */
  readonly dfspLink: PartitionProxy;
  readonly tracker: Tracker;
  nowMs(): number;
  /** Flows started in [fromMs, toMs) and their outcomes; recovery is measured from healedMs. */
  window(fromMs: number, toMs: number, healedMs: number): WindowStats;
  /** Waits until every flow accepted before `untilMs` has a final callback, or the timeout. */
  drain(untilMs: number, timeoutMs: number): Promise<boolean>;
  /** Stops starting transfers; the simulated DFSPs keep answering until stop(). */
  stopSending(): void;
  stop(): Promise<void>;
};

/** The benchmark's tracker, also noting when each flow finished. */
class TimedTracker extends Tracker {
  readonly finishedMs = new Map<string, number>();
  override start(flow: Flow): void {
    flow.onDone = () => this.finishedMs.set(flow.transferId, performance.now());
    super.start(flow);
  }
}

export async function startLoad(o: {
  readonly fspiopUrl: string;
  readonly adminUrl: string;
  readonly ratePerSecond: number;
}): Promise<Load> {
  const client = new SwitchClient(o.fspiopUrl, 32);
  const admin = new SwitchClient(o.adminUrl, 4);
  const tracker = new TimedTracker();
  const simulator = await startSimulator({
    client,
    tracker,
    hooks: { party: () => {}, quote: () => {} },
  });
  const dfspLink = await startProxy(Number(new URL(simulator.baseUrl).port));
  const onboarding = {
    hubName: HUB_NAME,
    currency: CURRENCY,
    dfsps: DFSPS,
    liquidity: 100_000_000,
    simulatorUrl: `http://127.0.0.1:${dfspLink.port}`,
  };
  await onboardHub(admin, onboarding);
  for (const name of DFSPS) await onboardDfsp(admin, onboarding, name);
  let turn = 0;
  const start = transferStarter(
    { client, tracker, amount: { amount: '1', currency: CURRENCY } },
    () => {
      turn++;
      const [a, b] = turn % 2 === 0 ? DFSPS : [DFSPS[1], DFSPS[0]];
      return { payer: a, payee: b };
    },
  );
  const timer = setInterval(() => start(performance.now(), true), 1000 / o.ratePerSecond);
  return {
    dfspLink,
    tracker,
    nowMs: () => performance.now(),
    window: (fromMs, toMs, healedMs) => windowStats(tracker, { fromMs, toMs, healedMs }),
    async drain(untilMs, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const owed = () =>
        [...tracker.flows.values()].some(
          (flow) => flow.dueMs < untilMs && flow.prepareAccepted && flow.finals === 0,
        );
      while (owed()) {
        if (Date.now() > deadline) return false;
        await sleep(500);
      }
      return true;
    },
    stopSending: () => clearInterval(timer),
    async stop() {
      clearInterval(timer);
      await simulator.close();
      await dfspLink.close();
      await client.close();
      await admin.close();
    },
  };
}

/** The flows started in the window, and the commits that ended in it. */
function windowStats(
  tracker: TimedTracker,
  { fromMs, toMs, healedMs }: { fromMs: number; toMs: number; healedMs: number },
): WindowStats {
  let started = 0;
  let accepted = 0;
  let committed = 0;
  let failed = 0;
  let missing = 0;
  let duplicated = 0;
  let recoveryMs: number | undefined;
  const commits: number[] = [];
  for (const [id, flow] of tracker.flows) {
    const at = flow.dueMs;
    const done = tracker.finishedMs.get(id);
    if (done !== undefined && flow.outcome === 'committed') {
      if (at >= healedMs) recoveryMs = Math.min(recoveryMs ?? Infinity, done - healedMs);
      if (done >= fromMs && done < toMs) commits.push(done);
    }
    if (at < fromMs || at >= toMs) continue;
    started++;
    if (flow.prepareAccepted) accepted++;
    if (flow.outcome === 'committed') committed++;
    else if (flow.outcome === 'error') failed++;
    if (flow.prepareAccepted && flow.finals === 0) missing++;
    if (flow.finals > 1) duplicated++;
  }
  commits.sort((a, b) => a - b);
  let longestStallMs = 0;
  let previous = fromMs;
  for (const at of [...commits, toMs]) {
    longestStallMs = Math.max(longestStallMs, at - previous);
    previous = at;
  }
  const counts = { started, accepted, committed, failed, missing, duplicated };
  return { ...counts, recoveryMs, longestStallMs };
}
