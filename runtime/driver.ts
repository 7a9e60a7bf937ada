// The driver of one owned partition: the only place of the loop that awaits. It claims the
// checkpoint, re-publishes what the outbox still holds, rebuilds the timers and opens the
// consumer; then per batch it pins the actors' state, runs the pure step (runtime/step.ts), runs
// its ONE write, checks the lease, publishes, replies and acks. All I/O goes through the ports
// (runtime/ports.ts). A failed write may have committed, so every retry re-reads the checkpoint
// and drops the partition's cached state; a command the database refuses is isolated and parked.

import type { Cached } from './batch.ts';
import { metrics } from './metrics.ts';
import { PartitionTimers } from './partition-timers.ts';
import { awaitOperatorDecision, classifyFailure, logParked, retryDelayMs } from './poison.ts';
import type {
  Delivery,
  DriverDeps,
  PartitionStatus,
  ResidentCache,
  Subscription,
} from './ports.ts';

export type { PartitionStatus, ResidentCache } from './ports.ts';

import { FencedError } from './snapshot-store.ts';
import {
  type DecodedBatch,
  decodeBatch,
  parkAll,
  type StepContext,
  type StepOutput,
  sliceBatch,
  step,
} from './step.ts';

/** Deliveries outstanding per consumer, in batches: bounds the client-side queue. */
const MAX_ACK_PENDING_BATCHES = 4;
const IDLE_WAIT_MS = 1000;
const PRUNE_INTERVAL_MS = 1000;

