// The loop of one owned partition (DESIGN.md §4). On acquisition: write the fencing token to the
// checkpoint row, re-publish the outbox, rebuild the timer wheel, recreate the consumer from the
// checkpoint. Then per batch: apply in memory, ONE fenced transaction, publish the outbox
// pipelined, send replies, ack once. No effect leaves before the state that caused it is durable.

import type {
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AnyActor, HubSettings } from '../actors/actor.ts';
import {
  AbandonBatch,
  applyBatch,
  type BatchContext,
  type Cached,
  decodeBatch,
  withoutApplied,
} from './batch.ts';
import { type Db, retryOnSerialization, withRetry } from './db.ts';
import type { Lru } from './lru.ts';
import { metrics } from './metrics.ts';
import { publishOutbox } from './outbox.ts';
import { PartitionTimers } from './partition-timers.ts';
import {
  claimCheckpoint,
  FencedError,
  loadApplied,
  loadOutbox,
  loadSnapshots,
  type PoisonRow,
  pruneApplied,
  pruneOutbox,
  writeBatch,
} from './snapshot-store.ts';
import { CMD_STREAM, resetPartitionConsumer } from './streams.ts';
import { inSpan } from './telemetry.ts';

/** Deliveries outstanding per consumer, in batches: bounds the client-side queue. */
const MAX_ACK_PENDING_BATCHES = 4;
const IDLE_WAKE_MS = 1000;
const OUTBOX_PRUNE_INTERVAL_MS = 1000;
/**
 * How far (in CMD stream messages) a re-published copy of an applied command is still recognised:
 * about 7 minutes of traffic at 500 transfers/s, against JetStream's 2-minute duplicate window.
 * Counted in stream messages, not time: during an outage the stream does not move, so records
 * cannot age out before the copies that a returning owner re-publishes arrive.
 */
const APPLIED_KEEP_SEQS = 2_000_000;

/** Points where the crash tests kill a worker (tests/fixtures/worker-process.ts). */
export type CrashStage =
  | 'before-persist'
  | 'before-db-commit'
  | 'after-db-commit'
  | 'mid-publish'
  | 'after-publish';

export type LoopDeps = {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly db: Db;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly hub: HubSettings;
  readonly partitions: number;
  readonly batchSizeMax: number;
  readonly log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  readonly onCrashPoint?: (stage: CrashStage) => void;
  /** False once the lease's last renewal is older than its TTL. */
  readonly leaseValid: () => boolean;
  /** The loop ended by itself: fenced out by a newer owner, or a failure it cannot retry. */
  readonly onStopped: (error: unknown) => void;
};

