// The worker role: claims partitions through leases, runs one PartitionLoop per owned partition,
// renews leases every leaseTtlMs/3, rebalances about every second, and reports readiness (NATS
// connected, DB answered recently, no owned partition stuck with pending work). stop() finishes
// in-flight batches and deletes the lease keys so another worker takes over without waiting.

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { sql } from 'drizzle-orm';
import type { AnyActor, HubSettings } from '../actors/actor.ts';
import type { Cached } from './batch.ts';
import type { Db } from './db.ts';
import { PartitionDriver, type ResidentCache } from './driver.ts';
import { LeaseManager } from './lease.ts';
import { KvLeaseStore } from './lease-store.ts';
import { Lru } from './lru.ts';
import { metrics } from './metrics.ts';
import { directoryBucket } from './outbox.ts';
import { fnv1a32, partitionOf } from './partition.ts';
import { databaseStore, jetStreamConsumer, natsPublisher, systemClock } from './partition-loop.ts';
import type { ConsumerPort, DriverDeps, PublishPort, StorePort } from './ports.ts';
import { FencedError } from './snapshot-store.ts';
import { CMD_STREAM } from './streams.ts';

export type WorkerLog = {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
};

export type WorkerOptions = {
  readonly nc: NatsConnection;
  readonly db: Db;
  readonly actors: readonly AnyActor[];
  readonly hub: HubSettings;
  readonly partitions: number;
  readonly leaseTtlMs?: number;
  readonly batchSizeMax?: number;
  readonly actorCacheMax?: number;
  readonly workerId?: string;
  readonly log?: WorkerLog;
  /** Actor types whose broken invariant halts the partition (DEFAULTS.haltingTypes). */
  readonly haltingTypes?: readonly string[];
  /** Applied-command records kept, in CMD stream messages (DEFAULTS.appliedKeepSeqs). */
  readonly appliedKeepSeqs?: number;
  /** Pending commands and no progress this long: the partition is stalled (not ready). */
  readonly stallAfterMs?: number;
  /**
   * Decorates each partition's I/O ports (a fault injector, a recorder); the driver runs
   * whatever this returns exactly as it runs the production ports.
   */
  readonly wrapPorts?: (ports: PartitionPorts, partition: number) => PartitionPorts;
};

export type PartitionPorts = {
  readonly store: StorePort;
  readonly bus: PublishPort;
  readonly consumer: ConsumerPort;
};

export type WorkerStatus = {
  readonly ready: boolean;
  readonly reason?: string;
  readonly ownedPartitions: number[];
  readonly lastProgressMs: number;
  /** Owned partitions with pending commands and no progress for stallAfterMs, or halted. */
  readonly stuckPartitions: number[];
  /** Owned partitions halted on a broken money invariant, with the halting sequence. */
  readonly haltedPartitions: ReadonlyArray<{ partition: number; seq: number; reason: string }>;
};

export type Worker = { status(): WorkerStatus; stop(): Promise<void> };

export const DEFAULTS = {
  leaseTtlMs: 5000,
  batchSizeMax: 256,
  actorCacheMax: 10_000,
  stallAfterMs: 30_000,
  /** The actors that hold or move money: a broken invariant there must not be skipped. */
  haltingTypes: ['participant', 'transfer'] as readonly string[],
  /**
   * How far (in CMD stream messages) a re-published copy of an applied command is still
   * recognised: about 7 minutes of traffic at 500 transfers/s, against JetStream's 2-minute
   * duplicate window. Counted in stream messages, not time: during an outage the stream does
   * not move, so records cannot age out before the copies a returning owner re-publishes
   * arrive. An older copy is parked, never applied (runtime/step.ts).
   */
  appliedKeepSeqs: 2_000_000,
};
const DB_STALE_AFTER_MS = 10_000;
const silent: WorkerLog = { info() {}, warn() {}, error() {} };

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { nc, db, partitions } = options;
  const leaseTtlMs = options.leaseTtlMs ?? DEFAULTS.leaseTtlMs;
  const workerId = options.workerId ?? `w-${process.pid}-${Date.now().toString(36)}`;
  const log = options.log ?? silent;
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureDirectoryBuckets(nc, options.actors);
  const store = await KvLeaseStore.open(nc, leaseTtlMs);
  const cache = new Lru<string, Cached>(options.actorCacheMax ?? DEFAULTS.actorCacheMax);
  const loops = new Map<number, PartitionDriver>();
  const actors = new Map(options.actors.map((a) => [a.type, a]));
  const haltingTypes = new Set(options.haltingTypes ?? DEFAULTS.haltingTypes);
  const duplicateWindowMs = (await jsm.streams.info(CMD_STREAM)).config.duplicate_window / 1e6;
  const driverDeps = (partition: number, fence: number): DriverDeps => {
    const live: PartitionPorts = {
      store: databaseStore(db, partition),
      bus: natsPublisher(nc, js),
      consumer: jetStreamConsumer(jsm, js, partition, fence),
    };
    return {
      ...(options.wrapPorts ? options.wrapPorts(live, partition) : live),
      lease: { valid: () => manager.isValid(partition) },
      clock: systemClock,
      actors,
      hub: options.hub,
      partitions,
      batchSizeMax: options.batchSizeMax ?? DEFAULTS.batchSizeMax,
      haltingTypes,
      appliedKeepSeqs: options.appliedKeepSeqs ?? DEFAULTS.appliedKeepSeqs,
      duplicateWindowMs,
      log,
      onStopped: (error) => {
        loops.delete(partition);
        log.warn({ err: error, partition }, 'partition given up');
        if (error instanceof FencedError) manager.forget(partition);
        else void manager.release(partition);
      },
    };
  };
  const manager: LeaseManager = new LeaseManager(
    store,
    {
      acquired(partition, fence) {
        const resident = residentCache(cache, partition, partitions);
        resident.forgetPartition();
        const loop = new PartitionDriver(driverDeps(partition, fence), partition, fence, resident);
        loops.set(partition, loop);
        loop.start();
      },
      lost(partition) {
        metrics.stalled.set({ partition: String(partition) }, 0);
        loops.get(partition)?.abort();
        loops.delete(partition);
        log.warn({ partition }, 'lease lost');
      },
      async releasing(partition) {
        await loops.get(partition)?.stop();
        loops.delete(partition);
      },
    },
    { partitions, leaseTtlMs, workerId, offset: fnv1a32(workerId) % partitions, clock: Date.now },
  );
  const background = startBackground({ manager, db, log, leaseTtlMs });
  await background.rebalanceNow();
  const stallAfterMs = options.stallAfterMs ?? DEFAULTS.stallAfterMs;
  const status = () => workerStatus(nc, manager, loops, background.lastDbOkMs(), stallAfterMs);
  // The stalled-partition gauges are kept current between /ready probes too.
  const gauges = setInterval(status, 1000);
  return {
    status,
    async stop() {
      clearInterval(gauges);
      await background.stop();
      await manager.releaseAll();
      await store.removeWorker(workerId).catch(() => undefined);
      metrics.partitionsOwned.set(0);
    },
  };
}

