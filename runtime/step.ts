// The pure step of a partition's loop (DESIGN.md §4): given the deliveries fetched, the pinned
// state of every actor they address, the checkpoint, the fencing token and which outbox commands
// were applied before, it returns the ONE batch write, the rows to publish once that write is
// durable, the replies, how far to acknowledge, the commands parked as poison and, when a money
// invariant broke, the halt. No I/O, no clock: the same inputs give the same outputs, which is
// what lets runtime/driver.ts, the crash tests and a simulator share it.
//
// Staleness is judged per delivery (a redelivered batch [5,6,1,2] applies 5 and 6), a command
// whose actor throws is parked and changes nothing, and the rest goes on in order.

import type { AnyActor, HubSettings } from '../actors/actor.ts';
import {
  type ApplyContext,
  appliedRecord,
  applyCommand,
  type BatchItem,
  type Cached,
  type Decoded,
  decodeDelivery,
  parkedReply,
  poisonRow,
  type Reply,
  sourceSeqOf,
  type Working,
} from './batch.ts';
import { encodeJson } from './codec.ts';
import type { Delivery } from './ports.ts';
import type {
  AppliedCommand,
  BatchWrite,
  OutboxRow,
  PoisonRow,
  SnapshotWrite,
} from './snapshot-store.ts';

export type StepContext = {
  readonly partition: number;
  readonly partitions: number;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly hub: HubSettings;
  /** Actor types whose InvariantError halts the partition instead of parking the command. */
  readonly haltingTypes: ReadonlySet<string>;
  /** How far back (CMD stream messages) applied-command records are kept; see driver.ts. */
  readonly appliedKeepSeqs: number;
  /**
   * A copy stored within this long of its batch's write is the first stored copy: every copy
   * is published after the write, and JetStream drops a copy that follows a stored one within
   * its duplicate window. Half that window, the other half a margin for clocks that differ.
   */
  readonly firstCopyWithinMs: number;
};

/** A fetched batch, decoded: what the driver loads before running the step. */
export type DecodedBatch = {
  /** Deliveries above the checkpoint, each above every earlier one, in delivery order. */
  readonly items: readonly BatchItem[];
  /** The highest sequence delivered, stale redeliveries included: acknowledge through it. */
  readonly ackThroughSeq: number;
  /** Every actor the commands address, by id (`actorId(type, key)`), with its key. */
  readonly actors: ReadonlyMap<string, string>;
  /** Outbox Nats-Msg-Ids to look up among this partition's applied commands. */
  readonly msgIds: readonly string[];
};

/** Decodes the deliveries above `checkpoint`, judging each one on its own sequence. */
export function decodeBatch(
  ctx: StepContext,
  checkpoint: number,
  deliveries: readonly Delivery[],
): DecodedBatch {
  const items: BatchItem[] = [];
  let highest = checkpoint;
  let ackThroughSeq = 0;
  for (const delivery of deliveries) {
    ackThroughSeq = Math.max(ackThroughSeq, delivery.seq);
    if (delivery.seq <= highest) continue;
    highest = delivery.seq;
    items.push(decodeDelivery(delivery, ctx.actors, ctx.partition, ctx.partitions));
  }
  return { ...needsOf(items), items, ackThroughSeq };
}

/** The items [from, to) of a batch, as a batch of their own (for isolating a culprit). */
export function sliceBatch(batch: DecodedBatch, from: number, to: number): DecodedBatch {
  const items = batch.items.slice(from, to);
  const last = items.at(-1);
  const ackThroughSeq = last === undefined ? 0 : seqOf(last);
  return { ...needsOf(items), items, ackThroughSeq };
}

function needsOf(items: readonly BatchItem[]) {
  const actors = new Map<string, string>();
  const msgIds: string[] = [];
  for (const item of items) {
    if (item.kind !== 'command') continue;
    actors.set(item.command.id, item.command.env.key);
    if (item.command.msgId !== undefined) msgIds.push(item.command.msgId);
  }
  return { actors, msgIds };
}

export function seqOf(item: BatchItem): number {
  return item.kind === 'command' ? item.command.delivery.seq : item.delivery.seq;
}

