// LeaseStore over NATS KV: bucket `leases` (one key per partition) and bucket `workers` (one key
// per live worker), both with a bucket TTL of leaseTtlMs, so a dead worker's keys vanish by
// themselves. The bucket's stream sequence is the revision, monotonic across the bucket, which
// makes it a fencing token that only grows from one owner to the next.

import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { LeaseStore } from './lease.ts';
import { directoryKey } from './outbox.ts';

export const LEASES_BUCKET = 'leases';
export const WORKERS_BUCKET = 'workers';

export class KvLeaseStore implements LeaseStore {
  private constructor(
    private readonly leases: KV,
    private readonly workers: KV,
  ) {}

  static async open(nc: NatsConnection, leaseTtlMs: number): Promise<KvLeaseStore> {
    const kvm = new Kvm(nc);
    const leases = await kvm.create(LEASES_BUCKET, { ttl: leaseTtlMs, history: 1 });
    const workers = await kvm.create(WORKERS_BUCKET, { ttl: leaseTtlMs, history: 1 });
    return new KvLeaseStore(leases, workers);
  }

  create(key: string, value: string): Promise<number> {
    return this.leases.create(key, value);
  }

  update(key: string, value: string, revision: number): Promise<number> {
    return this.leases.update(key, value, revision);
  }

  delete(key: string): Promise<void> {
    return this.leases.delete(key);
  }

  heldKeys(): Promise<Set<string>> {
    return liveKeys(this.leases);
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.workers.put(directoryKey(workerId), workerId);
  }

  async liveWorkers(): Promise<number> {
    return (await liveKeys(this.workers)).size;
  }

  async removeWorker(workerId: string): Promise<void> {
    await this.workers.delete(directoryKey(workerId));
  }
}

async function liveKeys(kv: KV): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const key of await kv.keys()) keys.add(key);
  return keys;
}
