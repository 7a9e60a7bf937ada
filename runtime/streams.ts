// The JetStream streams and the per-partition consumer (DESIGN.md §4). Streams are created or
// updated idempotently at start. Retention is by limits, never work-queue, so CMD/EVT/OUT remain
// an audit log that can be replayed. Size limits discard NEW messages: a full stream refuses a
// publish (isStreamFull) rather than silently dropping the oldest accepted commands. The partition
// consumer is recreated by every new owner from the DB checkpoint, under a name carrying its
// fencing token, so a zombie's fetches find nothing.

import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { CMD_STREAM, EVT_STREAM, namespaced, OUT_STREAM } from './names.ts';
import { partitionFilter } from './partition.ts';
import { FencedError } from './snapshot-store.ts';

export { CMD_STREAM, EVT_STREAM, OUT_STREAM } from './names.ts';

export type StreamOptions = {
  /** Max age of stream messages; 0 = unlimited. */
  readonly maxAgeMs?: number;
  /** Max bytes per stream; -1 = unlimited. Past it, publishes are refused (discard new). */
  readonly maxBytes?: number;
  /** Largest message a stream accepts; -1 = the server's max_payload. */
  readonly maxMessageBytes?: number;
  /** Stream replicas (1 for a single server, 3 for a production cluster). */
  readonly replicas?: number;
  /** Memory storage is for tests only. */
  readonly storage?: 'file' | 'memory';
  /** JetStream's Nats-Msg-Id duplicate window; shorter only in tests. */
  readonly duplicateWindowMs?: number;
};

export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

export async function ensureStreams(jsm: JetStreamManager, options: StreamOptions = {}) {
  const specs = [
    { name: CMD_STREAM, subjects: [namespaced('cmd.>')] },
    { name: EVT_STREAM, subjects: [namespaced('evt.>')] },
    { name: OUT_STREAM, subjects: [namespaced('out.>')] },
  ];
  for (const spec of specs) {
    const config = {
      ...spec,
      retention: RetentionPolicy.Limits,
      storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
      max_age: (options.maxAgeMs ?? 0) * 1_000_000,
      max_bytes: options.maxBytes ?? -1,
      max_msg_size: options.maxMessageBytes ?? -1,
      discard: DiscardPolicy.New,
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

/**
 * True when a publish was refused because the stream (or the server's JetStream storage) is full:
 * the command was not accepted, and the caller should answer "service unavailable", not 202.
 */
export function isStreamFull(error: unknown): boolean {
  const { code, message } = jetStreamFailure(error);
  if (code === '10077') return /maximum .*exceeded/i.test(message);
  return code === '10047' || /insufficient (storage )?resources/i.test(message);
}

/** True when a publish was refused because the message is larger than the stream accepts. */
export function isMessageTooLarge(error: unknown): boolean {
  const { code, message } = jetStreamFailure(error);
  return code === '10054' || /message size exceeds maximum|max_payload/i.test(message);
}

/** A JetStream API error's code (number or text, by client version) and message, as text. */
function jetStreamFailure(error: unknown): { code: string; message: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  return { code: String(e.code ?? ''), message: String(e.message ?? '') };
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
