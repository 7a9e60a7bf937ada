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
import { LeaseManager } from './lease.ts';
import { KvLeaseStore } from './lease-store.ts';
import { Lru } from './lru.ts';
import { metrics } from './metrics.ts';
import { directoryBucket } from './outbox.ts';
import { fnv1a32, partitionOf } from './partition.ts';
import { type CrashStage, type LoopDeps, PartitionLoop } from './partition-loop.ts';
import { FencedError } from './snapshot-store.ts';

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
  /** Test hook: called at each crash point of every batch. */
  readonly onCrashPoint?: (stage: CrashStage) => void;
};

export type WorkerStatus = {
  readonly ready: boolean;
  readonly reason?: string;
  readonly ownedPartitions: number[];
  readonly lastProgressMs: number;
  readonly stuckPartitions: number[];
};

export type Worker = { status(): WorkerStatus; stop(): Promise<void> };

export const DEFAULTS = { leaseTtlMs: 5000, batchSizeMax: 256, actorCacheMax: 10_000 };
const STUCK_AFTER_MS = 5000;
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
  const loops = new Map<number, PartitionLoop>();
  const loopDeps = (partition: number): LoopDeps => ({
    nc,
    js,
    jsm,
    db,
    actors: new Map(options.actors.map((a) => [a.type, a])),
    hub: options.hub,
    partitions,
    batchSizeMax: options.batchSizeMax ?? DEFAULTS.batchSizeMax,
    log,
    ...(options.onCrashPoint ? { onCrashPoint: options.onCrashPoint } : {}),
    leaseValid: () => manager.isValid(partition),
    onStopped: (error) => {
      loops.delete(partition);
      log.warn({ err: error, partition }, 'partition given up');
      if (error instanceof FencedError) manager.forget(partition);
      else void manager.release(partition);
    },
  });
  const manager: LeaseManager = new LeaseManager(
    store,
    {
      acquired(partition, fence) {
        cache.deleteWhere((id) => partitionOfId(id, partitions) === partition);
        const loop = new PartitionLoop(loopDeps(partition), partition, fence, cache);
        loops.set(partition, loop);
        loop.start();
      },
      lost(partition) {
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
  return {
    status: () => workerStatus(nc, manager, loops, background.lastDbOkMs()),
    async stop() {
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
  loops: ReadonlyMap<number, PartitionLoop>,
  lastDbOkMs: number,
): WorkerStatus {
  const nowMs = Date.now();
  const owned = manager.owned();
  const stuck: number[] = [];
  let lastProgressMs = 0;
  for (const [partition, loop] of loops) {
    lastProgressMs = Math.max(lastProgressMs, loop.lastProgressMs);
    if (loop.pending > 0 && nowMs - loop.lastProgressMs > STUCK_AFTER_MS) stuck.push(partition);
  }
  const base = { ownedPartitions: owned, lastProgressMs, stuckPartitions: stuck };
  if (nc.isClosed()) return { ...base, ready: false, reason: 'NATS connection closed' };
  if (nowMs - lastDbOkMs > DB_STALE_AFTER_MS) {
    return { ...base, ready: false, reason: 'database not answering' };
  }
  if (stuck.length > 0) return { ...base, ready: false, reason: `partitions stuck: ${stuck}` };
  return { ...base, ready: true };
}