export class PartitionDriver {
  private stopping = false;
  private sub: Subscription | undefined;
  private checkpoint = 0;
  private publishedThroughSeq = 0;
  private recordedPublishedSeq = 0;
  private prunedAtMs = 0;
  /** Housekeeping (recordPublished, prune) is running in the background. */
  private housekeeping = false;
  /** Consecutive failed attempts; logged on the first, and when the partition flows again. */
  private failures = 0;
  /** The previous batch's publish, reply and ack, resolving to the error it met, if any. */
  private finishing: Promise<unknown> = Promise.resolve(undefined);
  private dropped = new Set<number>();
  private pending = 0;
  private lastProgressMs: number;
  private halted: PartitionStatus['halted'];
  private readonly ctx: StepContext;
  private readonly timers: PartitionTimers;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: DriverDeps,
    readonly partition: number,
    private readonly fence: number,
    private readonly cache: ResidentCache,
  ) {
    this.ctx = {
      partition,
      partitions: deps.partitions,
      actors: deps.actors,
      hub: deps.hub,
      haltingTypes: deps.haltingTypes,
      appliedKeepSeqs: deps.appliedKeepSeqs,
      firstCopyWithinMs: deps.duplicateWindowMs / 2,
    };
    this.timers = new PartitionTimers(deps, partition, cache);
    this.lastProgressMs = deps.clock.nowMs();
  }

  status(): PartitionStatus {
    const { pending, lastProgressMs, halted } = this;
    return { pending, lastProgressMs, halted };
  }

  start(): void {
    this.running = this.run().catch((error: unknown) => {
      this.deps.log.warn({ err: error, partition: this.partition }, 'partition loop ended');
      if (!this.stopping) this.deps.onStopped(error);
    });
  }

  /** Graceful: stop fetching, let the in-flight batch finish, record what was published. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.timers.stop();
    this.sub?.close();
    await this.running;
    if (this.deps.lease.valid()) await this.recordPublished().catch(() => undefined);
  }

  /** Lease lost: stop without writing anything more (the DB fence guards a racing write). */
  abort(): void {
    this.stopping = true;
    this.timers.stop();
    this.sub?.close();
  }

  private async run(): Promise<void> {
    await this.recover();
    if (this.stopping) return;
    await this.timers.rebuild();
    this.deps.log.info(
      { partition: this.partition, fence: this.fence, checkpoint: this.checkpoint },
      'partition acquired',
    );
    while (!this.stopping) {
      try {
        await this.flow();
        return;
      } catch (error) {
        await this.takeFinishing();
        if (classifyFailure(error) === 'fenced') throw error;
        this.failures++;
        metrics.batchRetries.inc();
        if (this.failures === 1) {
          const at = { err: error, partition: this.partition, checkpoint: this.checkpoint };
          this.deps.log.warn(at, 'batch failed; retrying from the checkpoint until it passes');
        }
        await this.deps.clock.sleep(retryDelayMs(this.failures));
        if (this.stopping) return;
        // A failed write may have committed (its answer lost): re-arm the timers it persisted.
        await this.recover()
          .then(() => this.timers.reload())
          .catch((e: unknown) => {
            if (classifyFailure(e) === 'fenced') throw e;
          });
      }
    }
  }

  /**
   * Back to what the DB holds: the checkpoint (re-claimed under the same fence), no cached
   * state of this partition, the outbox re-published, a consumer from the checkpoint.
   */
  private async recover(): Promise<void> {
    this.sub?.close();
    this.sub = undefined;
    this.cache.forgetPartition();
    const seq = await this.deps.store.claim(this.fence);
    if (seq === undefined) throw new FencedError(`partition ${this.partition}: newer owner`);
    this.checkpoint = seq;
    this.dropped = await this.deps.store.loadDropped(seq);
    const unpublished = await this.deps.store.loadOutbox();
    if (unpublished.length > 0) {
      this.assertLease();
      await this.deps.bus.publish(unpublished);
      this.publishedThroughSeq = unpublished.at(-1)!.sourceSeq;
    }
    if (this.stopping) return;
    const maxAckPending = this.deps.batchSizeMax * MAX_ACK_PENDING_BATCHES;
    const { batchSizeMax } = this.deps;
    const sub = await this.deps.consumer.open(seq, { maxAckPending, batchSizeMax });
    if (this.stopping) sub.close();
    else this.sub = sub;
  }

  /** Batches until stopped. Batch n+1 is persisted while batch n's outputs are published. */
  private async flow(): Promise<void> {
    while (!this.stopping) {
      const sub = this.sub;
      if (sub === undefined) throw new Error('partition consumer not open');
      const deliveries = await sub.next(this.deps.batchSizeMax, IDLE_WAIT_MS);
      if (this.stopping) break;
      if (deliveries === 'closed') throw new Error('partition consumer closed');
      if (deliveries.length === 0) {
        const failed = await this.takeFinishing();
        if (failed !== undefined) throw failed;
        this.idle();
        continue;
      }
      this.pending = Math.max(this.pending, deliveries.at(-1)!.pending + deliveries.length);
      const startedMs = performance.now();
      const batch = decodeBatch(this.ctx, this.checkpoint, deliveries);
      const outputs = await this.persist(batch);
      const failed = await this.takeFinishing();
      if (failed !== undefined) throw failed;
      const halt = outputs.at(-1)?.halt;
      const ackSeq = halt === undefined ? batch.ackThroughSeq : outputs.at(-1)!.ackThroughSeq;
      this.finishing = this.finish(sub, outputs, ackSeq, deliveries, startedMs).then(
        () => undefined,
        (error: unknown) => error ?? new Error('publishing failed'),
      );
      if (halt !== undefined) {
        const failedNow = await this.takeFinishing();
        if (failedNow !== undefined) throw failedNow;
        this.halted = { seq: halt.seq, reason: halt.row.reason };
        await awaitOperatorDecision(this.deps, this.partition, halt, () => this.stopping);
        this.halted = undefined;
        await this.recover();
      }
    }
    const failed = await this.takeFinishing();
    if (failed !== undefined) throw failed;
  }

  /** Waits for the outputs in flight; returns the error they met, if any. */
  private async takeFinishing(): Promise<unknown> {
    const failed = await this.finishing;
    this.finishing = Promise.resolve(undefined);
    return failed;
  }

  /**
   * Persists a batch. A failure the database will repeat (it refuses a value) is narrowed down
   * by halves, each half persisted on its own and in order, until the single command
   * responsible is left: that one is parked, everything else is applied.
   */
  private async persist(batch: DecodedBatch): Promise<StepOutput[]> {
    try {
      return [await this.persistStep(batch, false)];
    } catch (error) {
      if (classifyFailure(error) !== 'deterministic') throw error;
      if (batch.items.length <= 1) {
        const reason = `database refused it: ${String((error as Error).message ?? error)}`;
        return [await this.persistStep(batch, reason)];
      }
      const half = batch.items.length >> 1;
      const first = await this.persist(sliceBatch(batch, 0, half));
      if (first.at(-1)?.halt !== undefined) return first;
      return [...first, ...(await this.persist(sliceBatch(batch, half, batch.items.length)))];
    }
  }

  /** Pins, steps and writes one batch (`park`: a reason to park all of it instead). */
  private async persistStep(batch: DecodedBatch, park: string | false): Promise<StepOutput> {
    const { store } = this.deps;
    const states = new Map<string, Cached>();
    const missing: string[] = [];
    for (const [id, key] of batch.actors) {
      const cached = this.cache.get(id);
      if (cached === undefined) missing.push(key);
      else states.set(id, cached);
    }
    const [applied, loaded] =
      park === false
        ? await Promise.all([store.loadApplied(batch.msgIds), store.loadSnapshots(missing)])
        : [new Set<string>(), new Map()];
    for (const [id, row] of loaded) if (batch.actors.has(id)) states.set(id, row);
    const input = {
      nowMs: this.deps.clock.nowMs(),
      fence: this.fence,
      checkpoint: this.checkpoint,
      publishedThroughSeq: this.publishedThroughSeq,
      states,
      applied,
      dropped: this.dropped,
    };
    const out =
      park === false ? step(this.ctx, batch, input) : parkAll(this.ctx, batch, input, park);
    if (out.write === undefined) return out;
    this.assertLease();
    await store.writeBatch(out.write);
    this.checkpoint = out.write.lastSeq;
    this.recordedPublishedSeq = Math.max(this.recordedPublishedSeq, out.write.publishedThroughSeq);
    for (const [id, s] of out.resident) {
      this.cache.set(id, { state: s.state, version: s.version, dirJson: s.dirJson });
      this.timers.set(s.type, s.key, s.timerAtMs);
    }
    logParked(this.deps.log, this.partition, out.parked);
    if (out.skipped > 0) metrics.duplicatesSkipped.inc(out.skipped);
    return out;
  }

  /** Publishes each output once its write is durable, replies, acks, and records progress. */
  private async finish(
    sub: Subscription,
    outputs: readonly StepOutput[],
    ackSeq: number,
    deliveries: readonly Delivery[],
    startedMs: number,
  ): Promise<void> {
    let applied = 0;
    for (const out of outputs) {
      if (out.write === undefined) continue;
      if (out.publish.length > 0) {
        this.assertLease();
        await this.deps.bus.publish(out.publish);
      }
      this.publishedThroughSeq = out.write.lastSeq;
      for (const reply of out.replies) this.deps.bus.reply(reply.subject, reply.payload);
      applied += out.appliedCount;
    }
    if (ackSeq > 0) sub.ackThrough(ackSeq);
    if (this.failures > 0) {
      const at = { partition: this.partition, retries: this.failures };
      this.deps.log.info(at, 'partition flowing again');
      this.failures = 0;
    }
    this.houseKeep();
    this.pending = deliveries.at(-1)!.pending;
    this.lastProgressMs = this.deps.clock.nowMs();
    metrics.lag.set({ partition: String(this.partition) }, this.pending);
    metrics.batches.inc();
    metrics.messagesApplied.inc(applied);
    metrics.batchSize.observe(deliveries.length);
    metrics.batchSeconds.observe((performance.now() - startedMs) / 1000);
  }

  /** Nothing to fetch: the partition is caught up; record what was published, prune. */
  private idle(): void {
    this.pending = 0;
    this.lastProgressMs = this.deps.clock.nowMs();
    this.houseKeep();
  }

  /**
   * At most once a second, outside the batch statement and in the background: the published
   * sequence is recorded (so a quiet partition's successor does not re-send its last batch),
   * published outbox rows are dropped, and applied-command records older than appliedKeepSeqs
   * stream messages forgotten. Nothing waits for it: a statement that hangs here must not hold
   * back the next batch's publishing (the simulator's seeds 1558 and 7862 on an earlier workload:
   * a prune stalled 55 s, so a committed transfer's CommitReservation and CreditPosition waited
   * behind it with the payer's funds reserved). A failure is logged and tried again later.
   */
  private houseKeep(): void {
    const nowMs = this.deps.clock.nowMs();
    if (this.housekeeping || nowMs - this.prunedAtMs < PRUNE_INTERVAL_MS) return;
    this.prunedAtMs = nowMs;
    this.housekeeping = true;
    const keepFrom = this.checkpoint - this.deps.appliedKeepSeqs;
    this.recordPublished()
      .then(() => this.deps.store.prune(keepFrom))
      .catch((error: unknown) => {
        const at = { err: error, partition: this.partition };
        this.deps.log.warn(at, 'recording published rows or pruning failed; trying again later');
      })
      .finally(() => {
        this.housekeeping = false;
      });
  }

  private async recordPublished(): Promise<void> {
    if (this.publishedThroughSeq <= this.recordedPublishedSeq) return;
    const seq = this.publishedThroughSeq;
    await this.deps.store.recordPublished(this.fence, seq);
    this.recordedPublishedSeq = seq;
  }

  private assertLease(): void {
    if (!this.deps.lease.valid()) {
      throw new FencedError(`partition ${this.partition}: lease expired`);
    }
  }
}
