// Reading a stream for an audit without disturbing the switch: an ordered consumer (ephemeral,
// flow-controlled, no acknowledgements, deleted by the server once idle), so the workers' durable
// consumers, their acknowledgements and their pending counts are untouched. A read ends at the
// last message the stream held when it started; later messages belong to a later audit.

import {
  DeliverPolicy,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { WRITTEN_AT_HEADER, writtenAtOf } from '../../runtime/batch.ts';
import type { Delivery } from '../../runtime/ports.ts';

export type StreamRead = {
  /** Messages visited. */
  readonly count: number;
  /** The first sequence the stream still held (1 when nothing was ever removed). */
  readonly firstSeq: number;
  readonly lastSeq: number;
};

/**
 * Visits, in stream order, every message of `stream` (on `filter` when given, from `fromSeq`
 * when given) present at start.
 */
export async function forEachMessage(
  nc: NatsConnection,
  stream: string,
  filter: string | undefined,
  visit: (message: Delivery) => void | Promise<void>,
  fromSeq = 1,
): Promise<StreamRead> {
  const jsm = await jetstreamManager(nc);
  const { total, firstSeq, lastSeq } = await streamExtent(jsm, stream, filter);
  if (total === 0 || fromSeq > lastSeq) return { count: 0, firstSeq, lastSeq };
  const consumer = await jetstream(nc).consumers.get(stream, {
    ...(fromSeq > 1
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: fromSeq }
      : { deliver_policy: DeliverPolicy.All }),
    ...(filter === undefined ? {} : { filter_subjects: filter }),
  });
  const messages = await consumer.consume({ max_messages: 1024 });
  let count = 0;
  try {
    for await (const m of messages) {
      await visit({
        seq: m.seq,
        subject: m.subject,
        data: m.data,
        msgId: m.headers?.get('Nats-Msg-Id') || undefined,
        traceparent: m.headers?.get('traceparent') || undefined,
        pending: m.info.pending,
        // As the worker reads them (runtime/partition-loop.ts): a copy's first-or-late judgement
        // in the step depends on both.
        storedAtMs: Math.floor(m.info.timestampNanos / 1_000_000),
        writtenAtMs: writtenAtOf(m.headers?.get(WRITTEN_AT_HEADER) || undefined),
      });
      count++;
      if (count >= total || m.seq >= lastSeq || m.info.pending === 0) break;
    }
  } finally {
    await messages.close().catch(() => undefined);
  }
  return { count, firstSeq, lastSeq };
}

/** How many messages (on `filter`) the stream holds, and its first and last sequences. */
export async function streamExtent(
  jsm: JetStreamManager,
  stream: string,
  filter: string | undefined,
) {
  const info = await jsm.streams.info(
    stream,
    filter === undefined ? undefined : { subjects_filter: filter },
  );
  const { first_seq: firstSeq, last_seq: lastSeq, messages, subjects } = info.state;
  const total =
    filter === undefined ? messages : Object.values(subjects ?? {}).reduce((a, b) => a + b, 0);
  return { total, firstSeq, lastSeq };
}
