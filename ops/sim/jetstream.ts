// Simulated JetStream: streams with sequences and a Nats-Msg-Id duplicate window measured on the
// simulated clock, and CMD consumers as the runtime configures them (one per partition and
// owner, AckAll, ack_wait, max_ack_pending, start sequence). Unacked deliveries come back after
// ack_wait behind whatever was delivered since, which is how a late redelivery overtakes newer
// messages. The server side runs as scheduler events; clients see it through ./clients.ts.

import type { SimScheduler } from './scheduler.ts';

export type Headers = Readonly<Record<string, string>>;

export type StoredMsg = {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: Headers | undefined;
  readonly storedAtMs: number;
};

export const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
export const ACK_WAIT_MS = 30_000;

export class SimStream {
  readonly messages: StoredMsg[] = [];
  private readonly ids = new Map<string, { seq: number; atMs: number }>();

  constructor(
    readonly name: string,
    private readonly clock: () => number,
    private readonly duplicateWindowMs: number,
    private readonly onStored: (msg: StoredMsg) => void,
  ) {}

  get lastSeq(): number {
    return this.messages.length;
  }

  /** Stores the message unless its Nats-Msg-Id was seen within the duplicate window. */
  publish(subject: string, data: Uint8Array, headers?: Headers): { seq: number; dup: boolean } {
    const nowMs = this.clock();
    const msgId = headers?.['Nats-Msg-Id'];
    if (msgId !== undefined) {
      const seen = this.ids.get(msgId);
      if (seen !== undefined && nowMs - seen.atMs < this.duplicateWindowMs) {
        return { seq: seen.seq, dup: true };
      }
    }
    const seq = this.messages.length + 1;
    const msg: StoredMsg = { seq, subject, data, headers, storedAtMs: nowMs };
    this.messages.push(msg);
    if (msgId !== undefined) this.ids.set(msgId, { seq, atMs: nowMs });
    this.onStored(msg);
    return { seq, dup: false };
  }

  at(seq: number): StoredMsg | undefined {
    return this.messages[seq - 1];
  }

  /** A message with this Nats-Msg-Id was stored (at any time). */
  has(msgId: string): boolean {
    return this.ids.has(msgId);
  }
}

/** The partition of a `cmd.<type>.<partition>.<key>` subject. */
export function partitionOfSubject(subject: string): number {
  return Number(subject.split('.')[2]);
}

/** One delivery to a client: what the runtime reads of a JsMsg. */
export type Delivery = {
  readonly msg: StoredMsg;
  readonly consumer: string;
  /** Messages of the partition stored after this one (JsMsg.info.pending). */
  readonly pending: number;
};

export type Subscription = {
  readonly owner: string;
  readonly deliver: (delivery: Delivery) => void;
  readonly close: () => void;
  stopped: boolean;
  /** Last scheduled delivery time: deliveries on one connection arrive in order. */
  lastAtMs: number;
};

export type ConsumerState = {
  readonly name: string;
  readonly partition: number;
  readonly fence: number;
  readonly maxAckPending: number;
  nextSeq: number;
  readonly pending: Map<number, number>;
  subscription: Subscription | undefined;
  deleted: boolean;
};

/** Hooks the fault scheduler answers for each delivery. */
export type DeliveryFaults = {
  latencyMs(): number;
  /** Deliver this message a second time (a redelivery after a reconnect). */
  duplicate(): boolean;
};

export class SimJetStream {
  readonly cmd: SimStream;
  readonly evt: SimStream;
  readonly out: SimStream;
  readonly consumers = new Map<string, ConsumerState>();
  private readonly outWatchers: Array<(msg: StoredMsg) => void> = [];
  private readonly cmdWatchers: Array<(msg: StoredMsg) => void> = [];
  /** Stream sequences of each partition's commands, ascending. */
  private readonly bySeqOfPartition = new Map<number, number[]>();

  constructor(
    private readonly sched: SimScheduler,
    private readonly faults: DeliveryFaults,
    duplicateWindowMs = DUPLICATE_WINDOW_MS,
  ) {
    const clock = () => sched.nowMs;
    this.cmd = new SimStream('CMD', clock, duplicateWindowMs, (m) => this.onCommand(m));
    this.evt = new SimStream('EVT', clock, duplicateWindowMs, () => {});
    this.out = new SimStream('OUT', clock, duplicateWindowMs, (m) => {
      for (const watch of this.outWatchers) watch(m);
    });
  }

  /** Stores a message on the stream its subject belongs to; KV puts are accepted and dropped. */
  publish(subject: string, data: Uint8Array, headers?: Headers): void {
    if (subject.startsWith('cmd.')) this.cmd.publish(subject, data, headers);
    else if (subject.startsWith('evt.')) this.evt.publish(subject, data, headers);
    else if (subject.startsWith('out.')) this.out.publish(subject, data, headers);
  }

  /** An outbox row was stored on its stream; KV puts (not simulated) count as stored. */
  stored(subject: string, msgId: string): boolean {
    if (subject.startsWith('cmd.')) return this.cmd.has(msgId);
    if (subject.startsWith('evt.')) return this.evt.has(msgId);
    if (subject.startsWith('out.')) return this.out.has(msgId);
    return true;
  }

