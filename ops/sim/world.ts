// One simulated switch and its users for one seed: the scheduler and PRNG, the simulated
// JetStream, KV and database, the workers running the loop under test, the workload, the fault
// scheduler, the per-write money checks and the model. `runWorld` goes through four phases:
// onboard without faults, a faulty phase of `steps` events under load, heal (faults off, paused
// workers resumed, a worker alive), then settle and run the final checks.

import type { AnyActor, HubSettings } from '../../actors/actor.ts';
import { ACTORS } from '../../actors/index.ts';
import { MoneyChecks } from './checks.ts';
import { SimBusClient, SimDbClient } from './clients.ts';
import { SimDatabase } from './database.ts';
import { FaultScheduler, PROFILES, type ProfileName } from './faults.ts';
import { finalViolations, inFlight } from './final-checks.ts';
import { partitionOfSubject, SimJetStream } from './jetstream.ts';
import { SimBucket, SimLeaseStore } from './kv.ts';
import { ExpectedOutcomes } from './model.ts';
import { Prng } from './prng.ts';
import { SimScheduler } from './scheduler.ts';
import { type LoopFactory, SimWorker } from './worker.ts';
import { Workload } from './workload.ts';

export const HUB: HubSettings = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };

export type SimConfig = {
  readonly seed: number;
  /** Events of the faulty phase. */
  readonly steps: number;
  readonly profile: ProfileName;
  readonly workers: number;
  readonly partitions: number;
  readonly actorCacheMax: number;
  readonly batchSizeMax: number;
  readonly leaseTtlMs: number;
  /** Mean gap between two prepares, in simulated ms. */
  readonly transferGapMs: number;
  /** Transfers expire 4 s to this long after their prepare. */
  readonly expiryMaxMs: number;
  /**
   * Applied-command records kept, in CMD stream messages (WorkerOptions.appliedKeepSeqs):
   * 2,000,000 in production, minutes of its traffic; scaled down so that minutes of simulated
   * load (about 15 commands a second) cross it too.
   */
  readonly appliedKeepSeqs: number;
};

export const DEFAULT_CONFIG: Omit<SimConfig, 'seed'> = {
  steps: 3000,
  profile: 'mixed',
  workers: 3,
  partitions: 4,
  actorCacheMax: 64,
  batchSizeMax: 8,
  leaseTtlMs: 5000,
  transferGapMs: 400,
  expiryMaxMs: 60_000,
  appliedKeepSeqs: 400,
};

export type World = {
  readonly config: SimConfig;
  readonly sched: SimScheduler;
  readonly prng: Prng;
  readonly faults: FaultScheduler;
  readonly js: SimJetStream;
  readonly db: SimDatabase;
  readonly leases: SimBucket;
  readonly workerBucket: SimBucket;
  readonly workers: SimWorker[];
  readonly workload: Workload;
  readonly checks: MoneyChecks;
  readonly model: ExpectedOutcomes;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly log: string[];
  readonly makeLoop: LoopFactory;
  nextWorker: number;
};

export type LoopMaker = (world: Omit<World, 'makeLoop'>) => LoopFactory;

export function createWorld(config: SimConfig, loopMaker: LoopMaker): World {
  const sched = new SimScheduler();
  const prng = new Prng(config.seed);
  const faults = new FaultScheduler(prng, PROFILES.calm);
  const js = new SimJetStream(sched, {
    latencyMs: () => faults.deliveryLatencyMs(),
    duplicate: () => faults.duplicateDelivery(),
  });
  const db = new SimDatabase();
  const clock = () => sched.nowMs;
  const actors = new Map(ACTORS.map((a) => [a.type, a]));
  const workload = new Workload(sched, prng, js, {
    partitions: config.partitions,
    expiryMaxMs: config.expiryMaxMs,
    resendChance: () => faults.rates.gatewayDuplicate,
  });
  const model = new ExpectedOutcomes(workload.plans);
  js.watchCommands((msg) => model.onCommand(msg));
  const partial = {
    config,
    sched,
    prng,
    faults,
    js,
    db,
    leases: new SimBucket(clock, config.leaseTtlMs),
    workerBucket: new SimBucket(clock, config.leaseTtlMs),
    workers: [] as SimWorker[],
    workload,
    checks: new MoneyChecks(
      db,
      actors,
      {
        mustTakeEffect: model.mustTakeEffect,
        creditSeqs: model.creditSeqs,
        partitionOfSeq: (seq) => partitionOfSubject(js.cmd.at(seq)?.subject ?? 'cmd.x.-1'),
      },
      clock,
    ),
    model,
    actors,
    log: sched.log,
    nextWorker: 1,
  };
  return { ...partial, makeLoop: loopMaker(partial) };
}

export function note(world: World, text: string): void {
  world.sched.note(text);
}

export function startWorker(world: World): SimWorker {
  const id = `w${world.nextWorker++}`;
  const { sched, faults } = world;
  const store = new SimLeaseStore(id, sched, world.leases, world.workerBucket, {
    call: () => faults.kv(),
  });
  const worker = new SimWorker({
    id,
    sched,
    store,
    db: new SimDbClient(id, sched, world.db, faults),
    bus: new SimBusClient(id, sched, world.js, faults),
    partitions: world.config.partitions,
    leaseTtlMs: world.config.leaseTtlMs,
    actorCacheMax: world.config.actorCacheMax,
    makeLoop: world.makeLoop,
  });
  world.workers.push(worker);
  worker.start();
  return worker;
}

export function liveWorkers(world: World): SimWorker[] {
  return world.workers.filter((w) => !world.sched.isDead(w.id));
}

/** Every partition's durable checkpoint has reached the last command stored for it. */
export function caughtUp(world: World): boolean {
  for (let p = 0; p < world.config.partitions; p++) {
    const last = world.js.lastSeqOf(p);
    if (last > 0 && (world.db.checkpoints.get(p)?.seq ?? 0) < last) return false;
  }
  return true;
}

/**
 * Caught up, no transfer in flight, and every outbox row the database holds stored on its
 * stream: a transfer can be final in the database while the postings it sends still wait.
 */
export function settled(world: World): boolean {
  return (
    caughtUp(world) &&
    inFlight(world.db, world.workload.plans).length === 0 &&
    unpublished(world).length === 0
  );
}

/** Outbox rows not stored on their stream, as `p<partition> #<source seq>`. */
function unpublished(world: World): string[] {
  const rows: string[] = [];
  for (const [partition, outbox] of world.db.outbox) {
    for (const row of outbox.values()) {
      if (!world.js.stored(row.subject, row.msgId)) rows.push(`p${partition} #${row.sourceSeq}`);
    }
  }
  return rows;
}

/** What keeps a run from settling, for the report. */
export function unsettled(world: World): string {
  const parts: string[] = [];
  for (let p = 0; p < world.config.partitions; p++) {
    const last = world.js.lastSeqOf(p);
    const at = world.db.checkpoints.get(p);
    if (last > 0 && (at?.seq ?? 0) < last) parts.push(`p${p} checkpoint #${at?.seq} < #${last}`);
  }
  const rows = unpublished(world);
  if (rows.length > 0) parts.push(`outbox rows never published: ${rows.slice(0, 5).join(' ')}`);
  const busy = inFlight(world.db, world.workload.plans);
  if (busy.length > 0) parts.push(`in flight: ${busy.slice(0, 5).join(' ')}`);
  return parts.join('; ');
}

export function finalCheck(world: World): string[] {
  return finalViolations(world.db, world.model, world.workload.plans);
}
