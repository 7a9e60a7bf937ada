// Scenario e (issue 12): close a settlement window holding at least 100,000 committed transfers
// while FSPIOP transfers run at a steady rate, and compare their p99 before, during and after the
// close. The window is filled cheaply but through the real commit path: ReserveFunds +
// CommitReservation pairs published straight to the CMD stream (as scenario d does, without the
// payee credit), so each is a commit the payer's Participant actor records in the open window.
// The close itself is the real API call, and it is timed until the window is CLOSED.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect } from '@nats-io/transport-node';
import { NatsCommandBus } from '../../runtime/nats-bus.ts';
import { NO_HOOKS, transferStarter } from './flows.ts';
import { runLoad, sleep } from './loadgen.ts';
import type { ScenarioResult } from './report.ts';
import type { Harness } from './scenarios.ts';
import { type LatencySummary, summarize, Tracker } from './tracker.ts';
import type { Check } from './validity.ts';

const AMOUNT_MINOR = 10_000n; // 1 unit at the fixed scale of 4
const SEED_TRANSFERS = 100_000;
const SEED_BACKLOG = 4_000;
const PUBLISH_WINDOW = 512;
const STEADY_RATE = 25;
/** Transfers due this close to the close (either side) count as "during". */
const DURING_MARGIN_MS = 1_000;

async function positionSum(h: Harness, names: readonly string[]): Promise<number> {
  let sum = 0;
  for (const name of names) {
    const rows = (await h.admin.json('GET', `/participants/${name}/positions`)) as {
      currency: string;
      value: unknown;
    }[];
    sum += Number(rows.find((r) => r.currency === h.currency)?.value ?? 0);
  }
  return sum;
}

/** Publishes `count` reserve + commit pairs between the two DFSPs; resolves once all applied. */
async function seedWindow(h: Harness, count: number): Promise<number> {
  const [one = '', two = ''] = h.dfsps;
  const nc = await connect({ servers: h.natsUrl, name: 'mkondo-bench-seed' });
  const bus = new NatsCommandBus(nc, { partitions: h.cluster.partitions });
  const start = await positionSum(h, [one, two]);
  const t0 = performance.now();
  let published = 0;
  let applied = 0;
  const inFlight = new Set<Promise<void>>();
  while (applied < count) {
    while (published < count && published - applied < SEED_BACKLOG) {
      const [payer, payee] = published % 2 === 0 ? [one, two] : [two, one];
      const transferId = randomUUID();
      const to = { type: 'participant', key: payer };
      const reserve = { kind: 'ReserveFunds', transferId, payerFsp: payer, payeeFsp: payee };
      const commands = [
        { ...reserve, currency: h.currency, amountMinor: AMOUNT_MINOR },
        { kind: 'CommitReservation', transferId },
      ];
      for (const command of commands) {
        const sent = bus.send(to, command).finally(() => inFlight.delete(sent));
        inFlight.add(sent);
      }
      published++;
      if (inFlight.size >= PUBLISH_WINDOW) await Promise.race(inFlight);
    }
    await sleep(250);
    applied = Math.round((await positionSum(h, [one, two])) - start);
    process.stderr.write(`[e] seeding: ${applied} of ${count} commits applied\n`);
  }
  await Promise.all(inFlight);
  await nc.drain();
  return (performance.now() - t0) / 1000;
}

type Phases = { before: number[]; during: number[]; after: number[] };

async function openWindowId(h: Harness): Promise<number> {
  const open = (await h.admin.json('GET', '/v2/settlementWindows?state=OPEN')) as {
    settlementWindowId: number;
  }[];
  return open[0]?.settlementWindowId ?? 1;
}

type WindowView = { state: string; content: { currencyId: string }[] };

