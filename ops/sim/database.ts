// Simulated database: the runtime's tables (partition checkpoints, actor snapshots, outbox,
// poison, applied commands) with the semantics of the statements in runtime/snapshot-store.ts and
// runtime/poison-store.ts. The batch write is atomic, fenced, and (unless `legacyStatement`, the
// statement of the old loop) applies only from the checkpoint and snapshot versions it started
// from, exactly like `writeBatch`: all of it lands or none. The
// clients decide (through the fault scheduler) whether a call fails before the server acts or
// fails AMBIGUOUSLY after it (the write landed, the caller sees an error). Every landed write is
// reported to the observers, which run the per-step checks against what was durable before it.

import { decodeJson } from '../../runtime/codec.ts';
import {
  actorId,
  type BatchWrite,
  FencedError,
  type OutboxRow,
  type PoisonRow,
  type SnapshotRow,
  StaleStateError,
} from '../../runtime/snapshot-store.ts';

export type CheckpointRow = { seq: number; fence: number; publishedSeq: number };

export type SnapshotRecord = {
  readonly type: string;
  readonly key: string;
  readonly partition: number;
  readonly version: number;
  readonly stateJson: string;
  readonly timerAtMs: number | undefined;
};

export type WriteObserver = (
  write: BatchWrite,
  before: ReadonlyMap<string, SnapshotRecord | undefined>,
) => void;

export class SimDatabase {
  readonly checkpoints = new Map<number, CheckpointRow>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  /** Outbox rows by partition, keyed `<sourceSeq>/<idx>`. */
  readonly outbox = new Map<number, Map<string, OutboxRow>>();
  readonly poison = new Map<string, PoisonRow & { partition: number }>();
  readonly applied = new Map<number, Map<string, number>>();
  private readonly observers: WriteObserver[] = [];
  writes = 0;
  /**
   * The batch statement as it was before issue 9 (no check of the starting checkpoint and
   * snapshot versions); set for the old loop, whose findings depend on it.
   */
  legacyStatement = false;

  observe(observer: WriteObserver): void {
    this.observers.push(observer);
  }

  claimCheckpoint(partition: number, fence: number): number | undefined {
    const row = this.checkpoints.get(partition);
    if (row === undefined) {
      this.checkpoints.set(partition, { seq: 0, fence, publishedSeq: 0 });
      return 0;
    }
    if (row.fence > fence) return undefined;
    row.fence = fence;
    return row.seq;
  }

  /** Like the SQL: rows of the partition whose key is one of `keys`, any actor type. */
  loadSnapshots(partition: number, keys: readonly string[]): Map<string, SnapshotRow> {
    const wanted = new Set(keys);
    const found = new Map<string, SnapshotRow>();
    for (const [id, row] of this.snapshots) {
      if (row.partition !== partition || !wanted.has(row.key)) continue;
      found.set(id, { state: decodeJson(row.stateJson), version: row.version, dirJson: undefined });
    }
    return found;
  }

  loadTimers(partition: number): Array<{ type: string; key: string; atMs: number }> {
    const rows: Array<{ type: string; key: string; atMs: number }> = [];
    for (const row of this.snapshots.values()) {
      if (row.partition === partition && row.timerAtMs !== undefined) {
        rows.push({ type: row.type, key: row.key, atMs: row.timerAtMs });
      }
    }
    return rows;
  }

  loadOutbox(partition: number): OutboxRow[] {
    const published = this.checkpoints.get(partition)?.publishedSeq ?? 0;
    return [...(this.outbox.get(partition)?.values() ?? [])]
      .filter((row) => row.sourceSeq > published)
      .sort((a, b) => a.sourceSeq - b.sourceSeq || a.idx - b.idx);
  }

  loadApplied(partition: number, msgIds: readonly string[]): Set<string> {
    const applied = this.applied.get(partition);
    return new Set(msgIds.filter((id) => applied?.has(id)));
  }

  /** The one batch statement: fenced, all or nothing (runtime/snapshot-store.ts writeBatch). */
  writeBatch(batch: BatchWrite): void {
    const row = this.checkpoints.get(batch.partition);
    if (row === undefined || row.fence !== batch.fence) {
      throw new FencedError(`partition ${batch.partition} fenced`);
    }
    if (!this.legacyStatement && !this.startsWhereItLeft(row, batch)) {
      throw new StaleStateError(`partition ${batch.partition}: moved past ${batch.fromSeq}`);
    }
    const before = new Map<string, SnapshotRecord | undefined>();
    for (const s of batch.snapshots) {
      const id = actorId(s.type, s.key);
      before.set(id, this.snapshots.get(id));
    }
    row.seq = batch.lastSeq;
    row.publishedSeq = Math.max(row.publishedSeq, batch.publishedThroughSeq);
    for (const s of batch.snapshots) {
      this.snapshots.set(actorId(s.type, s.key), { ...s, partition: batch.partition });
    }
    const outbox = this.outbox.get(batch.partition) ?? new Map<string, OutboxRow>();
    this.outbox.set(batch.partition, outbox);
    for (const o of batch.outbox) {
      const key = `${o.sourceSeq}/${o.idx}`;
      if (!outbox.has(key)) outbox.set(key, o);
    }
    for (const p of batch.poison) {
      this.poison.set(`${batch.partition}/${p.seq}`, { ...p, partition: batch.partition });
    }
    const applied = this.applied.get(batch.partition) ?? new Map<string, number>();
    this.applied.set(batch.partition, applied);
    for (const a of batch.applied) if (!applied.has(a.msgId)) applied.set(a.msgId, a.seq);
    this.writes++;
    for (const observer of this.observers) observer(batch, before);
  }

  private startsWhereItLeft(row: CheckpointRow, batch: BatchWrite): boolean {
    if (row.seq !== batch.fromSeq) return false;
    return batch.snapshots.every(
      (s) => (this.snapshots.get(actorId(s.type, s.key))?.version ?? 0) === s.baseVersion,
    );
  }

  /** runtime/snapshot-store.ts recordPublished: fenced, only upwards. */
  recordPublished(partition: number, fence: number, seq: number): void {
    const row = this.checkpoints.get(partition);
    if (row !== undefined && row.fence === fence && row.publishedSeq < seq) row.publishedSeq = seq;
  }

  /** Sequences above `afterSeq` an operator dropped (none: the simulation has no operator). */
  loadDropped(partition: number, afterSeq: number): Set<number> {
    const dropped = new Set<number>();
    for (const p of this.poison.values()) {
      if (p.partition === partition && p.seq > afterSeq && p.status === 'dropped') {
        dropped.add(p.seq);
      }
    }
    return dropped;
  }

  recordHalt(partition: number, row: PoisonRow): void {
    this.poison.set(`${partition}/${row.seq}`, { ...row, status: 'halted', partition });
  }

  pruneOutbox(partition: number): void {
    const published = this.checkpoints.get(partition)?.publishedSeq ?? 0;
    const outbox = this.outbox.get(partition);
    for (const [key, row] of outbox ?? []) if (row.sourceSeq <= published) outbox?.delete(key);
  }

  pruneApplied(partition: number, belowSeq: number): void {
    const applied = this.applied.get(partition);
    for (const [id, seq] of applied ?? []) if (seq < belowSeq) applied?.delete(id);
  }
}
