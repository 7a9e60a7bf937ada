// The four scenarios of issue 6, each over its own switch (harness.ts). A transfer scenario reads
// the books before and after, samples CPU over the measured window only, and ends with the
// validity checks. Scenario c runs twice at the same load (hot payer, then a
// uniform mix) and reports the ratio; scenario d drives the position actor directly.

import { cpuPercent, sampleCpu, type Watched } from './environment.ts';
import { FullFlows, NO_HOOKS, type Pair, type Starter, transferStarter } from './flows.ts';
import { type LoadMode, runLoad, sleep } from './loadgen.ts';
import type { BenchOptions } from './options.ts';
import { runPositionActor } from './position-actor.ts';
import type { ScenarioResult } from './report.ts';
import type { BenchPki, JwsCost } from './secure.ts';
import type { MkondoCluster } from './services.ts';
import type { Simulator } from './simulator.ts';
import type { FspiopSender, SwitchClient } from './switch-client.ts';
import { summarize, Tracker } from './tracker.ts';
import { type Check, committedInDb, type Ledger, readLedger, transferChecks } from './validity.ts';

export type Harness = {
  readonly options: BenchOptions;
  readonly client: FspiopSender;
  readonly admin: SwitchClient;
  readonly simulator: Simulator;
  readonly cluster: MkondoCluster;
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly watched: readonly Watched[];
  readonly hubName: string;
  readonly currency: string;
  readonly dfsps: readonly string[];
  readonly parties: { readonly payerMsisdn: string; readonly payeeMsisdns: readonly string[] };
  /** Scenario s: the PKI and JWS keys it runs with, and the JWS work timed in this process. */
  readonly secure?: { readonly pki: BenchPki; readonly cost: JwsCost };
};

const AMOUNT = 1;
/** Open loop: flows in flight beyond this many seconds of arrivals are dropped (k6's VU cap). */
const IN_FLIGHT_SECONDS = 2;
const IN_FLIGHT_MIN = 100;
const HOT_CONCURRENCY = 64;
const DRAIN_S = 10;
/** Scenario d: reservations published and not yet applied, at most (else ~1 s of work). */
const BACKLOG_MAX = 10_000;

export type TransferSpec = {
  readonly scenario: string;
  readonly title: string;
  readonly mode: LoadMode;
  readonly start: (h: Harness, tracker: Tracker) => Starter;
  readonly targetRate?: number;
  readonly targetP99Ms?: number;
};

export function modeFor(h: Harness, targetRate: number, closedByDefault = false): LoadMode {
  const o = h.options;
  if (o.concurrency !== undefined) return { kind: 'concurrency', flows: o.concurrency };
  if (o.rate !== undefined) return { kind: 'rate', perSecond: o.rate };
  if (closedByDefault) return { kind: 'concurrency', flows: HOT_CONCURRENCY };
  return { kind: 'rate', perSecond: targetRate };
}

function loadText(mode: LoadMode): string {
  return mode.kind === 'rate'
    ? `open loop ${mode.perSecond}/s`
    : `closed loop ${mode.flows} in flight`;
}