export async function scenarioE(h: Harness): Promise<ScenarioResult> {
  const o = h.options;
  const seedCount = o.smoke ? 2_000 : SEED_TRANSFERS;
  const seedS = await seedWindow(h, seedCount);
  const windowId = await openWindowId(h);
  const tracker = new Tracker();
  h.simulator.use(tracker, NO_HOOKS);
  const [one = '', two = ''] = h.dfsps;
  let n = 0;
  const inner = transferStarter(
    { client: h.client, tracker, amount: { amount: '1', currency: h.currency } },
    () => (n++ % 2 === 0 ? { payer: one, payee: two } : { payer: two, payee: one }),
  );
  const finished: { dueMs: number; latencyMs: number }[] = [];
  const starter = (dueMs: number, measured: boolean, onDone?: () => void) =>
    inner(dueMs, measured, () => {
      finished.push({ dueMs, latencyMs: performance.now() - dueMs });
      onDone?.();
    });
  const rate = o.rate ?? (o.smoke ? 20 : STEADY_RATE);
  const durationS = o.smoke ? 6 : 14;
  const close = (async () => {
    await sleep((1 + durationS / 2) * 1000);
    const t0 = performance.now();
    await h.admin.json('POST', `/v2/settlementWindows/${windowId}`, {
      state: 'CLOSED',
      reason: 'bench: end of window',
    });
    const t1 = performance.now();
    return { t0, t1 };
  })();
  await runLoad(tracker, starter, {
    label: 'e',
    mode: { kind: 'rate', perSecond: rate },
    warmupS: 1,
    durationS,
    inFlightMax: Math.max(100, rate * 2),
    drainS: 10,
    progress: true,
  });
  const { t0, t1 } = await close;
  const phases: Phases = { before: [], during: [], after: [] };
  for (const f of finished) {
    if (f.dueMs < t0 - DURING_MARGIN_MS) phases.before.push(f.latencyMs);
    else if (f.dueMs <= t1 + DURING_MARGIN_MS) phases.during.push(f.latencyMs);
    else phases.after.push(f.latencyMs);
  }
  const window = (await h.admin.json('GET', `/v2/settlementWindows/${windowId}`)) as WindowView;
  return report(h, { seedCount, seedS, rate, closeMs: t1 - t0, window, phases, tracker });
}

function report(
  h: Harness,
  r: {
    seedCount: number;
    seedS: number;
    rate: number;
    closeMs: number;
    window: WindowView;
    phases: Phases;
    tracker: Tracker;
  },
): ScenarioResult {
  const p = (xs: number[]): LatencySummary => summarize(xs);
  const [before, during, after] = [p(r.phases.before), p(r.phases.during), p(r.phases.after)];
  const anomalies = r.tracker.anomalies();
  const checks: Check[] = [
    {
      name: 'the window closed with its content',
      ok: r.window.state === 'CLOSED' && r.window.content.some((c) => c.currencyId === h.currency),
      detail: `window ${r.window.state}, ${r.window.content.length} content rows`,
    },
    {
      name: 'every steady transfer answered once',
      ok: anomalies.missing === 0 && anomalies.duplicated === 0,
      detail: `${anomalies.missing} missing, ${anomalies.duplicated} duplicated`,
    },
  ];
  const all = [...r.phases.before, ...r.phases.during, ...r.phases.after];
  return {
    scenario: 'e',
    title: `close a window of ${r.seedCount} committed transfers under steady load`,
    load: `open loop ${r.rate}/s`,
    offered: all.length,
    dropped: 0,
    completedPerS: r.rate,
    committed: r.tracker.total.committed,
    failed: r.tracker.measured.failed,
    latencyMs: p(all),
    errorsByCode: r.tracker.measured.errorsByCode,
    cpuPercent: {},
    checks,
    target: 'p99 during the close <= 2 x p99 before',
    targetMet: h.options.smoke ? undefined : during.p99 <= 2 * Math.max(before.p99, 1),
    notes:
      `seeded ${r.seedCount} commits in ${r.seedS.toFixed(1)} s; close answered (window CLOSED, ` +
      `all participants reported) in ${r.closeMs.toFixed(1)} ms; p99 ms before / during / ` +
      `after: ${before.p99} / ${during.p99} / ${after.p99} (p50 ${before.p50} / ` +
      `${during.p50} / ${after.p50}; n ${r.phases.before.length} / ${r.phases.during.length} / ` +
      `${r.phases.after.length})`,
  };
}
