// The production ports of a partition's driver (runtime/ports.ts): the store over PostgreSQL or
// CockroachDB (runtime/snapshot-store.ts, poison-store.ts), publishing over JetStream and core
// NATS (runtime/outbox.ts), and the partition consumer over a durable JetStream consumer recreated
// from the checkpoint under the owner's fencing token (runtime/streams.ts).

import type {
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { WRITTEN_AT_HEADER, writtenAtOf } from './batch.ts';
import { writeBatch } from './batch-write.ts';
import { type Db, retryOnSerialization } from './db.ts';
import { publishOutbox } from './outbox.ts';
import { haltDecision, loadDropped, recordHalt } from './poison-store.ts';
import type {
  Clock,
  ConsumerPort,
  Delivery,
  PublishPort,
  StorePort,
  Subscription,
} from './ports.ts';
import {
  claimCheckpoint,
  loadApplied,
  loadOutbox,
  loadSnapshots,
  loadTimers,
  pruneApplied,
  pruneOutbox,
  recordPublished,
} from './snapshot-store.ts';
import { CMD_STREAM, resetPartitionConsumer } from './streams.ts';

export function databaseStore(db: Db, partition: number): StorePort {
  return {
    claim: (fence) => claimCheckpoint(db, partition, fence),
    loadSnapshots: (keys) => loadSnapshots(db, partition, keys),
    loadApplied: (msgIds) => loadApplied(db, partition, msgIds),
    loadOutbox: () => loadOutbox(db, partition),
    loadTimers: async () =>
      (await loadTimers(db, partition)).flatMap((r) =>
        r.atMs === null ? [] : [{ type: r.type, key: r.key, atMs: r.atMs }],
      ),
    loadDropped: (afterSeq) => loadDropped(db, partition, afterSeq),
    writeBatch: (write) => retryOnSerialization(() => writeBatch(db, write)),
    recordPublished: (fence, seq) => recordPublished(db, partition, fence, seq),
    prune: async (appliedBelowSeq) => {
      await pruneOutbox(db, partition);
      await pruneApplied(db, partition, appliedBelowSeq);
    },
    recordHalt: (row) => recordHalt(db, partition, row),
    haltDecision: (seq) => haltDecision(db, partition, seq),
  };
}

export function natsPublisher(nc: NatsConnection, js: JetStreamClient): PublishPort {
  return {
    publish: (rows) => publishOutbox(js, rows),
    reply: (subject, payload) => nc.publish(subject, payload),
  };
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export function jetStreamConsumer(
  jsm: JetStreamManager,
  js: JetStreamClient,
  partition: number,
  fence: number,
): ConsumerPort {
  return {
    async open(checkpoint, { maxAckPending, batchSizeMax }) {
      const name = await resetPartitionConsumer(jsm, partition, fence, checkpoint, {
        maxAckPending,
      });
      const consumer = await js.consumers.get(CMD_STREAM, name);
      const sub = new JetStreamSubscription();
      sub.attach(
        await consumer.consume({
          max_messages: batchSizeMax,
          expires: 2000,
          callback: (msg) => sub.push(msg),
        }),
      );
      return sub;
    },
  };
}

/** Messages arrive by callback into a queue; next() takes from it, waiting when it is empty. */
class JetStreamSubscription implements Subscription {
  private queue: JsMsg[] = [];
  /** Delivered and not yet acknowledged, by stream sequence (AckAll acks through one). */
  private readonly unacked = new Map<number, JsMsg>();
  private closed = false;
  private messages: ConsumerMessages | undefined;
  private wake: () => void = () => {};

  attach(messages: ConsumerMessages): void {
    this.messages = messages;
    void messages.closed().then(() => {
      this.closed = true;
      this.wake();
    });
  }

  push(msg: JsMsg): void {
    this.queue.push(msg);
    this.wake();
  }

  async next(max: number, waitMs: number): Promise<readonly Delivery[] | 'closed'> {
    if (this.queue.length === 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (this.queue.length === 0 && this.closed) return 'closed';
    return this.queue.splice(0, max).map((msg) => {
      this.unacked.set(msg.seq, msg);
      return {
        seq: msg.seq,
        subject: msg.subject,
        data: msg.data,
        msgId: msg.headers?.get('Nats-Msg-Id') || undefined,
        traceparent: msg.headers?.get('traceparent') || undefined,
        pending: msg.info.pending,
        storedAtMs: Math.floor(msg.info.timestampNanos / 1_000_000),
        writtenAtMs: writtenAtOf(msg.headers?.get(WRITTEN_AT_HEADER) || undefined),
      };
    });
  }

  ackThrough(seq: number): void {
    let through: JsMsg | undefined;
    for (const [s, msg] of this.unacked) {
      if (s > seq) continue;
      if (through === undefined || s > through.seq) through = msg;
      this.unacked.delete(s);
    }
    through?.ack();
  }

  close(): void {
    this.closed = true;
    this.messages?.stop();
    this.wake();
  }
}
