// The JetStream streams and the per-partition consumer (DESIGN.md §4). Streams are created or
// updated idempotently at start. Retention is by limits, never work-queue, so CMD/EVT/OUT remain
// an audit log that can be replayed. The partition consumer is recreated by every new owner from
// the DB checkpoint, under a name carrying its fencing token, so a zombie's fetches find nothing.

import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { partitionFilter } from './partition.ts';
import { FencedError } from './snapshot-store.ts';

export const CMD_STREAM = 'CMD';
export const EVT_STREAM = 'EVT';
export const OUT_STREAM = 'OUT';

export type StreamOptions = {
  /** Max age of stream messages; 0 = unlimited. */
  readonly maxAgeMs?: number;
  /** Max bytes per stream; -1 = unlimited. */
  readonly maxBytes?: number;
  /** Stream replicas (1 for a single server, 3 for a production cluster). */
  readonly replicas?: number;
  /** Memory storage is for tests only. */
  readonly storage?: 'file' | 'memory';
  /** JetStream's Nats-Msg-Id duplicate window; shorter only in tests. */
  readonly duplicateWindowMs?: number;
};

const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

export async function ensureStreams(jsm: JetStreamManager, options: StreamOptions = {}) {
  const specs = [
    { name: CMD_STREAM, subjects: ['cmd.>'] },
    { name: EVT_STREAM, subjects: ['evt.>'] },
    { name: OUT_STREAM, subjects: ['out.>'] },
  ];
  for (const spec of specs) {
    const config = {
      ...spec,
      retention: RetentionPolicy.Limits,
      storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
      max_age: (options.maxAgeMs ?? 0) * 1_000_000,
      max_bytes: options.maxBytes ?? -1,
      duplicate_window: (options.duplicateWindowMs ?? DUPLICATE_WINDOW_MS) * 1_000_000,
      num_replicas: options.replicas ?? 1,
    };
    try {
      await jsm.streams.info(spec.name);
      await jsm.streams.update(spec.name, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.streams.add(config);
    }
  }
}

export function isNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; api_error?: { code?: number } };
  return e?.api_error?.code === 404 || /not found/i.test(String(e?.message ?? ''));
}

export function consumerName(partition: number, fence: number): string {
  return `part-${partition}-${fence}`;
}

/**
 * Deletes the consumers of `partition` left by earlier owners (lower fencing tokens, or this
 * owner's own earlier one) and creates this owner's, starting at the first sequence after the
 * checkpoint. Returns the new consumer's name. A consumer with a higher token belongs to a newer
 * owner: this one is fenced and must neither delete it nor add its own beside it.
 */
export async function resetPartitionConsumer(
  jsm: JetStreamManager,
  partition: number,
  fence: number,
  checkpointSeq: number,
  limits: { readonly maxAckPending: number },
): Promise<string> {
  const prefix = `part-${partition}-`;
  const stale: string[] = [];
  for await (const info of jsm.consumers.list(CMD_STREAM)) {
    if (!info.name.startsWith(prefix)) continue;
    if (Number(info.name.slice(prefix.length)) > fence) {
      throw new FencedError(`partition ${partition}: consumer ${info.name} is a newer owner's`);
    }
    stale.push(info.name);
  }
  for (const name of stale) {
    await jsm.consumers.delete(CMD_STREAM, name).catch((e) => {
      if (!isNotFound(e)) throw e;
    });
  }
  const name = consumerName(partition, fence);
  await jsm.consumers.add(CMD_STREAM, {
    durable_name: name,
    filter_subject: partitionFilter(partition),
    ack_policy: AckPolicy.All,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: checkpointSeq + 1,
    ack_wait: 30_000_000_000,
    max_ack_pending: limits.maxAckPending,
  });
  return name;
}