export class PartitionLoop {
  lastProgressMs = Date.now();
  pending = 0;
  private stopping = false;
  private messages: ConsumerMessages | undefined;
  private consumerClosed = false;
  private queue: JsMsg[] = [];
  private checkpoint = 0;
  private publishedThroughSeq = 0;
  private prunedAtMs = 0;
  private readonly failures = new Map<number, number>();
  private readonly ctx: BatchContext;
  private readonly timers: PartitionTimers;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: LoopDeps,
    readonly partition: number,
    private readonly fence: number,
    private readonly cache: Lru<string, Cached>,
  ) {
    this.ctx = {
      partition,
      partitions: deps.partitions,
      actors: deps.actors,
      hub: deps.hub,
      failures: this.failures,
    };
    this.timers = new PartitionTimers(deps, partition, cache);
  }

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.deps.log.warn({ err: error, partition: this.partition }, 'partition loop failed');
      if (!this.stopping) this.deps.onStopped(error);
    });
  }

  /** Graceful: stop fetching, let the in-flight batch finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.timers.stop();
    this.messages?.stop();
    this.wake();
    await this.running;
  }

  /** Lease lost: stop without writing anything more (the DB fence guards a racing commit). */
  abort(): void {
    this.stopping = true;
    this.timers.stop();
    this.messages?.stop();
    this.wake();
  }

  private async run(): Promise<void> {
    const { deps, partition } = this;
    const seq = await claimCheckpoint(deps.db, partition, this.fence);
    if (seq === undefined) throw new FencedError(`partition ${partition}: a newer owner holds it`);
    this.checkpoint = seq;
    await this.republishOutbox();
    if (this.stopping) return;
    await this.timers.rebuild();
    if (this.stopping) return;
    await this.openConsumer();
    if (this.stopping) return;
    deps.log.info({ partition, fence: this.fence, checkpoint: seq }, 'partition acquired');
    // Pipelined: batch n+1 is applied and persisted while batch n's outputs are being published.
    // Publishing stays strictly in batch order (n+1 starts only once n is out), so commands to
    // one actor never overtake each other; `finishing` resolves to the error it met, if any.
    let finishing: Promise<unknown> = Promise.resolve(undefined);
    while (!this.stopping) {
      const batch = await this.nextBatch();
      if (this.stopping) continue;
      try {
        if (batch.length === 0) {
          // The server ended the subscription (consumer deleted or lost): go through the
          // failure path, which reopens it, or finds a newer owner and stops.
          if (this.consumerClosed) throw new Error('partition consumer closed');
          continue;
        }
        const finish = await inSpan('actor batch', { partition, messages: batch.length }, () =>
          this.persistBatch(batch),
        );
        const failed = await finishing;
        if (failed !== undefined) throw failed;
        finishing = finish().then(
          () => undefined,
          (error: unknown) => error ?? new Error('publishing failed'),
        );
      } catch (error) {
        await finishing;
        finishing = Promise.resolve(undefined);
        if (error instanceof FencedError) throw error;
        metrics.batchRetries.inc();
        deps.log.warn({ err: error, partition }, 'batch abandoned; resuming from the checkpoint');
        await new Promise((r) => setTimeout(r, error instanceof AbandonBatch ? 50 : 500));
        if (this.stopping) return;
        await this.republishOutbox();
        if (this.stopping) return;
        await this.openConsumer();
      }
    }
    const failed = await finishing;
    if (failed !== undefined) deps.log.warn({ err: failed, partition }, 'last publish failed');
  }

  /** Publishes what persisted batches left unpublished (after a crash, takeover or failure). */
  private async republishOutbox(): Promise<void> {
    const unpublished = await loadOutbox(this.deps.db, this.partition);
    await publishOutbox(this.deps.js, unpublished);
    this.publishedThroughSeq = unpublished.at(-1)?.sourceSeq ?? this.publishedThroughSeq;
  }

  /** Recreates the consumer from the checkpoint; messages arrive in `queue` via a callback. */
  private async openConsumer(): Promise<void> {
    this.messages?.stop();
    this.queue = [];
    const { jsm, js, batchSizeMax } = this.deps;
    const name = await resetPartitionConsumer(jsm, this.partition, this.fence, this.checkpoint, {
      maxAckPending: batchSizeMax * MAX_ACK_PENDING_BATCHES,
    });
    const consumer = await js.consumers.get(CMD_STREAM, name);
    const queue = this.queue;
    const messages = await consumer.consume({
      max_messages: batchSizeMax,
      expires: 2000,
      callback: (msg) => {
        queue.push(msg);
        this.wake();
      },
    });
    this.messages = messages;
    this.consumerClosed = false;
    // An owner aborted while this was being set up must not leave a live subscription behind.
    if (this.stopping) messages.stop();
    void messages.closed().then(() => {
      if (this.messages === messages) this.consumerClosed = true;
      this.wake();
    });
  }

  private wake: () => void = () => {};

  /** Waits for at least one message (or a closed consumer), then takes up to batchSizeMax. */
  private async nextBatch(): Promise<JsMsg[]> {
    while (this.queue.length === 0 && !this.stopping && !this.consumerClosed) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, IDLE_WAKE_MS);
      });
    }
    return this.queue.splice(0, this.deps.batchSizeMax);
  }

  /**
   * Applies and persists one batch; returns the step that publishes its outputs, sends its
   * replies and acks it, which the loop runs once the previous batch's step is done.
   */
  private async persistBatch(msgs: JsMsg[]): Promise<() => Promise<void>> {
    const { deps, partition } = this;
    const startedMs = performance.now();
    const last = msgs[msgs.length - 1]!;
    const poison: PoisonRow[] = [];
    const decoded = decodeBatch(this.ctx, msgs, this.checkpoint, poison);
    const candidates: string[] = [];
    const missing: string[] = [];
    for (const item of decoded) {
      if (item.msgId !== undefined) candidates.push(item.msgId);
      if (this.cache.get(item.id) === undefined) missing.push(item.env.key);
    }
    const [seen, loaded] = await Promise.all([
      loadApplied(deps.db, partition, candidates),
      loadSnapshots(deps.db, partition, missing),
    ]);
    const { items, applied: appliedIds, skipped } = withoutApplied(decoded, seen);
    const applied = applyBatch(
      this.ctx,
      items,
      (id) => this.cache.get(id) ?? loaded.get(id),
      poison,
    );
    const fresh = last.seq > this.checkpoint;
    if (fresh) {
      deps.onCrashPoint?.('before-persist');
      if (!deps.leaseValid()) throw new FencedError(`partition ${partition}: lease expired`);
      const write = {
        partition,
        fence: this.fence,
        lastSeq: last.seq,
        snapshots: applied.snapshots,
        outbox: applied.outbox,
        poison,
        publishedThroughSeq: this.publishedThroughSeq,
        applied: appliedIds,
      };
      if (deps.onCrashPoint) {
        // Crash tests need a moment between the write and its commit: an explicit transaction.
        await withRetry(deps.db, async (tx) => {
          await writeBatch(tx, write);
          deps.onCrashPoint?.('before-db-commit');
          if (!deps.leaseValid()) throw new FencedError(`partition ${partition}: lease expired`);
        });
      } else {
        await retryOnSerialization(() => writeBatch(deps.db, write));
      }
      deps.onCrashPoint?.('after-db-commit');
      this.checkpoint = last.seq;
      for (const [id, s] of applied.states) {
        this.cache.set(id, s);
        this.timers.set(s.type, s.key, s.timerAtMs);
      }
      for (const row of poison) metrics.poison.inc({ reason: row.reason.split(':')[0] ?? '' });
      if (skipped > 0) metrics.duplicatesSkipped.inc(skipped);
    }
    return async () => {
      if (fresh) {
        await this.publish(applied.outbox);
        this.publishedThroughSeq = last.seq;
        deps.onCrashPoint?.('after-publish');
        for (const reply of applied.replies) deps.nc.publish(reply.subject, reply.payload);
      }
      last.ack();
      this.failures.clear();
      await this.pruneOutboxNow();
      this.pending = last.info.pending;
      this.lastProgressMs = Date.now();
      metrics.lag.set({ partition: String(partition) }, this.pending);
      metrics.batches.inc();
      metrics.messagesApplied.inc(applied.applied);
      metrics.batchSize.observe(msgs.length);
      metrics.batchSeconds.observe((performance.now() - startedMs) / 1000);
    };
  }

  /**
   * At most once a second, outside the batch statement: published outbox rows are dropped, and
   * applied-command records older than APPLIED_KEEP_SEQS stream messages are forgotten.
   */
  private async pruneOutboxNow(): Promise<void> {
    const nowMs = Date.now();
    if (nowMs - this.prunedAtMs < OUTBOX_PRUNE_INTERVAL_MS) return;
    this.prunedAtMs = nowMs;
    await pruneOutbox(this.deps.db, this.partition);
    await pruneApplied(this.deps.db, this.partition, this.checkpoint - APPLIED_KEEP_SEQS);
  }

  private async publish(rows: Parameters<typeof publishOutbox>[1]): Promise<void> {
    if (!this.deps.onCrashPoint || rows.length < 2) return publishOutbox(this.deps.js, rows);
    const half = rows.length >> 1;
    await publishOutbox(this.deps.js, rows.slice(0, half));
    this.deps.onCrashPoint('mid-publish');
    await publishOutbox(this.deps.js, rows.slice(half));
  }
}
