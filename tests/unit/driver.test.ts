// The partition driver (runtime/driver.ts) over in-memory ports (tests/fixtures/memory-ports.ts):
// each fault found in the runtime review (issue 9) and each poison class (issue 10) injected
// through a port, with the exact state the store ends with.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PartitionDriver } from '../../runtime/driver.ts';
import { PartitionTimers } from '../../runtime/partition-timers.ts';
import { PortError } from '../../runtime/ports.ts';
import { actorId } from '../../runtime/snapshot-store.ts';
import { mapCache, memoryWorld, until } from '../fixtures/memory-ports.ts';

const add = (id: number) => ({ kind: 'add', id });

function drive(world: ReturnType<typeof memoryWorld>, cache = mapCache()) {
  const driver = new PartitionDriver(world.deps, 0, 1, cache);
  driver.start();
  return driver;
}

describe('the partition driver', () => {
  it('re-reads the DB after a write whose outcome was lost: every add applied once', async () => {
    const world = memoryWorld();
    let writes = 0;
    world.store.onWrite = () =>
      ++writes === 2 ? { after: new PortError('ambiguous', 'lost') } : undefined;
    for (let i = 0; i < 3; i++) world.stream.add('k', add(i));
    const driver = drive(world);
    await until('three adds', () => world.store.seen('k')?.length === 3);
    for (let i = 3; i < 6; i++) world.stream.add('k', add(i));
    await until('six adds', () => world.store.seen('k')?.length === 6);
    world.stream.add('k', add(6));
    await until('seven adds', () => world.store.seq === 7);
    await driver.stop();
    assert.deepEqual(world.store.seen('k'), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(world.store.snapshots.get(actorId('counter', 'k'))?.version, 7);
    assert.ok(world.stream.opened >= 2, 'the consumer was reopened from the stored checkpoint');
  });

  it('uses the state it pinned even when the cache evicts the actor right after', async () => {
    const world = memoryWorld({ batchSizeMax: 1 });
    const cache = mapCache();
    const evictOnRead = {
      ...cache,
      get: (id: string) => {
        const value = cache.get(id);
        cache.map.delete(id);
        return value;
      },
    };
    world.stream.add('k', add(0));
    world.stream.add('k', add(1));
    const driver = drive(world, evictOnRead);
    await until('two adds', () => world.store.seq === 2);
    await driver.stop();
    assert.deepEqual(world.store.seen('k'), [0, 1]);
    assert.equal(world.stream.opened, 1, 'no write was refused as stale and retried');
  });

  it('publishes nothing once the lease has expired, and leaves the rows in the outbox', async () => {
    const world = memoryWorld();
    world.store.onWrite = () => {
      world.lease.ok = false;
      return undefined;
    };
    world.stream.add('k', add(0));
    const driver = drive(world);
    await until('the write', () => world.store.seq === 1);
    await until('the driver to give up', () => world.errors.length === 1);
    await driver.stop();
    assert.deepEqual(world.bus.published, []);
    assert.equal(world.store.outbox.length, 3);
    assert.equal(world.store.publishedSeq, 0);
  });

  it('records what a quiet partition published, so a successor does not re-send it', async () => {
    const world = memoryWorld();
    world.stream.add('k', add(0));
    const driver = drive(world);
    await until('published and recorded', () => world.store.publishedSeq === 1);
    await driver.stop();
    assert.equal(world.bus.published.length, 3);
    assert.deepEqual(await world.store.loadOutbox(), []);
  });

  it('publishes the next batch while a prune hangs (sim seeds 1558 and 7862)', async () => {
    // A housekeeping statement stalled 55 s; the next batch's postings waited behind it with
    // the payer's funds reserved and the transfer already committed in the database.
    const world = memoryWorld({ batchSizeMax: 1 });
    let prunes = 0;
    let release = () => {};
    world.store.prune = () => {
      prunes++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    const sent = () => world.bus.published.filter((row) => row.subject.startsWith('cmd.'));
    world.stream.add('k', add(0));
    const driver = drive(world);
    try {
      await until('the first prune to hang', () => prunes === 1);
      world.stream.add('k', add(1));
      await until('the second batch published', () => sent().length === 2, 3000);
      assert.equal(prunes, 1, 'no second prune while the first hangs');
    } finally {
      release();
      await driver.stop();
    }
    assert.deepEqual(world.store.seen('k'), [0, 1]);
  });

  it('keeps flowing when recording published rows fails, and records them later', async () => {
    const world = memoryWorld();
    let failures = 1;
    const record = world.store.recordPublished.bind(world.store);
    world.store.recordPublished = async (fence, seq) => {
      if (failures-- > 0) throw new PortError('transient', 'connection lost');
      await record(fence, seq);
    };
    world.stream.add('k', add(0));
    const driver = drive(world);
    await until('published and recorded', () => world.store.publishedSeq === 1);
    world.stream.add('k', add(1));
    await until('the second add', () => world.store.seq === 2);
    await driver.stop();
    assert.equal(world.stream.opened, 1, 'a housekeeping failure did not reopen the consumer');
    assert.deepEqual(world.errors, []);
  });

  it('fires a timer again when its first firing failed on a database read', async () => {
    const world = memoryWorld();
    const atMs = 1_000_050;
    world.store.snapshots.set(actorId('counter', 't'), {
      type: 'counter',
      key: 't',
      version: 1,
      state: JSON.stringify({ seen: [], armedAtMs: atMs, expired: 0 }),
      timer: atMs,
    });
    let reads = 0;
    world.store.onLoad = (keys) =>
      keys.includes('t') && ++reads === 1 ? new PortError('transient', 'db down') : undefined;
    const driver = drive(world);
    const fired = () => world.bus.published.some((r) => r.msgId === `timer-counter-t-${atMs}`);
    await until('the timer to fire', fired);
    await driver.stop();
    assert.equal(reads, 2);
  });

  it('arms the timer a write persisted even when the answer to that write was lost', async () => {
    const world = memoryWorld();
    const atMs = 1_000_050;
    let writes = 0;
    world.store.onWrite = () =>
      ++writes === 1 ? { after: new PortError('ambiguous', 'lost') } : undefined;
    world.stream.add('t', { kind: 'arm', atMs });
    const driver = drive(world);
    const fired = () => world.bus.published.some((r) => r.msgId === `timer-counter-t-${atMs}`);
    await until('the timer the lost write armed to fire', fired);
    await driver.stop();
    assert.equal(world.store.snapshots.get(actorId('counter', 't'))?.timer, atMs);
  });

  it('halts on a broken money invariant, then resumes past it when an operator drops it', async () => {
    const world = memoryWorld({ haltingTypes: new Set(['counter']) });
    world.stream.add('k', add(0));
    world.stream.add('k', { kind: 'boom' });
    world.stream.add('k', add(2));
    const driver = drive(world);
    await until('the halt', () => driver.status().halted !== undefined);
    assert.deepEqual(driver.status().halted, {
      seq: 2,
      reason: 'counter threw: InvariantError: boom',
    });
    assert.deepEqual(world.store.seen('k'), [0]);
    assert.equal(world.store.poison.get(2)?.status, 'halted');
    assert.equal(world.stream.ackedThrough, 1);
    world.store.poison.set(2, { ...world.store.poison.get(2)!, decision: 'drop' });
    await until('the rest', () => world.store.seq === 3);
    await driver.stop();
    assert.deepEqual(world.store.seen('k'), [0, 2]);
    assert.equal(world.store.poison.get(2)?.status, 'dropped');
    assert.equal(driver.status().halted, undefined);
  });

  it('parks the one command the database refuses and applies the rest in order', async () => {
    const world = memoryWorld();
    const refused = new PortError('deterministic', 'invalid byte sequence');
    world.store.onWrite = (write) =>
      write.snapshots.some((s) => s.key === 'bad') ? { before: refused } : undefined;
    world.store.onLoad = (keys) => (keys.includes('worse') ? refused : undefined);
    world.stream.add('k', add(0));
    world.stream.add('bad', add(1), { replyTo: '_INBOX.bad' });
    world.stream.add('k', add(2));
    world.stream.add('worse', add(3));
    world.stream.add('k', add(4));
    const driver = drive(world);
    await until('the batch', () => world.store.seq === 5);
    await driver.stop();
    assert.deepEqual(world.store.seen('k'), [0, 2, 4]);
    assert.deepEqual(
      [...world.store.poison.values()].map((p) => [p.seq, p.status, p.actor]),
      [
        [2, 'parked', 'counter/bad'],
        [4, 'parked', 'counter/worse'],
      ],
    );
    assert.deepEqual(world.bus.replies, [
      {
        subject: '_INBOX.bad',
        payload: JSON.stringify({
          mkondoCommandFailed: { reason: 'database refused it: invalid byte sequence' },
        }),
      },
    ]);
    assert.equal(world.stream.ackedThrough, 5);
  });

  it('retries a transient failure with backoff and applies everything once', async () => {
    const world = memoryWorld();
    let failures = 0;
    world.store.onWrite = () =>
      failures++ < 3 ? { before: new PortError('transient', 'connection lost') } : undefined;
    for (let i = 0; i < 4; i++) world.stream.add('k', add(i));
    const driver = drive(world);
    await until('the adds', () => world.store.seq === 4);
    await driver.stop();
    assert.deepEqual(world.store.seen('k'), [0, 1, 2, 3]);
    assert.equal(world.store.poison.size, 0);
  });
});

describe('the partition timers', () => {
  it('never start ticking when stopped while the timer rebuild awaits the database', async () => {
    const world = memoryWorld();
    let release: () => void = () => {};
    const loaded = new Promise<void>((resolve) => {
      release = resolve;
    });
    world.store.loadTimers = async () => {
      await loaded;
      return [];
    };
    let sleeps = 0;
    const clock = { nowMs: () => 0, sleep: async () => void sleeps++ };
    const timers = new PartitionTimers({ ...world.deps, clock }, 0, mapCache());
    const rebuilding = timers.rebuild();
    timers.stop();
    release();
    await rebuilding;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(sleeps, 0);
  });
});
