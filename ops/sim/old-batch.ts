// THE OLD BATCH, kept as a model with ./old-loop.ts: how the loop of issue 9 (commit ad27cc7,
// runtime/batch.ts) decoded and applied a batch, re-expressed over today's pure pieces
// (decodeDelivery, applyCommand). What differs from today's step is exactly what the findings
// are about: messages at or below the checkpoint are skipped but the rest are not judged against
// each other, and each actor's state comes from `stateOf`, which the old loop read a second time
// from its cache after the awaits. An actor that throws abandons the batch (3 tries, then poison).

import type { AnyActor, HubSettings } from '../../actors/actor.ts';
import {
  appliedRecord,
  applyCommand,
  type Cached,
  type Decoded,
  decodeDelivery,
  poisonRow,
  type Working,
} from '../../runtime/batch.ts';
import { encodeJson } from '../../runtime/codec.ts';
import type { Delivery } from '../../runtime/ports.ts';
import type {
  AppliedCommand,
  OutboxRow,
  PoisonRow,
  SnapshotWrite,
} from '../../runtime/snapshot-store.ts';

export type OldBatchContext = {
  readonly partition: number;
  readonly partitions: number;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly hub: HubSettings;
  readonly failures: Map<number, number>;
};

/** decide/evolve threw for `seq`; the old loop reset to the checkpoint and retried. */
export class OldAbandonBatch extends Error {
  override readonly name = 'AbandonBatch';
}

const APPLY_ATTEMPTS_MAX = 3;

/** Old decodeBatch: skips what is at or below the checkpoint; poison for undecodable ones. */
export function oldDecode(
  ctx: OldBatchContext,
  deliveries: readonly Delivery[],
  checkpoint: number,
  poison: PoisonRow[],
): Decoded[] {
  const decoded: Decoded[] = [];
  for (const delivery of deliveries) {
    if (delivery.seq <= checkpoint) continue;
    const item = decodeDelivery(delivery, ctx.actors, ctx.partition, ctx.partitions);
    if (item.kind === 'command') decoded.push(item.command);
    else poison.push(poisonRow(delivery, item.reason, 'parked'));
  }
  return decoded;
}

/** Old withoutApplied: drops copies applied before or earlier in the batch. */
export function oldWithoutApplied(items: readonly Decoded[], seen: ReadonlySet<string>) {
  const kept: Decoded[] = [];
  const applied: AppliedCommand[] = [];
  const inBatch = new Set<string>();
  for (const item of items) {
    if (item.msgId !== undefined) {
      if (seen.has(item.msgId) || inBatch.has(item.msgId)) continue;
      inBatch.add(item.msgId);
      const record = appliedRecord(item);
      if (record) applied.push(record);
    }
    kept.push(item);
  }
  return { items: kept, applied };
}

export type OldApplied = {
  readonly snapshots: SnapshotWrite[];
  readonly outbox: OutboxRow[];
  readonly states: Map<string, Cached & { type: string; key: string; timerAtMs?: number }>;
};

/** Old applyBatch: applies in order; throws OldAbandonBatch when an actor throws. */
export function oldApply(
  ctx: OldBatchContext,
  items: readonly Decoded[],
  stateOf: (id: string) => Cached | undefined,
  poison: PoisonRow[],
): OldApplied {
  const working = new Map<string, Working>();
  const outbox: OutboxRow[] = [];
  for (const item of items) {
    let w = working.get(item.id);
    if (w === undefined) {
      const cached = stateOf(item.id);
      w = {
        type: item.env.type,
        key: item.env.key,
        def: item.def,
        baseVersion: cached ? cached.version : 0,
        state: cached ? cached.state : item.def.initial,
        version: cached ? cached.version : 0,
        dirJson: cached?.dirJson,
        dirty: false,
      };
      working.set(item.id, w);
    }
    const result = applyCommand(ctx, item, w);
    if (result.ok) {
      outbox.push(...result.outbox);
      continue;
    }
    const seq = item.delivery.seq;
    const attempts = (ctx.failures.get(seq) ?? 0) + 1;
    ctx.failures.set(seq, attempts);
    if (attempts < APPLY_ATTEMPTS_MAX) throw new OldAbandonBatch(`seq ${seq}: ${result.error}`);
    poison.push(poisonRow(item.delivery, `apply failed ${attempts} times`, 'parked'));
  }
  const snapshots: SnapshotWrite[] = [];
  const states: OldApplied['states'] = new Map();
  for (const [id, w] of working) {
    const timerAtMs = w.def.nextTimer?.(w.state)?.atMs;
    const { type, key, version } = w;
    if (w.dirty) {
      const stateJson = encodeJson(w.state);
      snapshots.push({ type, key, baseVersion: w.baseVersion, version, stateJson, timerAtMs });
    }
    const resident = { type, key, state: w.state, version, dirJson: w.dirJson };
    states.set(id, timerAtMs === undefined ? resident : { ...resident, timerAtMs });
  }
  return { snapshots, outbox, states };
}