function partitionOfId(id: string, partitions: number): number {
  const cut = id.indexOf('\u0000');
  return partitionOf(id.slice(0, cut), id.slice(cut + 1), partitions);
}

/** The worker's one LRU of resident actors, as one partition's driver sees it. */
export function residentCache(
  cache: Lru<string, Cached>,
  partition: number,
  partitions: number,
): ResidentCache {
  return {
    get: (id) => cache.get(id),
    set: (id, value) => cache.set(id, value),
    forgetPartition: () => cache.deleteWhere((id) => partitionOfId(id, partitions) === partition),
  };
}

async function ensureDirectoryBuckets(nc: NatsConnection, actors: readonly AnyActor[]) {
  const kvm = new Kvm(nc);
  for (const actor of actors) {
    if (actor.directoryEntry) await kvm.create(directoryBucket(actor.type), { history: 1 });
  }
}

/** Periodic work: renew leases (ttl/3), rebalance (≈1 s), ping the DB (2 s). */
function startBackground(input: {
  manager: LeaseManager;
  db: Db;
  log: WorkerLog;
  leaseTtlMs: number;
}) {
  const { manager, db, log, leaseTtlMs } = input;
  let lastDbOkMs = Date.now();
  let rebalancing: Promise<void> = Promise.resolve();
  let renewing = false;
  let stopped = false;
  const rebalanceNow = () => {
    rebalancing = rebalancing
      .then(() => (stopped ? undefined : manager.rebalance()))
      .then(() => metrics.partitionsOwned.set(manager.owned().length))
      .catch((error: unknown) => log.warn({ err: error }, 'rebalance failed'));
    return rebalancing;
  };
  const renew = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      void manager.renew().finally(() => {
        renewing = false;
      });
    },
    Math.floor(leaseTtlMs / 3),
  );
  const rebalance = setInterval(rebalanceNow, Math.min(1000, Math.floor(leaseTtlMs / 2)));
  const ping = setInterval(() => {
    db.execute(sql`select 1`).then(
      () => {
        lastDbOkMs = Date.now();
      },
      (error: unknown) => log.warn({ err: error }, 'database ping failed'),
    );
  }, 2000);
  return {
    rebalanceNow,
    lastDbOkMs: () => lastDbOkMs,
    async stop() {
      stopped = true;
      clearInterval(rebalance);
      clearInterval(ping);
      await rebalancing;
      clearInterval(renew);
    },
  };
}

function workerStatus(
  nc: NatsConnection,
  manager: LeaseManager,
  loops: ReadonlyMap<number, PartitionDriver>,
  lastDbOkMs: number,
  stallAfterMs: number,
): WorkerStatus {
  const nowMs = Date.now();
  const owned = manager.owned();
  const stuck: number[] = [];
  const halted: Array<{ partition: number; seq: number; reason: string }> = [];
  let lastProgressMs = 0;
  for (const [partition, loop] of loops) {
    const status = loop.status();
    lastProgressMs = Math.max(lastProgressMs, status.lastProgressMs);
    const stalled = status.pending > 0 && nowMs - status.lastProgressMs > stallAfterMs;
    if (status.halted !== undefined) halted.push({ partition, ...status.halted });
    if (stalled || status.halted !== undefined) stuck.push(partition);
    metrics.stalled.set({ partition: String(partition) }, stuck.at(-1) === partition ? 1 : 0);
  }
  const base = {
    ownedPartitions: owned,
    lastProgressMs,
    stuckPartitions: stuck,
    haltedPartitions: halted,
  };
  if (nc.isClosed()) return { ...base, ready: false, reason: 'NATS connection closed' };
  if (nowMs - lastDbOkMs > DB_STALE_AFTER_MS) {
    return { ...base, ready: false, reason: 'database not answering' };
  }
  if (halted.length > 0) {
    const which = halted.map((h) => `${h.partition} at seq ${h.seq}`).join(', ');
    return { ...base, ready: false, reason: `partitions halted: ${which}` };
  }
  if (stuck.length > 0) return { ...base, ready: false, reason: `partitions stalled: ${stuck}` };
  return { ...base, ready: true };
}
