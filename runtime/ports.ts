// The I/O a partition's driver performs, as ports: everything the loop reads or writes outside
// memory goes through one of these, so production (NATS + PostgreSQL, runtime/partition-loop.ts),
// the crash tests (the same adapters with a fault injected) and a deterministic simulator (all of
// them simulated) run the same pure step (runtime/step.ts) and the same driver (runtime/driver.ts).
//
// How to drive the loop with your own ports:
//   1. Implement StorePort (the database: claim, loads, the ONE fenced batch statement, prunes),
//      PublishPort (outbox rows to the streams, core replies), ConsumerPort (a partition
//      subscription from a stream sequence, acknowledged through a sequence), LeasePort (is my
//      lease still valid?) and Clock (time and sleeping; a simulated clock makes the run
//      deterministic).
//   2. `new PartitionDriver({ ...ports, actors, hub, partitions, batchSizeMax, ... }, partition,
//      fence, cache)` then `driver.start()`; `stop()` hands over gracefully, `abort()` is a lost
//      lease. `driver.status()` reports pending work, the last progress and a halt; parked commands
//      are in the store (StorePort.writeBatch's poison rows).
//   3. A port signals failure by throwing. Throw PortError with kind 'transient' for what a retry
//      may cure (a connection lost, a timeout), 'deterministic' for what it will not (the
//      database refused a value), 'ambiguous' when a write may or may not have committed (the
//      driver treats every failed attempt as possibly committed: it re-claims the checkpoint and
//      drops the partition's cached state before going on).
//      Anything else thrown is classified by runtime/poison.ts (SQLSTATE and error names).
//   tests/fixtures/memory-ports.ts is a complete in-memory set (store with the statement's
//   fence, from-sequence and version checks; a stream with injectable redeliveries).
// Ports never see actors; the step never sees ports.

import type { AnyActor } from '../actors/actor.ts';
import type { Cached } from './batch.ts';
import type { BatchWrite, OutboxRow, PoisonRow, SnapshotRow } from './snapshot-store.ts';

/** One command as the partition consumer delivered it. */
export type Delivery = {
  /** CMD stream sequence: the order of the partition, and the checkpoint's unit. */
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  /** The Nats-Msg-Id header, if any. */
  readonly msgId: string | undefined;
  /** The W3C traceparent header, if any. */
  readonly traceparent: string | undefined;
  /** Messages still pending in the consumer after this one (partition lag). */
  readonly pending: number;
  /** When the stream stored the message (JetStream's timestamp), if known. */
  readonly storedAtMs?: number | undefined;
  /** An outbox command's Mkondo-Written-At header (runtime/batch.ts), if any. */
  readonly writtenAtMs?: number | undefined;
};

/** A live subscription of one partition, from a given stream sequence on. */
export interface Subscription {
  /**
   * Waits up to `waitMs` for deliveries and returns at most `max` of them in delivery order
   * ([] when none came), or 'closed' when the server ended the subscription. Deliveries may
   * include redeliveries of sequences already returned (ack wait elapsed).
   */
  next(max: number, waitMs: number): Promise<readonly Delivery[] | 'closed'>;
  /** Acknowledges every delivery with stream sequence ≤ `seq` (JetStream AckAll). */
  ackThrough(seq: number): void;
  close(): void;
}

export type SubscriptionLimits = {
  /** Deliveries outstanding (unacknowledged) at most. */
  readonly maxAckPending: number;
  /** Deliveries fetched per pull: the batch size. */
  readonly batchSizeMax: number;
};

export interface ConsumerPort {
  /** (Re)creates the owner's subscription starting at `checkpoint + 1`; fenced owners throw. */
  open(checkpoint: number, limits: SubscriptionLimits): Promise<Subscription>;
}

export interface PublishPort {
  /** Publishes rows in order with their Nats-Msg-Id; resolves once every one is stored. */
  publish(rows: readonly OutboxRow[]): Promise<void>;
  /** A core-NATS reply to a waiting requester (fire and forget). */
  reply(subject: string, payload: string): void;
}

