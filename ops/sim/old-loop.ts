// THE OLD LOOP, kept as a model: a faithful re-enactment of the driver order of
// runtime/partition-loop.ts as of commit ad27cc7 (before issue 9's fixes) over the simulated
// services, with the batch semantics of ./old-batch.ts. It exists so the simulator can show
// issue 9's findings 1-4 on the loop they were found in (SIM_LOOP=old, which also switches the
// simulated database to the old batch statement); production never runs it. Kept in step with
// the original line for line: staleness judged by the batch's last sequence, no cache drop after
// an unknown commit outcome, the cache read twice, and no lease check before publishing.

import type { AnyActor, HubSettings } from '../../actors/actor.ts';
import type { Cached } from '../../runtime/batch.ts';
import type { Lru } from '../../runtime/lru.ts';
import type { Delivery } from '../../runtime/ports.ts';
import { FencedError, type OutboxRow, type PoisonRow } from '../../runtime/snapshot-store.ts';
import type { SimBusClient, SimDbClient, SimSubscriptionHandle } from './clients.ts';
import type { Delivery as SimDelivery } from './jetstream.ts';
import {
  OldAbandonBatch,
  type OldBatchContext,
  oldApply,
  oldDecode,
  oldWithoutApplied,
} from './old-batch.ts';
import { OldTimers } from './old-timers.ts';
import type { SimScheduler } from './scheduler.ts';

const MAX_ACK_PENDING_BATCHES = 4;
const IDLE_WAKE_MS = 1000;
const OUTBOX_PRUNE_INTERVAL_MS = 1000;

export type OldLoopDeps = {
  readonly sched: SimScheduler;
  readonly owner: string;
  readonly db: SimDbClient;
  readonly bus: SimBusClient;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly hub: HubSettings;
  readonly partitions: number;
  readonly batchSizeMax: number;
  /**
   * APPLIED_KEEP_SEQS of the original (2,000,000): scaled down so that a simulated run of
   * minutes crosses it, as production traffic crosses the original in minutes.
   */
  readonly appliedKeepSeqs: number;
  readonly leaseValid: () => boolean;
  readonly onStopped: (error: unknown) => void;
};

/** A delivery with its ack (the JsMsg of the original). */
type Msg = { readonly delivery: Delivery; ack(): void };

function asMsg(d: SimDelivery, ack: () => void): Msg {
  const { msg } = d;
  const delivery: Delivery = {
    seq: msg.seq,
    subject: msg.subject,
    data: msg.data,
    msgId: msg.headers?.['Nats-Msg-Id'],
    traceparent: msg.headers?.['traceparent'],
    pending: d.pending,
  };
  return { delivery, ack };
}

export class OldPartitionLoop {
  private stopping = false;
  private messages: SimSubscriptionHandle | undefined;
  private consumerClosed = false;
  private queue: Msg[] = [];
  private checkpoint = 0;
  private publishedThroughSeq = 0;
  private prunedAtMs = 0;
  private readonly failures = new Map<number, number>();
  private readonly ctx: OldBatchContext;
  private readonly timers: OldTimers;

  constructor(
    private readonly deps: OldLoopDeps,
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
    this.timers = new OldTimers(deps, partition, cache);
  }

  private running: Promise<void> | undefined;