export type StepInput = {
  /** The clock when the step runs, before its write: stamped on the commands it sends. */
  readonly nowMs: number;
  readonly fence: number;
  readonly checkpoint: number;
  /** Outbox rows through this source sequence are published (recorded with the write). */
  readonly publishedThroughSeq: number;
  /**
   * The state of the batch's actors, pinned for the whole step: resident or loaded from the
   * DB. An actor of the batch missing here has never been persisted (its initial state).
   */
  readonly states: ReadonlyMap<string, Cached>;
  /** Outbox Nats-Msg-Ids of the batch this partition applied before (from the DB). */
  readonly applied: ReadonlySet<string>;
  /** Sequences an operator dropped after they halted the partition: parked, not applied. */
  readonly dropped: ReadonlySet<number>;
};

/** An actor's state once the step's write is durable (the cache takes it), and its timer. */
export type ResidentState = Cached & {
  readonly type: string;
  readonly key: string;
  readonly timerAtMs: number | undefined;
};

/** A command of a halting type broke an invariant: nothing from it onward is written. */
export type Halt = { readonly seq: number; readonly row: PoisonRow; readonly error: unknown };

export type StepOutput = {
  /** The one statement to run; undefined when nothing before a halt is above the checkpoint. */
  readonly write: BatchWrite | undefined;
  /** The write's outbox rows: publish them, in order, once it is durable. */
  readonly publish: readonly OutboxRow[];
  /** Replies to requesters (parked commands' failure replies included): after the write. */
  readonly replies: readonly Reply[];
  /** Acknowledge the consumer through this sequence once the outputs are out. */
  readonly ackThroughSeq: number;
  readonly parked: readonly PoisonRow[];
  readonly resident: ReadonlyMap<string, ResidentState>;
  readonly halt: Halt | undefined;
  readonly appliedCount: number;
  /** Copies of commands applied before, skipped. */
  readonly skipped: number;
};

/** Applies a decoded batch in order. */
export function step(ctx: StepContext, batch: DecodedBatch, input: StepInput): StepOutput {
  const run = new StepRun(ctx, input);
  let halt: Halt | undefined;
  for (const item of batch.items) {
    halt = run.apply(item);
    if (halt !== undefined) break;
  }
  // Halted: acknowledge only what was applied before the halting command.
  const ackThroughSeq = halt === undefined ? batch.ackThroughSeq : run.lastAppliedSeq();
  return run.output(halt, ackThroughSeq);
}

/** Parks every item of `batch` with `reason` (the DB refused it), applying nothing. */
export function parkAll(
  ctx: StepContext,
  batch: DecodedBatch,
  input: StepInput,
  reason: string,
): StepOutput {
  const run = new StepRun(ctx, input);
  for (const item of batch.items) run.park(item, reason);
  return run.output(undefined, batch.ackThroughSeq);
}

class StepRun {
  private readonly working = new Map<string, Working>();
  private readonly outbox: OutboxRow[] = [];
  private readonly replies: Reply[] = [];
  private readonly parked: PoisonRow[] = [];
  private readonly applied: AppliedCommand[] = [];
  private readonly inBatch = new Set<string>();
  private readonly apply_: ApplyContext;
  private lastSeq: number | undefined;
  private appliedCount = 0;
  private skipped = 0;

  constructor(
    private readonly ctx: StepContext,
    private readonly input: StepInput,
  ) {
    this.apply_ = { partitions: ctx.partitions, hub: ctx.hub, writtenAtMs: input.nowMs };
  }

  apply(item: BatchItem): Halt | undefined {
    if (item.kind === 'undecodable') return this.park(item, item.reason);
    const cmd = item.command;
    const seq = cmd.delivery.seq;
    if (this.input.dropped.has(seq)) return this.park(item, 'dropped by an operator', 'dropped');
    if (cmd.msgId !== undefined) {
      if (this.input.applied.has(cmd.msgId) || this.inBatch.has(cmd.msgId)) {
        this.skipped++;
        this.lastSeq = seq;
        return undefined;
      }
      if (isLateCopy(this.ctx, cmd.delivery, cmd.msgId)) {
        return this.park(item, 'late copy: published before the applied-commands horizon');
      }
      this.inBatch.add(cmd.msgId);
    }
    const result = applyCommand(this.apply_, cmd, this.workingOf(cmd));
    if (!result.ok) {
      const reason = `${cmd.env.type} threw: ${String(result.error)}`;
      if (result.invariant && this.ctx.haltingTypes.has(cmd.env.type)) {
        const row = poisonRow(cmd.delivery, reason, 'halted', actorName(cmd));
        return { seq, row, error: result.error };
      }
      return this.park(item, reason);
    }
    const record = appliedRecord(cmd);
    if (record !== undefined) this.applied.push(record);
    for (const row of result.outbox) this.outbox.push(row);
    for (const reply of result.replies) this.replies.push(reply);
    this.appliedCount++;
    this.lastSeq = seq;
    return undefined;
  }

