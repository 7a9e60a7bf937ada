// Simulated NATS KV for the lease buckets: per-bucket revisions that only grow (the fencing
// token), a TTL on the simulated clock after which a key is gone, create that fails on a live
// key and update that fails on a stale revision. SimLeaseStore is the runtime's LeaseStore
// (runtime/lease.ts) over it, each call an I/O of its worker, so the real LeaseManager runs.

import type { LeaseStore } from '../../runtime/lease.ts';
import type { IoFault, SimScheduler } from './scheduler.ts';

type Entry = { readonly value: string; readonly revision: number; readonly putAtMs: number };

export class SimBucket {
  private revision = 0;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: () => number,
    readonly ttlMs: number,
  ) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.clock() - entry.putAtMs >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  create(key: string, value: string): number {
    if (this.live(key) !== undefined) throw new Error(`kv: ${key} exists`);
    return this.put(key, value);
  }

  update(key: string, value: string, revision: number): number {
    if (this.live(key)?.revision !== revision) throw new Error(`kv: ${key} wrong last sequence`);
    return this.put(key, value);
  }

  put(key: string, value: string): number {
    this.revision++;
    this.entries.set(key, { value, revision: this.revision, putAtMs: this.clock() });
    return this.revision;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  liveKeys(): Set<string> {
    const keys = new Set<string>();
    for (const key of [...this.entries.keys()]) if (this.live(key)) keys.add(key);
    return keys;
  }
}

/** What the fault scheduler answers for each KV call. */
export type KvFaults = { call(): { latencyMs: number; fault: IoFault } };

export class SimLeaseStore implements LeaseStore {
  constructor(
    private readonly owner: string,
    private readonly sched: SimScheduler,
    private readonly leases: SimBucket,
    private readonly workers: SimBucket,
    private readonly faults: KvFaults,
  ) {}

  private io<T>(label: string, server: () => T): Promise<T> {
    const { latencyMs, fault } = this.faults.call();
    return this.sched.io({ owner: this.owner, label: `kv ${label}`, latencyMs, fault }, server);
  }

  create(key: string, value: string): Promise<number> {
    return this.io(`create ${key}`, () => this.leases.create(key, value));
  }

  update(key: string, value: string, revision: number): Promise<number> {
    return this.io(`update ${key}`, () => this.leases.update(key, value, revision));
  }

  delete(key: string): Promise<void> {
    return this.io(`delete ${key}`, () => this.leases.delete(key));
  }

  heldKeys(): Promise<Set<string>> {
    return this.io('held keys', () => this.leases.liveKeys());
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.io('heartbeat', () => this.workers.put(workerId, workerId));
  }

  liveWorkers(): Promise<number> {
    return this.io('live workers', () => this.workers.liveKeys().size);
  }

  removeWorker(workerId: string): Promise<void> {
    return this.io('remove worker', () => this.workers.delete(workerId));
  }
}
