// The driver's ports (runtime/ports.ts) over the simulated services, for one worker and one
// partition: the real PartitionDriver runs on them unchanged. Every call is a worker I/O of the
// scheduler (latency, faults, pauses); a lost answer surfaces as PortError 'ambiguous', a lost
// connection as 'transient', exactly the contract the production adapters keep.

import { WRITTEN_AT_HEADER, writtenAtOf } from '../../runtime/batch.ts';
import type { DriverDeps, Delivery as PortDelivery, Subscription } from '../../runtime/ports.ts';
import type { SimBusClient, SimDbClient, SimSubscriptionHandle } from './clients.ts';
import type { Delivery } from './jetstream.ts';
import type { SimScheduler } from './scheduler.ts';

type Ports = Pick<DriverDeps, 'store' | 'bus' | 'consumer' | 'lease' | 'clock'>;

export type PortsContext = {
  readonly sched: SimScheduler;
  readonly owner: string;
  readonly partition: number;
  readonly fence: number;
  readonly db: SimDbClient;
  readonly bus: SimBusClient;
  readonly leaseValid: () => boolean;
};

export function simPorts(ctx: PortsContext): Ports {
  const { db, partition, sched, owner } = ctx;
  return {
    store: {
      claim: (fence) => db.claimCheckpoint(partition, fence),
      loadSnapshots: (keys) => db.loadSnapshots(partition, keys),
      loadApplied: (msgIds) => db.loadApplied(partition, msgIds),
      loadOutbox: () => db.loadOutbox(partition),
      loadTimers: () => db.loadTimers(partition),
      loadDropped: (afterSeq) => db.loadDropped(partition, afterSeq),
      writeBatch: (write) => db.writeBatch(write),
      recordPublished: (fence, seq) => db.recordPublished(partition, fence, seq),
      prune: async (appliedBelowSeq) => {
        await db.pruneOutbox(partition);
        await db.pruneApplied(partition, appliedBelowSeq);
      },
      recordHalt: (row) => db.recordHalt(partition, row),
      // No operator decides in a simulation: a halted partition stays halted (a violation).
      haltDecision: async () => 'halted',
    },
    bus: {
      publish: (rows) => ctx.bus.publishRows(rows),
      reply: () => {},
    },
    consumer: {
      open: async (checkpoint, limits) => {
        const name = await ctx.bus.resetConsumer(
          partition,
          ctx.fence,
          checkpoint,
          limits.maxAckPending,
        );
        const sub = new SimSubscription(sched, owner, ctx.bus, name);
        await sub.attach();
        return sub;
      },
    },
    lease: { valid: ctx.leaseValid },
    clock: { nowMs: () => sched.nowMs, sleep: (ms) => sched.sleep(owner, ms) },
  };
}

/** A partition subscription: deliveries queue up as the server pushes them. */
class SimSubscription implements Subscription {
  private readonly queue: PortDelivery[] = [];
  private handle: SimSubscriptionHandle | undefined;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly sched: SimScheduler,
    private readonly owner: string,
    private readonly bus: SimBusClient,
    private readonly name: string,
  ) {}

  async attach(): Promise<void> {
    this.handle = await this.bus.consume(this.name, (delivery) => this.push(delivery));
    void this.handle.closed().then(() => {
      this.ended = true;
      this.wake?.();
    });
  }

  private push(delivery: Delivery): void {
    const { msg } = delivery;
    this.queue.push({
      seq: msg.seq,
      subject: msg.subject,
      data: msg.data,
      msgId: msg.headers?.['Nats-Msg-Id'],
      traceparent: msg.headers?.['traceparent'],
      pending: delivery.pending,
      storedAtMs: msg.storedAtMs,
      writtenAtMs: writtenAtOf(msg.headers?.[WRITTEN_AT_HEADER]),
    });
    this.wake?.();
  }

  async next(max: number, waitMs: number): Promise<readonly PortDelivery[] | 'closed'> {
    if (this.queue.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.sched.after(waitMs, this.owner, 'idle wake', resolve);
      });
      this.wake = undefined;
    }
    if (this.queue.length === 0 && this.ended) return 'closed';
    return this.queue.splice(0, max);
  }

  ackThrough(seq: number): void {
    this.bus.ack(this.name, seq);
  }

  close(): void {
    this.handle?.stop();
  }
}
