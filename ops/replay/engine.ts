// The replay engine: the CMD stream, read in stream order, applied to in-memory actor state with
// the runtime's own pure step (runtime/step.ts), one command at a time per partition. It does no
// I/O, so a unit test can drive it with hand-made deliveries and `mkondo replay` with the real
// stream. What it rebuilds is what the workers must have persisted, because an actor's decide and
// evolve read only their inputs: the state, the envelope (command and its stamped nowMs), the
// actor's key and the hub settings (DETERMINISM below). Batching does not change the outcome:
// staleness, duplicate skipping and the applied-command horizon are judged per command.

import type { AnyActor, HubSettings } from '../../actors/actor.ts';
import type { Cached } from '../../runtime/batch.ts';
import { decodeJson, encodeJson } from '../../runtime/codec.ts';
import { namespaced } from '../../runtime/names.ts';
import type { Delivery } from '../../runtime/ports.ts';
import { actorId, type OutboxRow, type PoisonRow } from '../../runtime/snapshot-store.ts';
import { decodeBatch, type StepContext, step } from '../../runtime/step.ts';
import type { DbView } from './database.ts';

/**
 * What an actor may read, and so what a replay must be given to rebuild it exactly. Anything
 * else (the clock, randomness, the network, the database, process.env) is fenced out of actors/
 * by biome.json and by tests/unit/replay-determinism.test.ts.
 */
export const DETERMINISM = [
  'its own state (the snapshot, or the initial state)',
  'the command in the CMD envelope, with everything its publisher stamped on it (payee checks)',
  'ctx.nowMs: the time the publisher stamped on the envelope, never the clock',
  'ctx.actorId: the actor key',
  'ctx.hub: HUB_NAME, ENABLE_ON_US_TRANSFERS, SEND_TRANSFER_CONFIRMATION_TO_PAYEE',
] as const;

export type ReplaySettings = {
  readonly partitions: number;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly hub: HubSettings;
  readonly haltingTypes: ReadonlySet<string>;
  /** The workers' applied-command horizon (runtime/worker.ts DEFAULTS.appliedKeepSeqs). */
  readonly appliedKeepSeqs: number;
  /** The workers' first-copy horizon: half the CMD stream's duplicate window (driver.ts). */
  readonly firstCopyWithinMs: number;
};

export type ReplayBounds = {
  /** Per partition, the last CMD sequence the database holds applied; later ones are ignored. */
  readonly checkpoints: ReadonlyMap<number, number>;
  /**
   * Sequences the database records as parked or dropped: the replay parks them too (a command
   * the database refused, or an operator dropped, changed nothing).
   */
  readonly parkedSeqs: ReadonlySet<number>;
};

/** An actor as the replay rebuilt it. */
export type ReplayedActor = {
  readonly type: string;
  readonly key: string;
  readonly partition: number;
  readonly state: unknown;
  readonly version: number;
  readonly timerAtMs: number | undefined;
  readonly dirJson: string | undefined;
};

/** What applying one delivery did. */
export type Applied =
  | {
      readonly kind: 'applied';
      readonly outbox: readonly OutboxRow[];
      readonly parked: PoisonRow[];
    }
  | { readonly kind: 'beyond-checkpoint'; readonly partition: number }
  /** At or below the base's checkpoint of its partition: already in the seeded state. */
  | { readonly kind: 'in-base' }
  | { readonly kind: 'not-a-partition-subject' }
  | { readonly kind: 'halted'; readonly partition: number; readonly reason: string };

type PartitionRun = {
  readonly ctx: StepContext;
  lastSeq: number;
  /** Outbox Nats-Msg-Ids applied, with the sequence that applied them (pruned at the horizon). */
  readonly applied: Map<string, number>;
};

const PRUNE_EVERY = 10_000;

export class ReplayEngine {
  private readonly runs = new Map<number, PartitionRun>();
  private readonly actors = new Map<string, ReplayedActor>();
  private sincePrune = 0;
  readonly cmdPrefix = namespaced('cmd.');

  constructor(
    private readonly settings: ReplaySettings,
    private readonly bounds: ReplayBounds,
  ) {}

  /** The partition a CMD subject addresses (`cmd.<type>.<partition>.<key>`), if it is one. */
  partitionOfSubject(subject: string): number | undefined {
    if (!subject.startsWith(this.cmdPrefix)) return undefined;
    const token = subject.slice(this.cmdPrefix.length).split('.')[1];
    const partition = Number(token);
    const valid = Number.isInteger(partition) && partition >= 0;
    return valid && partition < this.settings.partitions ? partition : undefined;
  }