  start(): void {
    this.running = this.run().catch((error: unknown) => {
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

  abort(): void {
    this.stopping = true;
    this.timers.stop();
    this.messages?.stop();
    this.wake();
  }

  private async run(): Promise<void> {
    const { deps, partition } = this;
    const seq = await deps.db.claimCheckpoint(partition, this.fence);
    if (seq === undefined) throw new FencedError(`partition ${partition}: a newer owner holds it`);
    this.checkpoint = seq;
    await this.republishOutbox();
    if (this.stopping) return;
    await this.timers.rebuild();
    if (this.stopping) return;
    await this.openConsumer();
    if (this.stopping) return;
    let finishing: Promise<unknown> = Promise.resolve(undefined);
    while (!this.stopping) {
      const batch = await this.nextBatch();
      if (this.stopping) continue;
      try {
        if (batch.length === 0) {
          if (this.consumerClosed) throw new Error('partition consumer closed');
          continue;
        }
        const finish = await this.persistBatch(batch);
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
        await deps.sched.sleep(deps.owner, error instanceof OldAbandonBatch ? 50 : 500);
        if (this.stopping) return;
        await this.republishOutbox();
        if (this.stopping) return;
        await this.openConsumer();
      }
    }
    await finishing;
  }

  private async republishOutbox(): Promise<void> {
    const unpublished = await this.deps.db.loadOutbox(this.partition);
    await this.deps.bus.publishRows(unpublished);
    this.publishedThroughSeq = unpublished.at(-1)?.sourceSeq ?? this.publishedThroughSeq;
  }

  private async openConsumer(): Promise<void> {
    this.messages?.stop();
    this.queue = [];
    const { bus, batchSizeMax } = this.deps;
    const name = await bus.resetConsumer(
      this.partition,
      this.fence,
      this.checkpoint,
      batchSizeMax * MAX_ACK_PENDING_BATCHES,
    );
    const queue = this.queue;
    const messages = await bus.consume(name, (delivery) => {
      queue.push(asMsg(delivery, () => bus.ack(name, delivery.msg.seq)));
      this.wake();
    });
    this.messages = messages;
    this.consumerClosed = false;
    if (this.stopping) messages.stop();
    void messages.closed().then(() => {
      if (this.messages === messages) this.consumerClosed = true;
      this.wake();
    });
  }

  private wake: () => void = () => {};

  private async nextBatch(): Promise<Msg[]> {
    while (this.queue.length === 0 && !this.stopping && !this.consumerClosed) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.deps.sched.after(IDLE_WAKE_MS, this.deps.owner, 'idle wake', resolve);
      });
    }
    return this.queue.splice(0, this.deps.batchSizeMax);
  }

  private async persistBatch(msgs: Msg[]): Promise<() => Promise<void>> {
    const { deps, partition } = this;
    const lastMsg = msgs[msgs.length - 1]!;
    const last = lastMsg.delivery;
    const poison: PoisonRow[] = [];
    const deliveries = msgs.map((m) => m.delivery);
    const decoded = oldDecode(this.ctx, deliveries, this.checkpoint, poison);
    const candidates: string[] = [];
    const missing: string[] = [];
    for (const item of decoded) {
      if (item.msgId !== undefined) candidates.push(item.msgId);
      if (this.cache.get(item.id) === undefined) missing.push(item.env.key);
    }
    const [seen, loaded] = await Promise.all([
      deps.db.loadApplied(partition, candidates),
      deps.db.loadSnapshots(partition, missing),
    ]);
    const { items, applied: appliedIds } = oldWithoutApplied(decoded, seen);
    const applied = oldApply(this.ctx, items, (id) => this.cache.get(id) ?? loaded.get(id), poison);
    const fresh = last.seq > this.checkpoint;
    if (fresh) {
      if (!deps.leaseValid()) throw new FencedError(`partition ${partition}: lease expired`);
      await deps.db.writeBatch({
        partition,
        fence: this.fence,
        fromSeq: this.checkpoint,
        lastSeq: last.seq,
        snapshots: applied.snapshots,
        outbox: applied.outbox,
        poison,
        publishedThroughSeq: this.publishedThroughSeq,
        applied: appliedIds,
      });
      this.checkpoint = last.seq;
      for (const [id, s] of applied.states) {
        this.cache.set(id, s);
        this.timers.set(s.type, s.key, s.timerAtMs);
      }
    }
    return async () => {
      if (fresh) {
        await this.publish(applied.outbox);
        this.publishedThroughSeq = last.seq;
      }
      lastMsg.ack();
      this.failures.clear();
      await this.pruneOutboxNow();
    };
  }

  private async pruneOutboxNow(): Promise<void> {
    const nowMs = this.deps.sched.nowMs;
    if (nowMs - this.prunedAtMs < OUTBOX_PRUNE_INTERVAL_MS) return;
    this.prunedAtMs = nowMs;
    await this.deps.db.pruneOutbox(this.partition);
    await this.deps.db.pruneApplied(this.partition, this.checkpoint - this.deps.appliedKeepSeqs);
  }

  private publish(rows: readonly OutboxRow[]): Promise<void> {
    return this.deps.bus.publishRows(rows);
  }
}
