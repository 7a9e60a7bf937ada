// Scenario f (issue 14): bulk transfers. Bulks of 1,000 individual transfers (50 with --smoke)
// from one payer DFSP to one payee DFSP, kept in flight in a closed loop (2 bulks, or
// --concurrency); the simulated payee answers each forwarded POST /bulkTransfers with one
// PUT /bulkTransfers/{ID} fulfilling every individual. Reported: individual transfers committed
// per second in the measured window, and per bulk the time from its POST to the payer's final
// PUT /bulkTransfers/{ID}. Every individual is a flow of the usual Tracker, so the validity checks
// are scenario a's (each individual one final result, positions exact, conservation, the DB
// count), plus one final callback per bulk listing every individual.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { bulkPrepareBody, errorCodeOf, fspiopHeaders } from './fspiop.ts';
import { sleep } from './loadgen.ts';
import type { ScenarioResult } from './report.ts';
import { cpuPerTransfer, type Harness, settledChecks, windowCpu } from './scenarios.ts';
import { type Flow, summarize, Tracker } from './tracker.ts';
import { type Check, committedInDb, readLedger } from './validity.ts';

const BULK_SIZE = 1000;
const SMOKE_BULK_SIZE = 50;
const BULKS_IN_FLIGHT = 2;
/** A bulk expires this long after it is sent: far beyond a bulk's time on a loaded machine. */
const EXPIRATION_MS = 180_000;
/** How long to wait after the window for the bulks still in flight. */
const DRAIN_S = 90;

type Bulk = {
  readonly bulkTransferId: string;
  readonly transferIds: readonly string[];
  readonly sentMs: number;
  readonly measured: boolean;
  finals: number;
  /** Individuals listed in the first final callback. */
  listed: number;
  latencyMs?: number;
  done?: (() => void) | undefined;
};

class BulkFlows {
  readonly bulks = new Map<string, Bulk>();
  inFlight = 0;
  /** Individuals committed by final callbacks that arrived inside the measured window. */
  committedInWindow = 0;
  window = { startMs: Infinity, endMs: Infinity };
  offeredBulks = 0;
  payeeNotifications = 0;
  /** The first POST and the last final callback of the run (warm-up included). */
  span = { firstMs: Infinity, lastMs: 0 };

  constructor(
    private readonly h: Harness,
    private readonly tracker: Tracker,
    private readonly payer: string,
    private readonly payee: string,
    private readonly size: number,
  ) {}

  start(measured: boolean, done: () => void): void {
    const sentMs = performance.now();
    const bulk: Bulk = {
      bulkTransferId: randomUUID(),
      transferIds: Array.from({ length: this.size }, () => randomUUID()),
      sentMs,
      measured,
      finals: 0,
      listed: 0,
      done,
    };
    this.bulks.set(bulk.bulkTransferId, bulk);
    this.span.firstMs = Math.min(this.span.firstMs, sentMs);
    this.inFlight++;
    this.offeredBulks++;
    const flows = bulk.transferIds.map((transferId) => this.flow(transferId, sentMs, measured));
    for (const flow of flows) this.tracker.start(flow);
    const body = bulkPrepareBody({
      bulkTransferId: bulk.bulkTransferId,
      payerFsp: this.payer,
      payeeFsp: this.payee,
      transferIds: bulk.transferIds,
      amount: { amount: '1', currency: this.h.currency },
      expirationMs: Date.now() + EXPIRATION_MS,
    });
    const headers = fspiopHeaders('bulkTransfers', 'POST', this.payer, this.payee);
    void this.h.client.send('POST', '/bulkTransfers', headers, body).then((result) => {
      if (result.status === 202) {
        for (const flow of flows) this.tracker.prepareAccepted(flow);
        return;
      }
      const code = result.status === 0 ? 'network' : errorCodeOf(result.body);
      for (const flow of flows) this.tracker.fail(flow, code, performance.now());
      this.finish(bulk, performance.now());
    });
  }

  private flow(transferId: string, dueMs: number, measured: boolean): Flow {
    return {
      transferId,
      payer: this.payer,
      payee: this.payee,
      dueMs,
      measured,
      prepareAccepted: false,
      finals: 0,
    };
  }

  /** PUT /bulkTransfers/{id} (body) or PUT /bulkTransfers/{id}/error at a DFSP. */
  readonly onBulk = (
    fsp: string,
    bulkTransferId: string,
    body: string | undefined,
    code: string,
    nowMs: number,
  ): void => {
    if (fsp !== this.payer) {
      this.payeeNotifications++;
      return;
    }
    const bulk = this.bulks.get(bulkTransferId);
    if (bulk === undefined) {
      this.tracker.total.unknownCallbacks++;
      return;
    }
    bulk.finals++;
    if (bulk.finals > 1) return;
    const results = body === undefined ? [] : resultsOf(body);
    bulk.listed = results.length;
    let committed = 0;
    if (body === undefined) {
      for (const id of bulk.transferIds) this.tracker.finalCallback(id, 'error', code, nowMs);
    }
    for (const result of results) {
      const ok = result.fulfilment !== undefined;
      if (ok) committed++;
      const errorCode = result.errorInformation?.errorCode ?? 'no-fulfilment';
      this.tracker.finalCallback(result.transferId, ok ? 'committed' : 'error', errorCode, nowMs);
    }
    if (nowMs >= this.window.startMs && nowMs < this.window.endMs) {
      this.committedInWindow += committed;
    }
    this.finish(bulk, nowMs);
  };

  private finish(bulk: Bulk, nowMs: number): void {
    if (bulk.latencyMs !== undefined) return;
    bulk.latencyMs = nowMs - bulk.sentMs;
    this.span.lastMs = Math.max(this.span.lastMs, nowMs);
    this.inFlight--;
    const done = bulk.done;
    bulk.done = undefined;
    done?.();
  }

