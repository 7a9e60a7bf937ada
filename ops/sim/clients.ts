// One worker's view of the simulated services: every call is an I/O through the scheduler, so
// it takes simulated time, can fail before or after the server acts, and waits while the worker
// is paused. These are the shapes the loops under test need from the database and JetStream.

import type {
  BatchWrite,
  OutboxRow,
  PoisonRow,
  SnapshotRow,
} from '../../runtime/snapshot-store.ts';
import { FencedError } from '../../runtime/snapshot-store.ts';
import type { SimDatabase } from './database.ts';
import type { FaultScheduler } from './faults.ts';
import type { Delivery, Headers, SimJetStream, Subscription } from './jetstream.ts';
import type { SimScheduler } from './scheduler.ts';

export class SimDbClient {
  constructor(
    private readonly owner: string,
    private readonly sched: SimScheduler,
    private readonly db: SimDatabase,
    private readonly faults: FaultScheduler,
  ) {}

  private call<T>(label: string, write: boolean, server: () => T): Promise<T> {
    const { latencyMs, fault } = this.faults.db(write);
    const answer = this.sched.io(
      { owner: this.owner, label: `db ${label}`, latencyMs, fault },
      server,
    );
    if (write && this.faults.pauseAfterWrite()) {
      const ms = this.faults.pauseMs();
      this.sched.after(latencyMs, undefined, 'pause', () =>
        this.sched.pauseFor(this.owner, ms, `after its ${label}`),
      );
    }
    return answer;
  }

  claimCheckpoint(partition: number, fence: number): Promise<number | undefined> {
    return this.call(`claim p${partition} fence ${fence}`, true, () =>
      this.db.claimCheckpoint(partition, fence),
    );
  }

  loadOutbox(partition: number): Promise<OutboxRow[]> {
    return this.call('outbox', false, () => this.db.loadOutbox(partition));
  }

  loadSnapshots(partition: number, keys: readonly string[]): Promise<Map<string, SnapshotRow>> {
    return this.call('snapshots', false, () => this.db.loadSnapshots(partition, keys));
  }

  loadApplied(partition: number, msgIds: readonly string[]): Promise<Set<string>> {
    return this.call('applied', false, () => this.db.loadApplied(partition, msgIds));
  }

  loadTimers(partition: number) {
    return this.call('timers', false, () => this.db.loadTimers(partition));
  }

  writeBatch(write: BatchWrite): Promise<void> {
    const label =
      `write p${write.partition} fence ${write.fence} through #${write.lastSeq} ` +
      write.snapshots.map((s) => `${s.key}@v${s.version}`).join(' ');
    return this.call(label, true, () => this.db.writeBatch(write));
  }

  loadDropped(partition: number, afterSeq: number): Promise<Set<number>> {
    return this.call('dropped', false, () => this.db.loadDropped(partition, afterSeq));
  }

  recordPublished(partition: number, fence: number, seq: number): Promise<void> {
    const label = `record published p${partition} #${seq}`;
    return this.call(label, true, () => this.db.recordPublished(partition, fence, seq));
  }

  recordHalt(partition: number, row: PoisonRow): Promise<void> {
    return this.call(`halt p${partition}`, true, () => this.db.recordHalt(partition, row));
  }

  pruneOutbox(partition: number): Promise<void> {
    return this.call('prune outbox', true, () => this.db.pruneOutbox(partition));
  }

  pruneApplied(partition: number, belowSeq: number): Promise<void> {
    return this.call('prune applied', true, () => this.db.pruneApplied(partition, belowSeq));
  }
}

export type SimSubscriptionHandle = {
  stop(): void;
  closed(): Promise<void>;
};

export class SimBusClient {
  constructor(
    readonly owner: string,
    private readonly sched: SimScheduler,
    private readonly js: SimJetStream,
    private readonly faults: FaultScheduler,
  ) {}

  publish(subject: string, data: Uint8Array, headers?: Headers): Promise<void> {
    const { latencyMs, fault } = this.faults.publish();
    const spec = { owner: this.owner, label: `publish ${subject}`, latencyMs, fault };
    return this.sched.io(spec, () => this.js.publish(subject, data, headers));
  }

  /** Pipelined, like runtime/outbox.ts: every publish started, then all awaited. */
  async publishRows(rows: readonly OutboxRow[]): Promise<void> {
    const encoder = new TextEncoder();
    await Promise.all(
      rows.map((row) =>
        this.publish(row.subject, encoder.encode(row.payload), {
          ...(row.headers ?? {}),
          'Nats-Msg-Id': row.msgId,
        }),
      ),
    );
  }

  async resetConsumer(
    partition: number,
    fence: number,
    checkpoint: number,
    maxAckPending: number,
  ): Promise<string> {
    const { latencyMs, fault } = this.faults.kv();
    const spec = { owner: this.owner, label: `consumer p${partition}`, latencyMs, fault };
    const result = await this.sched.io(spec, () =>
      this.js.resetConsumer(partition, fence, checkpoint, maxAckPending),
    );
    if (result.fenced) throw new FencedError(`partition ${partition}: a newer owner's consumer`);
    return result.name;
  }

  /** Starts delivery to `onDelivery`; `closed` resolves when the server ends it. */
  async consume(
    name: string,
    onDelivery: (delivery: Delivery) => void,
  ): Promise<SimSubscriptionHandle> {
    let closedResolve: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      closedResolve = resolve;
    });
    const sub: Subscription = {
      owner: this.owner,
      deliver: onDelivery,
      close: () => {
        sub.stopped = true;
        this.sched.after(1, this.owner, 'subscription closed', closedResolve);
      },
      stopped: false,
      lastAtMs: 0,
    };
    const { latencyMs, fault } = this.faults.kv();
    const spec = { owner: this.owner, label: `consume ${name}`, latencyMs, fault };
    const ok = await this.sched.io(spec, () => this.js.subscribe(name, sub));
    if (!ok) sub.close();
    return {
      stop: () => {
        sub.stopped = true;
        closedResolve();
      },
      closed: () => closed,
    };
  }

  /** AckAll through `seq`: sent and forgotten; the fault scheduler may lose it. */
  ack(consumer: string, seq: number): void {
    if (this.faults.dropAck()) return;
    this.sched.after(this.faults.deliveryLatencyMs(), undefined, `ack ${consumer} #${seq}`, () =>
      this.js.ack(consumer, seq),
    );
  }
}
