// Ownership under failure: two workers split the partitions and one is SIGKILLed; a worker frozen
// (SIGSTOP) past its lease cannot write when it wakes; the DB fence rejects a stale owner's batch;
// a stale owner can neither delete nor shadow a newer owner's consumer; an expiry timer armed
// before a takeover fires after it, exactly once.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kvm } from '@nats-io/kv';
import { sql } from 'drizzle-orm';
import { writeBatch } from '../../runtime/batch-write.ts';
import { DbStateReader, withRetry } from '../../runtime/index.ts';
import { LEASES_BUCKET, liveEntries } from '../../runtime/lease-store.ts';
import { claimCheckpoint, FencedError } from '../../runtime/snapshot-store.ts';
import { resetPartitionConsumer } from '../../runtime/streams.ts';
import type { CounterState } from '../fixtures/counter-actor.ts';
import {
  assertCrashFreeOutcome,
  LEASE_TTL_MS,
  PARTITIONS,
  publishAdds,
  readStream,
  type Services,
  spawnWorker,
  startServices,
  stopWorker,
  tallyCount,
  type WorkerProcess,
  waitFor,
} from '../fixtures/runtime-harness.ts';

/** Lease holder per partition, read from the `leases` KV bucket. */
async function leaseHolders(services: Services): Promise<Map<number, string>> {
  const holders = new Map<number, string>();
  const kv = await new Kvm(services.nc).open(LEASES_BUCKET).catch(() => undefined);
  if (kv === undefined || (await kv.status().catch(() => undefined)) === undefined) return holders;
  for (const entry of await liveEntries(services.jsm, kv, LEASES_BUCKET)) {
    holders.set(Number(entry.key.slice(1)), entry.string());
  }
  return holders;
}

async function heldBy(services: Services, workerId: string): Promise<number> {
  return [...(await leaseHolders(services)).values()].filter((w) => w === workerId).length;
}

async function withServices(run: (services: Services) => Promise<void>): Promise<void> {
  const services = await startServices();
  try {
    await run(services);
  } finally {
    await services.close();
  }
}

