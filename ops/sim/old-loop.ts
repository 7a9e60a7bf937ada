// THE OLD LOOP, kept as a model: a faithful re-enactment of today's runtime/partition-loop.ts
// driver order (as of commit ad27cc7) over the simulated services, calling today's real
// decodeBatch / withoutApplied / applyBatch from runtime/batch.ts. It exists so the simulator can
// show issue 9's findings 1-4 on the code they were found in (`--loop old`); production never
// runs it. Kept in step with the original line for line: the staleness judged by the batch's
// last sequence, no cache drop after an unknown commit outcome, the cache read twice, and the
// publish of a persisted batch without a lease check.

import type { JsMsg } from '@nats-io/jetstream';
import type { AnyActor, HubSettings } from '../../actors/actor.ts';
import {
  AbandonBatch,
  applyBatch,
  type BatchContext,
  type Cached,
  decodeBatch,
  withoutApplied,
} from '../../runtime/batch.ts';
import type { Lru } from '../../runtime/lru.ts';
import { FencedError, type OutboxRow, type PoisonRow } from '../../runtime/snapshot-store.ts';
import type { SimBusClient, SimDbClient, SimSubscriptionHandle } from './clients.ts';
import type { Delivery } from './jetstream.ts';
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

/** A delivery dressed as the JsMsg fields batch.ts reads. */
function asJsMsg(delivery: Delivery, ack: () => void): JsMsg {
  const { msg } = delivery;
  const headers = msg.headers;
  return {
    seq: msg.seq,
    subject: msg.subject,
    data: msg.data,
    headers: headers === undefined ? undefined : { get: (name: string) => headers[name] ?? '' },
    info: { pending: delivery.pending },
    ack,
  } as unknown as JsMsg;
}

export class OldPartitionLoop {
  private stopping = false;
  private messages: SimSubscriptionHandle | undefined;
  private consumerClosed = false;
  private queue: JsMsg[] = [];
  private checkpoint = 0;
  private publishedThroughSeq = 0;
  private prunedAtMs = 0;
  private readonly failures = new Map<number, number>();
  private readonly ctx: BatchContext;
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
        await deps.sched.sleep(deps.owner, error instanceof AbandonBatch ? 50 : 500);
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
      queue.push(asJsMsg(delivery, () => bus.ack(name, delivery.msg.seq)));
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

  private async nextBatch(): Promise<JsMsg[]> {
    while (this.queue.length === 0 && !this.stopping && !this.consumerClosed) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.deps.sched.after(IDLE_WAKE_MS, this.deps.owner, 'idle wake', resolve);
      });
    }
    return this.queue.splice(0, this.deps.batchSizeMax);
  }

  private async persistBatch(msgs: JsMsg[]): Promise<() => Promise<void>> {
    const { deps, partition } = this;
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
      deps.db.loadApplied(partition, candidates),
      deps.db.loadSnapshots(partition, missing),
    ]);
    const { items, applied: appliedIds } = withoutApplied(decoded, seen);
    const applied = applyBatch(
      this.ctx,
      items,
      (id) => this.cache.get(id) ?? loaded.get(id),
      poison,
    );
    const fresh = last.seq > this.checkpoint;
    if (fresh) {
      if (!deps.leaseValid()) throw new FencedError(`partition ${partition}: lease expired`);
      await deps.db.writeBatch({
        partition,
        fence: this.fence,
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
      last.ack();
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