export async function runTransferScenario(h: Harness, spec: TransferSpec): Promise<ScenarioResult> {
  const o = h.options;
  const tracker = new Tracker();
  const start = spec.start(h, tracker);
  const before = await readLedger(h.admin, h.hubName, h.dfsps, h.currency);
  const dbBefore = await committedInDb(h.databaseUrl).catch((error: Error) => error);
  const cpuWindow = windowCpu(h, o.warmupS, o.durationS);
  const load = await runLoad(tracker, start, {
    label: spec.scenario,
    mode: spec.mode,
    warmupS: o.warmupS,
    durationS: o.durationS,
    inFlightMax:
      spec.mode.kind === 'rate'
        ? Math.max(IN_FLIGHT_MIN, Math.ceil(spec.mode.perSecond * IN_FLIGHT_SECONDS))
        : Number.MAX_SAFE_INTEGER,
    drainS: DRAIN_S,
    progress: true,
  });
  const cpu = await cpuWindow;
  const checks = await settledChecks(h, tracker, before, dbBefore);
  const stats = tracker.measured;
  const latencyMs = summarize(stats.latenciesMs);
  const completedPerS = Math.round(load.committedInWindow / load.windowS);
  const notes = [
    ...(load.unfinishedAfterDrain > 0
      ? [
          `${load.unfinishedAfterDrain} flows unfinished ${DRAIN_S} s after the window: the ` +
            'switch fell behind the offered load (--concurrency measures its capacity instead)',
        ]
      : []),
    ...(completedPerS > 0 ? [cpuPerTransfer(cpu, completedPerS)] : []),
  ];
  const met =
    spec.targetRate === undefined
      ? undefined
      : completedPerS >= spec.targetRate * 0.99 && latencyMs.p99 <= (spec.targetP99Ms ?? Infinity);
  return {
    scenario: spec.scenario,
    title: spec.title,
    load: loadText(spec.mode),
    offered: load.offered,
    dropped: load.dropped,
    completedPerS,
    committed: stats.committed,
    failed: stats.failed,
    latencyMs,
    errorsByCode: stats.errorsByCode,
    cpuPercent: cpu,
    checks,
    target:
      spec.targetRate === undefined
        ? 'compare with c-uniform'
        : `>= ${spec.targetRate}/s with p99 <= ${spec.targetP99Ms} ms`,
    targetMet: o.smoke ? undefined : met,
    ...(notes.length > 0 ? { notes: notes.join('; ') } : {}),
  };
}

/** CPU time per completed transfer over the window: every watched process, and mkondo's own. */
export function cpuPerTransfer(cpu: Readonly<Record<string, number>>, perSecond: number): string {
  const ms = (names: string[]) =>
    (names.reduce((sum, name) => sum + (cpu[name] ?? 0), 0) / 100 / perSecond) * 1000;
  const all = Object.keys(cpu);
  const mkondo = all.filter((name) => name.startsWith('mkondo'));
  return `CPU per transfer ${ms(all).toFixed(2)} ms (mkondo ${ms(mkondo).toFixed(2)} ms)`;
}

/** CPU per process over the measured window: sampled when it opens and when it closes. */
export async function windowCpu(h: Harness, warmupS: number, durationS: number) {
  await sleep(warmupS * 1000);
  const start = sampleCpu(h.watched);
  await sleep(durationS * 1000);
  return cpuPercent(start, sampleCpu(h.watched), durationS);
}

// The payer's callback leaves once the transfer's commit is durable; the payee's credit is another
// actor's step and may land a moment later. So the books are read until they agree, or a deadline.
const SETTLE_MS = 5_000;

export async function settledChecks(
  h: Harness,
  tracker: Tracker,
  before: Ledger,
  dbBefore: number | Error,
): Promise<Check[]> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const after = await readLedger(h.admin, h.hubName, h.dfsps, h.currency);
    const dbAfter = await committedInDb(h.databaseUrl).catch((error: Error) => error);
    const dbDelta =
      dbAfter instanceof Error
        ? dbAfter
        : dbBefore instanceof Error
          ? dbBefore
          : dbAfter - dbBefore;
    const checks = transferChecks({
      tracker,
      before,
      after,
      amount: AMOUNT,
      dbCommittedDelta: dbDelta,
    });
    if (checks.every((c) => c.ok) || Date.now() >= deadline) return checks;
    await sleep(250);
  }
}

export function ctx(h: Harness, tracker: Tracker) {
  return { client: h.client, tracker, amount: { amount: String(AMOUNT), currency: h.currency } };
}