  /** One final callback per bulk, at the payer, listing every individual of the bulk. */
  check(): Check {
    let missing = 0;
    let repeated = 0;
    let incomplete = 0;
    for (const bulk of this.bulks.values()) {
      if (bulk.finals === 0) missing++;
      if (bulk.finals > 1) repeated++;
      if (bulk.finals > 0 && bulk.listed !== bulk.transferIds.length) incomplete++;
    }
    return {
      name: 'one final PUT /bulkTransfers/{ID} per bulk, listing every individual',
      ok: missing === 0 && repeated === 0 && incomplete === 0,
      detail:
        `${this.bulks.size} bulks, ${missing} without a final callback, ${repeated} with more ` +
        `than one, ${incomplete} not listing every individual`,
    };
  }
}

type IndividualResult = {
  transferId: string;
  fulfilment?: string;
  errorInformation?: { errorCode?: string };
};

function resultsOf(body: string): IndividualResult[] {
  try {
    const parsed = JSON.parse(body) as { individualTransferResults?: IndividualResult[] };
    return parsed.individualTransferResults ?? [];
  } catch {
    return [];
  }
}

export async function scenarioF(h: Harness): Promise<ScenarioResult> {
  const o = h.options;
  const [payer = '', payee = ''] = h.dfsps;
  const size = o.smoke ? SMOKE_BULK_SIZE : BULK_SIZE;
  const inFlight = o.concurrency ?? BULKS_IN_FLIGHT;
  const tracker = new Tracker();
  const flows = new BulkFlows(h, tracker, payer, payee, size);
  h.simulator.use(tracker, {
    party: () => {},
    quote: () => {},
    bulk: flows.onBulk,
  });
  const before = await readLedger(h.admin, h.hubName, h.dfsps, h.currency);
  const dbBefore = await committedInDb(h.databaseUrl).catch((error: Error) => error);
  const cpuWindow = windowCpu(h, o.warmupS, o.durationS);
  const t0 = performance.now();
  const windowStart = t0 + o.warmupS * 1000;
  const windowEnd = windowStart + o.durationS * 1000;
  flows.window = { startMs: windowStart, endMs: windowEnd };
  const next = () => {
    const now = performance.now();
    if (now >= windowEnd) return;
    flows.start(now >= windowStart, () => setImmediate(next));
  };
  const progress = setInterval(() => printProgress(h, flows, tracker, t0), 1000);
  try {
    for (let i = 0; i < inFlight; i++) next();
    while (performance.now() < windowEnd) await sleep(100);
    const drainEnd = performance.now() + DRAIN_S * 1000;
    while (flows.inFlight > 0 && performance.now() < drainEnd) await sleep(100);
  } finally {
    clearInterval(progress);
  }
  const cpu = await cpuWindow;
  const checks = [flows.check(), ...(await settledChecks(h, tracker, before, dbBefore))];
  const measuredBulks = [...flows.bulks.values()].filter((b) => b.measured);
  const latencies = measuredBulks.flatMap((b) => (b.latencyMs === undefined ? [] : [b.latencyMs]));
  const stats = tracker.measured;
  // A bulk's individuals commit together, so the window's count moves in steps of a bulk; the
  // whole run's rate (first POST to last final callback) is given beside it.
  const completedPerS = Math.round(flows.committedInWindow / o.durationS);
  const spanS = (flows.span.lastMs - flows.span.firstMs) / 1000;
  const runRate = spanS > 0 ? Math.round(tracker.total.committed / spanS) : 0;
  const notes = [
    `per bulk of ${size}: latency from its POST /bulkTransfers to the payer's final ` +
      `PUT /bulkTransfers/{ID}, over ${latencies.length} bulks started in the window; ` +
      `done/s and ok count individual transfers`,
    `whole run: ${tracker.total.committed} individuals committed in ${spanS.toFixed(1)} s from ` +
      `the first POST to the last final callback (${runRate}/s)`,
    ...(flows.inFlight > 0
      ? [`${flows.inFlight} bulks unfinished ${DRAIN_S} s after the window`]
      : []),
    ...(completedPerS > 0
      ? [cpuPerTransfer(cpu, completedPerS).replace('transfer', 'individual')]
      : []),
  ];
  return {
    scenario: 'f',
    title: `bulk transfers, bulks of ${size} from one payer to one payee DFSP`,
    load: `closed loop ${inFlight} bulks of ${size} in flight`,
    offered: flows.offeredBulks * size,
    dropped: 0,
    completedPerS,
    committed: stats.committed,
    failed: stats.failed,
    latencyMs: summarize(latencies),
    errorsByCode: stats.errorsByCode,
    cpuPercent: cpu,
    checks,
    target: 'individuals/s comparable with scenario a',
    targetMet: undefined,
    notes: notes.join('; '),
  };
}

function printProgress(h: Harness, flows: BulkFlows, tracker: Tracker, t0: number): void {
  const o = h.options;
  const elapsedS = Math.floor((performance.now() - t0) / 1000);
  const phase =
    elapsedS < o.warmupS
      ? `warm-up ${elapsedS}/${o.warmupS}s`
      : elapsedS < o.warmupS + o.durationS
        ? `measure ${elapsedS - o.warmupS}/${o.durationS}s`
        : `drain ${elapsedS - o.warmupS - o.durationS}s`;
  process.stderr.write(
    `[f] ${phase}  bulks in flight ${flows.inFlight}  bulks started ` +
      `${flows.offeredBulks}  individuals committed ${tracker.total.committed}\n`,
  );
}
