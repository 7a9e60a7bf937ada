// The runtime's SQL besides the batch statement (batch-write.ts): the fenced checkpoint claim,
// snapshot, outbox and applied-command loads, prunes, and the read side
// (DbStateReader). State is written as JSONB through the bigint-safe codec and read back as text
// through it, so money never passes through a JS number.

import { and, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { ActorRef } from '../actors/actor.ts';
import { actorSnapshots, outbox, partitionCheckpoints } from '../schema/db/tables.ts';
import type { StateReader } from './bus.ts';
import { decodeJson } from './codec.ts';
import { type Db, executeNamed } from './db.ts';

export class FencedError extends Error {
  override readonly name = 'FencedError';
}

/**
 * The batch statement found the checkpoint or a snapshot not where the step started from (an
 * earlier write whose outcome looked failed had committed): it wrote nothing; re-read and redo.
 */
export class StaleStateError extends Error {
  override readonly name = 'StaleStateError';
}

/** A loaded snapshot; its directory entry is unknown until the actor changes again. */
export type SnapshotRow = {
  readonly state: unknown;
  readonly version: number;
  readonly dirJson: string | undefined;
};

export type SnapshotWrite = {
  readonly type: string;
  readonly key: string;
  /** The version the DB must still hold (0: no snapshot yet); the write is refused otherwise. */
  readonly baseVersion: number;
  readonly version: number;
  readonly stateJson: string;
  readonly timerAtMs: number | undefined;
};

export type OutboxRow = {
  readonly sourceSeq: number;
  readonly idx: number;
  readonly subject: string;
  readonly msgId: string;
  readonly payload: string;
  readonly headers: Readonly<Record<string, string>> | null;
};

/** parked: skipped, changed nothing; halted: stopped its partition; dropped: by an operator. */
export type PoisonStatus = 'parked' | 'halted' | 'dropped';

export type PoisonRow = {
  readonly seq: number;
  readonly subject: string;
  readonly reason: string;
  readonly payload: string;
  /** `<type>/<key>` of the actor it was for, when it decoded that far. */
  readonly actor: string | null;
  readonly status: PoisonStatus;
};

export type BatchWrite = {
  readonly partition: number;
  readonly fence: number;
  /** The checkpoint the step started from: the write applies only if it is still there. */
  readonly fromSeq: number;
  readonly lastSeq: number;
  readonly snapshots: readonly SnapshotWrite[];
  readonly outbox: readonly OutboxRow[];
  readonly poison: readonly PoisonRow[];
  /** Outbox rows at or below this source sequence were published after the previous batch. */
  readonly publishedThroughSeq: number;
  /** Nats-Msg-Ids of the outbox-published commands this batch applies, with their stream seq. */
  readonly applied: readonly AppliedCommand[];
};

export type AppliedCommand = { readonly msgId: string; readonly seq: number };

/**
 * Writes the new owner's fencing token (only ever upwards) and returns the checkpoint sequence,
 * or undefined when a newer owner already fenced the partition.
 */
export async function claimCheckpoint(
  db: Db,
  partition: number,
  fence: number,
): Promise<number | undefined> {
  const rows = await db
    .insert(partitionCheckpoints)
    .values({ partition, seq: 0, fence })
    .onConflictDoUpdate({
      target: partitionCheckpoints.partition,
      set: { fence: sql`excluded.fence`, updatedAt: sql`now()` },
      setWhere: lte(partitionCheckpoints.fence, sql`excluded.fence`),
    })
    .returning({ seq: partitionCheckpoints.seq });
  return rows[0]?.seq;
}

const stateText = sql<string>`${actorSnapshots.state}::text`;

export async function loadSnapshots(
  db: Db,
  partition: number,
  keys: readonly string[],
): Promise<Map<string, SnapshotRow>> {
  const found = new Map<string, SnapshotRow>();
  if (keys.length === 0) return found;
  const { rows } = await executeNamed(
    db,
    'mkondo_load_snapshots',
    sql`select type, key, version, state::text as state from actor_snapshots
        where partition = ${partition} and key = any(${param([...keys])}::text[])`,
  );
  for (const row of rows as ReadonlyArray<{
    type: string;
    key: string;
    version: unknown;
    state: string;
  }>) {
    found.set(actorId(row.type, row.key), {
      state: decodeJson(row.state),
      version: Number(row.version),
      dirJson: undefined,
    });
  }
  return found;
}

export function actorId(type: string, key: string): string {
  return `${type}\u0000${key}`;
}

export async function loadTimers(db: Db, partition: number) {
  return db
    .select({ type: actorSnapshots.type, key: actorSnapshots.key, atMs: actorSnapshots.timerAtMs })
    .from(actorSnapshots)
    .where(and(eq(actorSnapshots.partition, partition), isNotNull(actorSnapshots.timerAtMs)));
}

/** Outbox rows not known to be published: above the checkpoint's published_seq. */
export async function loadOutbox(db: Db, partition: number): Promise<OutboxRow[]> {
  const published = db
    .select({ seq: partitionCheckpoints.publishedSeq })
    .from(partitionCheckpoints)
    .where(eq(partitionCheckpoints.partition, partition));
  const rows = await db
    .select()
    .from(outbox)
    .where(
      and(eq(outbox.partition, partition), sql`${outbox.sourceSeq} > coalesce((${published}), 0)`),
    )
    .orderBy(outbox.sourceSeq, outbox.idx);
  return rows.map((r) => ({ ...r, headers: r.headers as Record<string, string> | null }));
}

/** Records outbox rows through `seq` as published, if this owner still holds the fence. */
export async function recordPublished(
  db: Db,
  partition: number,
  fence: number,
  seq: number,
): Promise<void> {
  await db.execute(sql`
    update partition_checkpoints set published_seq = ${seq}, updated_at = now()
    where partition = ${partition} and fence = ${fence} and published_seq < ${seq}`);
}

/** Which of `msgIds` this partition already applied (recorded by an earlier batch). */
export async function loadApplied(
  db: Db,
  partition: number,
  msgIds: readonly string[],
): Promise<Set<string>> {
  if (msgIds.length === 0) return new Set();
  const { rows } = await executeNamed(
    db,
    'mkondo_load_applied',
    sql`select msg_id from applied_commands
        where partition = ${partition} and msg_id = any(${param([...msgIds])}::text[])`,
  );
  return new Set(rows.map((row) => String(row['msg_id'])));
}

/** Forgets applied commands recorded before stream sequence `belowSeq`. */
export async function pruneApplied(db: Db, partition: number, belowSeq: number): Promise<void> {
  await db.execute(
    sql`delete from applied_commands where partition = ${partition} and seq < ${belowSeq}`,
  );
}

/** Removes outbox rows already published (at or below the checkpoint's published_seq). */
export async function pruneOutbox(db: Db, partition: number): Promise<void> {
  await db.execute(sql`
    delete from outbox where partition = ${partition} and source_seq <= (
      select published_seq from partition_checkpoints where partition = ${partition})`);
}

// Row sets go in as one array parameter per column (unnest): see batch-write.ts.
const param = (values: unknown[]) => sql.param(values);

/** Actor snapshots as read models (StateReader): what the DB holds, i.e. durable state. */
export class DbStateReader implements StateReader {
  constructor(private readonly db: Db) {}

  async get<S>(to: ActorRef): Promise<S | undefined> {
    const rows = await this.db
      .select({ state: stateText })
      .from(actorSnapshots)
      .where(and(eq(actorSnapshots.type, to.type), eq(actorSnapshots.key, to.key)));
    const row = rows[0];
    return row === undefined ? undefined : decodeJson<S>(row.state);
  }

  async list<S>(type: string): Promise<ReadonlyArray<{ key: string; state: S }>> {
    const rows = await this.db
      .select({ key: actorSnapshots.key, state: stateText })
      .from(actorSnapshots)
      .where(eq(actorSnapshots.type, type))
      .orderBy(actorSnapshots.key);
    return rows.map((r) => ({ key: r.key, state: decodeJson<S>(r.state) }));
  }
}