  /** Applies one CMD message; deliveries must come in stream order. */
  apply(delivery: Delivery): Applied {
    const partition = this.partitionOfSubject(delivery.subject);
    if (partition === undefined) return { kind: 'not-a-partition-subject' };
    if (delivery.seq > (this.bounds.checkpoints.get(partition) ?? 0)) {
      return { kind: 'beyond-checkpoint', partition };
    }
    const run = this.runOf(partition);
    if (delivery.seq <= run.lastSeq) return { kind: 'in-base' };
    const batch = decodeBatch(run.ctx, run.lastSeq, [delivery]);
    const states = new Map<string, Cached>();
    for (const id of batch.actors.keys()) {
      const actor = this.actors.get(id);
      if (actor !== undefined) states.set(id, actor);
    }
    const applied = new Set(batch.msgIds.filter((id) => run.applied.has(id)));
    const input = {
      // Only stamps the Mkondo-Written-At header of the outputs, which the audit does not compare
      // (outputDigest: subject, payload, traceparent).
      nowMs: delivery.storedAtMs ?? 0,
      fence: 0,
      checkpoint: run.lastSeq,
      publishedThroughSeq: 0,
      states,
      applied,
      dropped: this.bounds.parkedSeqs,
    };
    const out = step(run.ctx, batch, input);
    run.lastSeq = Math.max(run.lastSeq, delivery.seq);
    if (out.halt !== undefined) return { kind: 'halted', partition, reason: out.halt.row.reason };
    for (const [id, s] of out.resident) {
      const { type, key, state, version, dirJson, timerAtMs } = s;
      this.actors.set(id, { type, key, partition, state, version, dirJson, timerAtMs });
    }
    for (const record of out.write?.applied ?? []) run.applied.set(record.msgId, record.seq);
    if (++this.sincePrune >= PRUNE_EVERY) this.prune(delivery.seq);
    return { kind: 'applied', outbox: out.write?.outbox ?? [], parked: [...out.parked] };
  }

  /**
   * Starts from a base instead of the empty state: snapshots, checkpoints and applied-command
   * records taken together (a backup), so only the commands after each checkpoint are replayed.
   */
  seed(base: DbView): void {
    for (const [partition, seq] of base.checkpoints) this.runOf(partition).lastSeq = seq;
    for (const a of base.applied) this.runOf(a.partition).applied.set(a.msgId, a.seq);
    for (const s of base.snapshots) {
      const { type, key, partition, version, timerAtMs } = s;
      const state = decodeJson(s.stateText);
      this.actors.set(actorId(type, key), {
        type,
        key,
        partition,
        state,
        version,
        timerAtMs,
        dirJson: undefined,
      });
    }
  }

  /**
   * What a worker restart does to the state: every actor reloaded from its snapshot encoding,
   * its directory entry forgotten. Replays with and without restarts must agree.
   */
  restart(): void {
    for (const [id, actor] of this.actors) {
      const state = decodeJson(encodeJson(actor.state));
      this.actors.set(id, { ...actor, state, dirJson: undefined });
    }
  }

  /** The rebuilt state of one actor (undefined: the replay has not touched it). */
  stateOf(type: string, key: string): unknown {
    return this.actors.get(actorId(type, key))?.state;
  }

  /** Every actor the replay touched that has a persisted version (version > 0). */
  persisted(): ReplayedActor[] {
    return [...this.actors.values()].filter((a) => a.version > 0);
  }

  private runOf(partition: number): PartitionRun {
    let run = this.runs.get(partition);
    if (run === undefined) {
      const { partitions, actors, hub, haltingTypes, appliedKeepSeqs } = this.settings;
      const { firstCopyWithinMs } = this.settings;
      const ctx = {
        partition,
        partitions,
        actors,
        hub,
        haltingTypes,
        appliedKeepSeqs,
        firstCopyWithinMs,
      };
      run = { ctx, lastSeq: 0, applied: new Map() };
      this.runs.set(partition, run);
    }
    return run;
  }

  private prune(seq: number): void {
    this.sincePrune = 0;
    const below = seq - this.settings.appliedKeepSeqs;
    for (const run of this.runs.values()) {
      for (const [msgId, at] of run.applied) if (at < below) run.applied.delete(msgId);
    }
  }
}
