// LeaseStore over NATS KV: bucket `leases` (one key per partition) and bucket `workers` (one key
// per live worker), both with a bucket TTL of leaseTtlMs, so a dead worker's keys vanish by
// themselves. The bucket's stream sequence is the revision, monotonic across the bucket, which
// makes it a fencing token that only grows from one owner to the next.

import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { type KV, type KvEntry, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { LeaseStore } from './lease.ts';
import { directoryKey } from './outbox.ts';

export const LEASES_BUCKET = 'leases';
export const WORKERS_BUCKET = 'workers';

export class KvLeaseStore implements LeaseStore {
  private constructor(
    private readonly jsm: JetStreamManager,
    private readonly leases: KV,
    private readonly workers: KV,
  ) {}

  static async open(nc: NatsConnection, leaseTtlMs: number): Promise<KvLeaseStore> {
    const kvm = new Kvm(nc);
    const leases = await kvm.create(LEASES_BUCKET, { ttl: leaseTtlMs, history: 1 });
    const workers = await kvm.create(WORKERS_BUCKET, { ttl: leaseTtlMs, history: 1 });
    return new KvLeaseStore(await jetstreamManager(nc), leases, workers);
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
    return liveKeys(this.jsm, this.leases, LEASES_BUCKET);
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.workers.put(directoryKey(workerId), workerId);
  }

  async liveWorkers(): Promise<number> {
    return (await liveKeys(this.jsm, this.workers, WORKERS_BUCKET)).size;
  }

  async removeWorker(workerId: string): Promise<void> {
    await this.workers.delete(directoryKey(workerId));
  }
}

async function liveKeys(jsm: JetStreamManager, kv: KV, bucket: string): Promise<Set<string>> {
  return new Set((await liveEntries(jsm, kv, bucket)).map((entry) => entry.key));
}

/**
 * The entries whose latest value is a put, found from the bucket stream's subject index and one
 * get per subject. Not `kv.keys()`: it counts pending entries first and, when one expires before
 * it is delivered (keys here expire all the time), waits for an idle heartbeat, stalling
 * rebalancing by seconds.
 */
export async function liveEntries(
  jsm: JetStreamManager,
  kv: KV,
  bucket: string,
): Promise<KvEntry[]> {
  const info = await jsm.streams.info(`KV_${bucket}`, { subjects_filter: '>' });
  const prefix = `$KV.${bucket}.`;
  const subjects = Object.keys(info.state.subjects ?? {});
  const entries = await Promise.all(subjects.map((s) => kv.get(s.slice(prefix.length))));
  return entries.filter((entry): entry is KvEntry => entry?.operation === 'PUT');
}