  watchOut(watch: (msg: StoredMsg) => void): void {
    this.outWatchers.push(watch);
  }

  watchCommands(watch: (msg: StoredMsg) => void): void {
    this.cmdWatchers.push(watch);
  }

  /** The owner's consumer from `checkpoint + 1`, after deleting older owners' (streams.ts). */
  resetConsumer(partition: number, fence: number, checkpoint: number, maxAckPending: number) {
    for (const c of this.consumers.values()) {
      if (c.partition === partition && !c.deleted && c.fence > fence) {
        return { fenced: true as const };
      }
    }
    for (const c of [...this.consumers.values()]) {
      if (c.partition === partition && !c.deleted) this.deleteConsumer(c);
    }
    const name = `part-${partition}-${fence}`;
    const consumer: ConsumerState = {
      name,
      partition,
      fence,
      maxAckPending,
      nextSeq: checkpoint + 1,
      pending: new Map(),
      subscription: undefined,
      deleted: false,
    };
    this.consumers.set(name, consumer);
    return { fenced: false as const, name };
  }

  subscribe(name: string, subscription: Subscription): boolean {
    const consumer = this.consumers.get(name);
    if (consumer === undefined || consumer.deleted) return false;
    consumer.subscription?.close();
    consumer.subscription = subscription;
    this.pump(consumer);
    return true;
  }

  /** AckAll: everything at or below `seq` is acknowledged. */
  ack(name: string, seq: number): void {
    const consumer = this.consumers.get(name);
    if (consumer === undefined || consumer.deleted) return;
    for (const pendingSeq of [...consumer.pending.keys()]) {
      if (pendingSeq <= seq) consumer.pending.delete(pendingSeq);
    }
    this.pump(consumer);
  }

  /** Ends a subscription from the server side (a dropped connection). */
  dropSubscription(name: string): void {
    const consumer = this.consumers.get(name);
    consumer?.subscription?.close();
    if (consumer) consumer.subscription = undefined;
  }

  /** Redelivers every pending message now, ahead of ack_wait (a reconnect, a NAK storm). */
  redeliverNow(name: string): void {
    const consumer = this.consumers.get(name);
    if (consumer === undefined) return;
    for (const seq of consumer.pending.keys()) consumer.pending.set(seq, -Infinity);
    this.pump(consumer);
  }

  /** Periodic server work: redeliveries whose ack_wait passed. */
  tick(): void {
    for (const consumer of this.consumers.values()) if (!consumer.deleted) this.pump(consumer);
  }

  private onCommand(msg: StoredMsg): void {
    const partition = partitionOfSubject(msg.subject);
    const seqs = this.bySeqOfPartition.get(partition) ?? [];
    seqs.push(msg.seq);
    this.bySeqOfPartition.set(partition, seqs);
    for (const watch of this.cmdWatchers) watch(msg);
    for (const consumer of this.consumers.values()) {
      if (consumer.partition === partition && !consumer.deleted) this.pump(consumer);
    }
  }

  private deleteConsumer(consumer: ConsumerState): void {
    consumer.deleted = true;
    consumer.subscription?.close();
    consumer.subscription = undefined;
  }

  private pump(consumer: ConsumerState): void {
    const sub = consumer.subscription;
    if (sub === undefined || sub.stopped) return;
    const nowMs = this.sched.nowMs;
    const due: number[] = [];
    for (const [seq, atMs] of consumer.pending) if (atMs + ACK_WAIT_MS <= nowMs) due.push(seq);
    due.sort((a, b) => a - b);
    for (const seq of due) this.send(consumer, sub, seq);
    const last = this.cmd.lastSeq;
    while (consumer.pending.size < consumer.maxAckPending && consumer.nextSeq <= last) {
      const seq = consumer.nextSeq++;
      const msg = this.cmd.at(seq);
      if (msg === undefined || partitionOfSubject(msg.subject) !== consumer.partition) continue;
      this.send(consumer, sub, seq);
      if (this.faults.duplicate()) this.send(consumer, sub, seq);
    }
  }

  private send(consumer: ConsumerState, sub: Subscription, seq: number): void {
    consumer.pending.set(seq, this.sched.nowMs);
    const msg = this.cmd.at(seq);
    if (msg === undefined) return;
    const atMs = Math.max(sub.lastAtMs, this.sched.nowMs + this.faults.latencyMs());
    sub.lastAtMs = atMs;
    const pending = this.pendingAfter(consumer.partition, seq);
    this.sched.at(atMs, sub.owner, `deliver ${consumer.name} #${seq}`, () => {
      if (!sub.stopped) sub.deliver({ msg, consumer: consumer.name, pending });
    });
  }

  /** The last stream sequence of `partition`'s commands (0 when none). */
  lastSeqOf(partition: number): number {
    return this.bySeqOfPartition.get(partition)?.at(-1) ?? 0;
  }

  private pendingAfter(partition: number, seq: number): number {
    const seqs = this.bySeqOfPartition.get(partition) ?? [];
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid]! <= seq) lo = mid + 1;
      else hi = mid;
    }
    return seqs.length - lo;
  }
}
