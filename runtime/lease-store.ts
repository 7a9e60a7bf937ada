// LeaseStore over NATS KV: bucket `leases` (one key per partition) and bucket `workers` (one key
// per live worker), both with a bucket TTL of leaseTtlMs, so a dead worker's keys vanish by
// themselves. The bucket's stream sequence is the revision, monotonic across the bucket, which
// makes it a fencing token that only grows from one owner to the next (runtime/cluster-guard
// keeps it so when the bucket loses its history). Opening applies a changed TTL to the buckets.

import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { KV, KvEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { type BucketChange, ensureKvBucket } from './kv-buckets.ts';
import type { LeaseStore } from './lease.ts';
import { bucketName } from './names.ts';
import { directoryKey } from './outbox.ts';

/** Base names; the buckets carry the NATS namespace prefix (leasesBucket(), workersBucket()). */
export const LEASES_BUCKET = 'leases';
export const WORKERS_BUCKET = 'workers';

export const leasesBucket = (): string => bucketName(LEASES_BUCKET);
export const workersBucket = (): string => bucketName(WORKERS_BUCKET);

export type LeaseBucketOptions = {
  /** Replicas of both buckets; unset keeps what the buckets have (1 when created). */
  readonly replicas?: number;
  /** Told when an existing bucket's TTL or replicas were changed to this process's settings. */
  readonly onChange?: (change: BucketChange) => void;
};

export class KvLeaseStore implements LeaseStore {
  private constructor(
    private readonly jsm: JetStreamManager,
    private readonly leases: KV,
    private readonly workers: KV,
  ) {}

  static async open(
    nc: NatsConnection,
    leaseTtlMs: number,
    options: LeaseBucketOptions = {},
  ): Promise<KvLeaseStore> {
    const settings = {
      ttlMs: leaseTtlMs,
      ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
    };
    const leases = await ensureKvBucket(nc, leasesBucket(), settings, options.onChange);
    const workers = await ensureKvBucket(nc, workersBucket(), settings, options.onChange);
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
    return liveKeys(this.jsm, this.leases, leasesBucket());
  }

  async heartbeat(workerId: string): Promise<void> {
    await this.workers.put(directoryKey(workerId), workerId);
  }

  async liveWorkers(): Promise<number> {
    return (await liveKeys(this.jsm, this.workers, workersBucket())).size;
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