describe('partition ownership', () => {
  it('moves every partition to the survivor within leaseTtl + 1 s of a SIGKILL', async () => {
    await withServices(async (services) => {
      const a = spawnWorker(services, { WORKER_ID: 'A' });
      const b = spawnWorker(services, { WORKER_ID: 'B' });
      try {
        await waitFor('an even split', async () => {
          return (await heldBy(services, 'A')) === 4 && (await heldBy(services, 'B')) === 4;
        });
        await publishAdds(services.bus, 10, 20);
        a.child.kill('SIGKILL');
        const killedAtMs = Date.now();
        await waitFor('B to own all', async () => (await heldBy(services, 'B')) === PARTITIONS);
        const takeoverMs = Date.now() - killedAtMs;
        assert.ok(takeoverMs <= LEASE_TTL_MS + 1000, `takeover took ${takeoverMs} ms`);
        await publishAdds(services.bus, 10, 20, 20);
        await waitFor('all adds applied', async () => (await tallyCount(services)) === 400);
        await assertCrashFreeOutcome(services, 10, 40);
      } finally {
        await stopWorker(a);
        await stopWorker(b);
      }
    });
  });

  it('fences a worker frozen past its lease: it writes nothing, gives partitions up', async () => {
    await withServices(async (services) => {
      const zombie = spawnWorker(services, { WORKER_ID: 'Z', MKONDO_PAUSE_AT: 'before-write' });
      let successor: WorkerProcess | undefined;
      try {
        await waitFor('Z to own all', async () => (await heldBy(services, 'Z')) === PARTITIONS);
        await publishAdds(services.bus, 10, 1);
        await waitFor(
          'Z to freeze mid-batch',
          () => zombie.child.signalCode === null && paused(zombie),
        );
        successor = spawnWorker(services, { WORKER_ID: 'S' });
        await waitFor('S to own all', async () => (await heldBy(services, 'S')) === PARTITIONS);
        await waitFor(
          'S to apply the frozen batch',
          async () => (await tallyCount(services)) === 10,
        );
        const fences = await checkpointFences(services);
        zombie.child.kill('SIGCONT');
        await publishAdds(services.bus, 10, 9, 1);
        await waitFor('all adds applied', async () => (await tallyCount(services)) === 100);
        await new Promise((r) => setTimeout(r, LEASE_TTL_MS));
        await assertCrashFreeOutcome(services, 10, 10);
        const after = await checkpointFences(services);
        for (const [partition, fence] of fences) assert.ok(after.get(partition)! >= fence);
      } finally {
        await stopWorker(zombie);
        if (successor) await stopWorker(successor);
      }
    });
  });

  it('rejects the batch transaction of an owner whose fencing token is stale', async () => {
    await withServices(async (services) => {
      const db = services.opened.db;
      assert.equal(await claimCheckpoint(db, 3, 5), 0);
      assert.equal(await claimCheckpoint(db, 3, 9), 0);
      assert.equal(await claimCheckpoint(db, 3, 7), undefined);
      const stale = withRetry(db, (tx) =>
        writeBatch(tx, {
          partition: 3,
          fence: 5,
          fromSeq: 0,
          lastSeq: 42,
          snapshots: [
            {
              type: 'counter',
              key: 'x',
              baseVersion: 0,
              version: 1,
              stateJson: '{}',
              timerAtMs: undefined,
            },
          ],
          outbox: [],
          poison: [],
          publishedThroughSeq: 0,
          applied: [],
        }),
      );
      await assert.rejects(stale, FencedError);
      const rows = await db.execute(sql`select count(*)::int as n from actor_snapshots`);
      assert.deepEqual((rows as unknown as { rows: unknown[] }).rows, [{ n: 0 }]);
      const checkpoint = await db.execute(sql`select seq, fence from partition_checkpoints`);
      assert.deepEqual((checkpoint as unknown as { rows: unknown[] }).rows, [
        { seq: '0', fence: '9' },
      ]);
    });
  });

  it("lets no stale owner delete or shadow a newer owner's partition consumer", async () => {
    await withServices(async (services) => {
      const limits = { maxAckPending: 16 };
      assert.equal(await resetPartitionConsumer(services.jsm, 2, 5, 0, limits), 'part-2-5');
      assert.equal(await resetPartitionConsumer(services.jsm, 2, 9, 0, limits), 'part-2-9');
      await assert.rejects(resetPartitionConsumer(services.jsm, 2, 7, 0, limits), FencedError);
      const names: string[] = [];
      for await (const info of services.jsm.consumers.list('CMD')) names.push(info.name);
      assert.deepEqual(names, ['part-2-9']);
    });
  });

  it('fires an expiry timer armed before a takeover after it, exactly once', async () => {
    await withServices(async (services) => {
      const first = spawnWorker(services, { WORKER_ID: 'T1' });
      let second: WorkerProcess | undefined;
      try {
        await waitFor('T1 to own all', async () => (await heldBy(services, 'T1')) === PARTITIONS);
        const ref = { type: 'counter', key: 'timed' };
        const atMs = Date.now() + 2500;
        await services.bus.request(ref, { kind: 'arm', atMs });
        first.child.kill('SIGKILL');
        second = spawnWorker(services, { WORKER_ID: 'T2' });
        const reader = new DbStateReader(services.opened.db);
        await waitFor('the timer to fire', async () => {
          return (await reader.get<CounterState>(ref))?.expired === 1;
        });
        assert.ok(Date.now() >= atMs);
        await new Promise((r) => setTimeout(r, 1000));
        assert.deepEqual(await reader.get<CounterState>(ref), { seen: [], expired: 1 });
        const expiries = (await readStream(services.js, services.jsm, 'CMD')).filter(
          (m) => (m.body as { command: { kind: string } }).command.kind === 'expire',
        );
        assert.equal(expiries.length, 1);
      } finally {
        await stopWorker(first);
        if (second) await stopWorker(second);
      }
    });
  });
});

const pausedWorkers = new WeakSet<WorkerProcess>();
function paused(worker: WorkerProcess): boolean {
  if (!pausedWorkers.has(worker) && !watched.has(worker)) {
    watched.add(worker);
    worker.child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('pausing')) pausedWorkers.add(worker);
    });
  }
  return pausedWorkers.has(worker);
}
const watched = new WeakSet<WorkerProcess>();

async function checkpointFences(services: Services): Promise<Map<number, number>> {
  const result = await services.opened.db.execute(
    sql`select partition, fence from partition_checkpoints`,
  );
  const rows = (result as unknown as { rows: Array<{ partition: number; fence: string }> }).rows;
  return new Map(rows.map((r) => [r.partition, Number(r.fence)]));
}
