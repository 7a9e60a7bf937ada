// Creating and reconciling the KV buckets (leases, workers, directories). `Kvm.create` leaves an
// existing bucket as it is, so a changed LEASE_TTL_MS or STREAM_REPLICAS would be ignored; here
// an existing bucket's TTL and replica count are updated to what this process was started with,
// and the change is returned so the caller can log it. A replica count left unset keeps the
// bucket's own (processes that do not know the deployment's setting never scale a bucket down).

import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { isNotFound } from './streams.ts';

export type BucketSettings = {
  /** Entry time-to-live; undefined keeps entries forever. */
  readonly ttlMs?: number;
  /** Replicas; undefined keeps an existing bucket's count and creates new buckets with 1. */
  readonly replicas?: number;
};

export type BucketChange = {
  readonly bucket: string;
  readonly ttlMs: { readonly from: number; readonly to: number } | undefined;
  readonly replicas: { readonly from: number; readonly to: number } | undefined;
};

const NANOS_PER_MS = 1_000_000;
const DUPLICATE_WINDOW_NANOS = 2 * 60 * 1000 * NANOS_PER_MS;

/** Opens `bucket`, creating it or bringing its TTL and replicas to `settings`. */
export async function ensureKvBucket(
  nc: NatsConnection,
  bucket: string,
  settings: BucketSettings,
  onChange: (change: BucketChange) => void = () => {},
): Promise<KV> {
  const jsm = await jetstreamManager(nc);
  const kvm = new Kvm(nc);
  const existing = await streamConfig(jsm, `KV_${bucket}`);
  if (existing === undefined) {
    return kvm.create(bucket, {
      history: 1,
      replicas: settings.replicas ?? 1,
      ...(settings.ttlMs === undefined ? {} : { ttl: settings.ttlMs }),
    });
  }
  const fromTtlMs = Math.round(existing.max_age / NANOS_PER_MS);
  const toTtlMs = settings.ttlMs ?? 0;
  const toReplicas = settings.replicas ?? existing.num_replicas;
  const change: BucketChange = {
    bucket,
    ttlMs: fromTtlMs === toTtlMs ? undefined : { from: fromTtlMs, to: toTtlMs },
    replicas:
      existing.num_replicas === toReplicas
        ? undefined
        : { from: existing.num_replicas, to: toReplicas },
  };
  if (change.ttlMs || change.replicas) {
    await jsm.streams.update(`KV_${bucket}`, {
      ...existing,
      max_age: toTtlMs * NANOS_PER_MS,
      // The server refuses a duplicate window longer than max_age (as Kvm.create sets it).
      duplicate_window:
        toTtlMs === 0
          ? DUPLICATE_WINDOW_NANOS
          : Math.min(DUPLICATE_WINDOW_NANOS, toTtlMs * NANOS_PER_MS),
      num_replicas: toReplicas,
    });
    onChange(change);
  }
  return kvm.open(bucket);
}

async function streamConfig(jsm: JetStreamManager, stream: string) {
  try {
    return (await jsm.streams.info(stream)).config;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