/** An expiry timer as the database holds it (actor_snapshots.timer_at_ms). */
export type TimerRow = { readonly type: string; readonly key: string; readonly atMs: number };

/** What the operator decided about a halted command (poison_messages.status). */
export type OperatorDecision = 'halted' | 'drop' | 'retry';

export interface StorePort {
  /** Writes this owner's fencing token; returns the checkpoint, undefined when fenced out. */
  claim(fence: number): Promise<number | undefined>;
  /** Snapshots by actor key (every key must be of this partition). */
  loadSnapshots(keys: readonly string[]): Promise<Map<string, SnapshotRow>>;
  /** Which of these outbox Nats-Msg-Ids this partition already applied. */
  loadApplied(msgIds: readonly string[]): Promise<Set<string>>;
  /** Outbox rows above the recorded published_seq, in order. */
  loadOutbox(): Promise<OutboxRow[]>;
  loadTimers(): Promise<TimerRow[]>;
  /** Sequences above `afterSeq` that an operator dropped (`mkondo poison drop`). */
  loadDropped(afterSeq: number): Promise<Set<number>>;
  /**
   * The ONE fenced statement of a batch: advance the checkpoint from write.fromSeq to
   * write.lastSeq, upsert version-checked snapshots, insert outbox, poison and applied rows.
   * Throws FencedError or StaleStateError (snapshot-store.ts) when it wrote nothing.
   */
  writeBatch(write: BatchWrite): Promise<void>;
  /** Records outbox rows through `seq` published (fenced; a no-op for a stale owner). */
  recordPublished(fence: number, seq: number): Promise<void>;
  /** Drops published outbox rows and applied-command records below `appliedBelowSeq`. */
  prune(appliedBelowSeq: number): Promise<void>;
  /** Records (or refreshes) the command that halted the partition; outside any batch. */
  recordHalt(row: PoisonRow): Promise<void>;
  /** The operator's decision on a halted command, polled while halted. */
  haltDecision(seq: number): Promise<OperatorDecision>;
}

export interface LeasePort {
  /** False once the lease's last renewal is older than its TTL: write and publish nothing. */
  valid(): boolean;
}

export interface Clock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export type PortErrorKind = 'transient' | 'deterministic' | 'ambiguous';

/** A port's failure with its retry class stated (see runtime/poison.ts for the rest). */
export class PortError extends Error {
  override readonly name = 'PortError';
  constructor(
    readonly kind: PortErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type DriverLog = {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
};

/** The worker's resident actor states, as one partition sees them. */
export interface ResidentCache {
  get(id: string): Cached | undefined;
  set(id: string, value: Cached): void;
  /** Forgets every actor of this partition (its state may be ahead of or behind the DB). */
  forgetPartition(): void;
}

export type PartitionStatus = {
  /** Commands known to be waiting (delivered, or pending in the consumer). */
  readonly pending: number;
  /** Last time the partition applied a batch or had nothing to do. */
  readonly lastProgressMs: number;
  /** The command that halted the partition, while an operator has not decided. */
  readonly halted: { readonly seq: number; readonly reason: string } | undefined;
};

/** Everything a PartitionDriver needs: the ports, the actors and the loop's limits. */
export type DriverDeps = {
  readonly store: StorePort;
  readonly bus: PublishPort;
  readonly consumer: ConsumerPort;
  readonly lease: LeasePort;
  readonly clock: Clock;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly hub: import('../actors/actor.ts').HubSettings;
  readonly partitions: number;
  readonly batchSizeMax: number;
  /** Actor types whose InvariantError halts the partition (money); others' errors are parked. */
  readonly haltingTypes: ReadonlySet<string>;
  /** Applied-command records kept, in CMD stream messages (snapshot-store.ts, APPLIED_KEEP_SEQS). */
  readonly appliedKeepSeqs: number;
  /** The CMD stream's Nats-Msg-Id duplicate window (runtime/step.ts, late copies). */
  readonly duplicateWindowMs: number;
  readonly log: DriverLog;
  /** The driver ended by itself: fenced out by a newer owner. */
  readonly onStopped: (error: unknown) => void;
};