export function alternate(a: string, b: string): () => Pair {
  let n = 0;
  return () => (n++ % 2 === 0 ? { payer: a, payee: b } : { payer: b, payee: a });
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** 70 % from the first DFSP to any other; the rest between the others and anyone. */
function hotPayer(dfsps: readonly string[], hotShare: number): () => Pair {
  const [hot = '', ...rest] = dfsps;
  return () => {
    const payer = Math.random() < hotShare ? hot : pick(rest);
    return { payer, payee: pick(dfsps.filter((name) => name !== payer)) };
  };
}

export async function scenarioA(h: Harness): Promise<ScenarioResult> {
  const [one = '', two = ''] = h.dfsps;
  return runTransferScenario(h, {
    scenario: 'a',
    title: 'transfers only, prepare + fulfil, 2 DFSPs',
    mode: modeFor(h, 500),
    start: (_, tracker) => {
      h.simulator.use(tracker, NO_HOOKS);
      return transferStarter(ctx(h, tracker), alternate(one, two));
    },
    targetRate: 500,
    targetP99Ms: 50,
  });
}

export async function scenarioB(h: Harness): Promise<ScenarioResult> {
  const [one = '', two = ''] = h.dfsps;
  return runTransferScenario(h, {
    scenario: 'b',
    title: 'full flow lookup -> quote -> transfer, 2 DFSPs',
    mode: modeFor(h, 200),
    start: (_, tracker) => {
      const pool = { idType: 'MSISDN', ids: h.parties.payeeMsisdns };
      const flows = new FullFlows(
        ctx(h, tracker),
        { payer: one, payee: two },
        pool,
        h.parties.payerMsisdn,
      );
      h.simulator.use(tracker, flows);
      return flows.starter;
    },
    targetRate: 200,
    targetP99Ms: 250,
  });
}

export async function scenarioC(h: Harness): Promise<ScenarioResult[]> {
  const mode = modeFor(h, 500, true);
  const run = (scenario: string, title: string, pickPair: () => Pair) =>
    runTransferScenario(h, {
      scenario,
      title,
      mode,
      start: (_, tracker) => {
        h.simulator.use(tracker, NO_HOOKS);
        return transferStarter(ctx(h, tracker), pickPair);
      },
    });
  const hot = await run(
    'c-hot',
    '8 DFSPs, 70 % of transfers from one payer',
    hotPayer(h.dfsps, 0.7),
  );
  if (h.options.smoke) return [hot];
  const uniform = await run('c-uniform', '8 DFSPs, uniform mix', hotPayer(h.dfsps, 1 / 8));
  const ratio = uniform.completedPerS === 0 ? 0 : hot.completedPerS / uniform.completedPerS;
  const judged = {
    target: 'hot >= 0.9 x uniform',
    targetMet: ratio >= 0.9,
    notes: `hot/uniform throughput ratio ${ratio.toFixed(3)}`,
  };
  return [
    { ...hot, ...judged },
    { ...uniform, target: 'baseline for c-hot' },
  ];
}

export async function scenarioD(h: Harness): Promise<ScenarioResult> {
  const [one = '', two = ''] = h.dfsps;
  const o = h.options;
  const cpuWindow = windowCpu(h, o.warmupS, o.durationS);
  const run = await runPositionActor({
    natsUrl: h.natsUrl,
    partitions: h.cluster.partitions,
    admin: h.admin,
    opsUrls: h.cluster.opsUrls,
    payer: one,
    payee: two,
    currency: h.currency,
    warmupS: o.warmupS,
    durationS: o.durationS,
    backlogMax: o.smoke ? 200 : BACKLOG_MAX,
    progress: true,
  });
  const cpu = await cpuWindow;
  const runtimeMessages = run.runtimeMessagesPerSecond;
  return {
    scenario: 'd',
    title: 'position actor alone (ReserveFunds + CommitReservation), one DFSP',
    load: `CMD publish, backlog <= ${o.smoke ? 200 : BACKLOG_MAX}`,
    offered: run.published,
    dropped: 0,
    completedPerS: run.opsPerSecond,
    committed: run.published / 2,
    failed: 0,
    latencyMs: undefined,
    errorsByCode: {},
    cpuPercent: cpu,
    checks: run.checks,
    target: '>= 20000 ops/s',
    targetMet: o.smoke ? undefined : run.opsPerSecond >= 20_000,
    notes:
      'runtime messages applied (all actors, incl. the FundsReserved replies to transfer ' +
      `actors): ${Number.isNaN(runtimeMessages) ? 'n/a' : runtimeMessages}/s`,
  };
}