  lastAppliedSeq(): number {
    return this.lastSeq ?? 0;
  }

  park(item: BatchItem, reason: string, status: 'parked' | 'dropped' = 'parked'): undefined {
    const cmd = item.kind === 'command' ? item.command : undefined;
    const delivery = cmd?.delivery ?? (item as { delivery: Delivery }).delivery;
    this.parked.push(poisonRow(delivery, reason, status, cmd && actorName(cmd)));
    for (const reply of parkedReply(cmd?.env, reason)) this.replies.push(reply);
    this.lastSeq = delivery.seq;
    return undefined;
  }

  private workingOf(cmd: Decoded): Working {
    let w = this.working.get(cmd.id);
    if (w === undefined) {
      const pinned = this.input.states.get(cmd.id);
      w = {
        type: cmd.env.type,
        key: cmd.env.key,
        def: cmd.def,
        baseVersion: pinned?.version ?? 0,
        state: pinned ? pinned.state : cmd.def.initial,
        version: pinned?.version ?? 0,
        dirJson: pinned?.dirJson,
        dirty: false,
      };
      this.working.set(cmd.id, w);
    }
    return w;
  }

  output(halt: Halt | undefined, ackThroughSeq: number): StepOutput {
    const snapshots: SnapshotWrite[] = [];
    const resident = new Map<string, ResidentState>();
    for (const [id, w] of this.working) {
      const timerAtMs = w.def.nextTimer?.(w.state)?.atMs;
      if (w.dirty) {
        const stateJson = encodeJson(w.state);
        snapshots.push({ ...keyOf(w), baseVersion: w.baseVersion, stateJson, timerAtMs });
      }
      resident.set(id, { ...keyOf(w), state: w.state, dirJson: w.dirJson, timerAtMs });
    }
    const { input, lastSeq } = this;
    const write: BatchWrite | undefined =
      lastSeq === undefined
        ? undefined
        : {
            partition: this.ctx.partition,
            fence: input.fence,
            fromSeq: input.checkpoint,
            lastSeq,
            snapshots,
            outbox: this.outbox,
            poison: this.parked,
            publishedThroughSeq: input.publishedThroughSeq,
            applied: this.applied,
          };
    return {
      write,
      publish: this.outbox,
      replies: this.replies,
      ackThroughSeq,
      parked: this.parked,
      resident,
      halt,
      appliedCount: this.appliedCount,
      skipped: this.skipped,
    };
  }
}

/**
 * True for a copy of an outbox command that may follow an applied copy whose record is gone,
 * so applying it could apply the command twice. Two cases are certain and applied: a copy the
 * stream stored within `firstCopyWithinMs` of its batch's write (JetStream dropped any later
 * copy, so none came before it), which covers a first publish however far the sending partition
 * lagged; and a copy whose batch's source sequence is within `appliedKeepSeqs` of it (every
 * copy is stored after its source, so an earlier one's record is still kept). A copy that is
 * neither (re-published from an outbox long after its write, or without a write stamp) is late.
 */
function isLateCopy(ctx: StepContext, delivery: Delivery, msgId: string): boolean {
  const { storedAtMs, writtenAtMs } = delivery;
  if (storedAtMs !== undefined && writtenAtMs !== undefined) {
    if (storedAtMs - writtenAtMs <= ctx.firstCopyWithinMs) return false;
  }
  return sourceSeqOf(msgId) < delivery.seq - ctx.appliedKeepSeqs;
}

function keyOf(w: Working) {
  return { type: w.type, key: w.key, version: w.version };
}

function actorName(cmd: Decoded): string {
  return `${cmd.env.type}/${cmd.env.key}`;
}
