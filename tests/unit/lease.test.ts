// Lease state transitions without NATS: a fake store with a TTL and a controllable clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LeaseManager, type LeaseStore, planRebalance } from '../../runtime/lease.ts';

class FakeStore implements LeaseStore {
  revision = 0;
  readonly keys = new Map<string, { value: string; revision: number; atMs: number }>();
  readonly workers = new Map<string, number>();
  constructor(
    readonly clock: { nowMs: number },
    readonly ttlMs: number,
  ) {}
  private live(key: string) {
    const entry = this.keys.get(key);
    return entry && this.clock.nowMs - entry.atMs < this.ttlMs ? entry : undefined;
  }
  async create(key: string, value: string) {
    if (this.live(key)) throw new Error('exists');
    this.keys.set(key, { value, revision: ++this.revision, atMs: this.clock.nowMs });
    return this.revision;
  }
  async update(key: string, value: string, revision: number) {
    if (this.live(key)?.revision !== revision) throw new Error('wrong revision');
    this.keys.set(key, { value, revision: ++this.revision, atMs: this.clock.nowMs });
    return this.revision;
  }
  async delete(key: string) {
    this.keys.delete(key);
  }
  async heldKeys() {
    return new Set([...this.keys.keys()].filter((k) => this.live(k)));
  }
  async heartbeat(workerId: string) {
    this.workers.set(workerId, this.clock.nowMs);
  }
  async liveWorkers() {
    return [...this.workers.values()].filter((at) => this.clock.nowMs - at < this.ttlMs).length;
  }
}

function manager(store: FakeStore, workerId: string, log: string[], offset = 0) {
  return new LeaseManager(
    store,
    {
      acquired: (p, fence) => log.push(`${workerId} acquired ${p} fence ${fence}`),
      lost: (p) => log.push(`${workerId} lost ${p}`),
      releasing: async (p) => {
        log.push(`${workerId} releasing ${p}`);
      },
    },
    { partitions: 4, leaseTtlMs: 1000, workerId, offset, clock: () => store.clock.nowMs },
  );
}

describe('planRebalance', () => {
  it('claims free partitions up to the fair share, starting at the offset', () => {
    const plan = planRebalance({
      partitions: 8,
      owned: new Set(),
      held: new Set([3, 4]),
      liveWorkers: 2,
      offset: 2,
    });
    assert.deepEqual(plan, { claim: [2, 5, 6, 7], release: [] });
  });

  it('releases the extras above ceil(partitions / live workers)', () => {
    const plan = planRebalance({
      partitions: 8,
      owned: new Set([0, 1, 2, 3, 4, 5, 6, 7]),
      held: new Set([0, 1, 2, 3, 4, 5, 6, 7]),
      liveWorkers: 3,
      offset: 0,
    });
    assert.deepEqual(plan, { claim: [], release: [3, 4, 5, 6, 7] });
  });
});

describe('LeaseManager', () => {
  it('acquires every free partition alone, with increasing fencing tokens', async () => {
    const store = new FakeStore({ nowMs: 0 }, 1000);
    const log: string[] = [];
    const a = manager(store, 'a', log);
    await a.rebalance();
    assert.deepEqual(log, [
      'a acquired 0 fence 1',
      'a acquired 1 fence 2',
      'a acquired 2 fence 3',
      'a acquired 3 fence 4',
    ]);
    assert.deepEqual(a.owned(), [0, 1, 2, 3]);
    assert.equal(a.isValid(2), true);
  });

  it('loses a lease whose renewal fails and lets another worker take it', async () => {
    const clock = { nowMs: 0 };
    const store = new FakeStore(clock, 1000);
    const log: string[] = [];
    const a = manager(store, 'a', log);
    await a.rebalance();
    clock.nowMs = 1200;
    assert.equal(a.isValid(0), false);
    const b = manager(store, 'b', log);
    await b.rebalance();
    await a.renew();
    assert.deepEqual(log.slice(4), [
      'b acquired 0 fence 5',
      'b acquired 1 fence 6',
      'b acquired 2 fence 7',
      'b acquired 3 fence 8',
      'a lost 0',
      'a lost 1',
      'a lost 2',
      'a lost 3',
    ]);
    assert.deepEqual(a.owned(), []);
  });

  it('keeps leases that are renewed in time', async () => {
    const clock = { nowMs: 0 };
    const store = new FakeStore(clock, 1000);
    const log: string[] = [];
    const a = manager(store, 'a', log);
    await a.rebalance();
    for (let t = 300; t <= 3000; t += 300) {
      clock.nowMs = t;
      await a.renew();
    }
    assert.deepEqual(a.owned(), [0, 1, 2, 3]);
    assert.equal(log.length, 4);
  });

  it('hands extras over when a second worker joins, then the newcomer claims them', async () => {
    const clock = { nowMs: 0 };
    const store = new FakeStore(clock, 1000);
    const log: string[] = [];
    const a = manager(store, 'a', log);
    const b = manager(store, 'b', log);
    await a.rebalance();
    await b.rebalance();
    await a.rebalance();
    await b.rebalance();
    assert.deepEqual(a.owned(), [0, 1]);
    assert.deepEqual(b.owned(), [2, 3]);
    assert.deepEqual(log.slice(4), [
      'a releasing 2',
      'a releasing 3',
      'b acquired 2 fence 5',
      'b acquired 3 fence 6',
    ]);
  });
});
