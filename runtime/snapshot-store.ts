// Every SQL statement of the runtime: the fenced checkpoint claim, snapshot loads, the one batch
// transaction (checkpoint, snapshots, outbox, poison, applied commands) and the read side
// (DbStateReader). State is written as JSONB through the bigint-safe codec and read back as text
// through it, so money never passes through a JS number.

import { and, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { ActorRef } from '../actors/actor.ts';
import { actorSnapshots, outbox, partitionCheckpoints } from '../schema/db/tables.ts';
import type { StateReader } from './bus.ts';
import { decodeJson } from './codec.ts';
import { type Db, executeNamed, type Tx } from './db.ts';

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

/**
 * The whole batch write as ONE statement, atomic on its own: the fenced checkpoint advance, the
 * snapshot upserts, the outbox rows, the poison records and the applied commands, each of the
 * latter guarded by the checkpoint row the first one returned. One round trip per batch instead
 * of one per table, and each table is modified once, as CockroachDB requires of a statement.
 * The checkpoint advances only from `fromSeq` and only while every snapshot still has the
 * version the batch started from, so a write replayed after a commit whose outcome was lost
 * changes nothing (StaleStateError). Throws FencedError (and writes nothing) when fenced.
 */
export async function writeBatch(tx: Tx | Db, batch: BatchWrite): Promise<void> {
  const snaps = snapshotColumns(batch.snapshots);
  const out = outboxColumns(batch.outbox);
  const poison = poisonColumns(batch.poison);
  const applied = {
    msgIds: batch.applied.map((a) => a.msgId),
    seqs: batch.applied.map((a) => a.seq),
  };
  const result = await executeNamed(
    tx,
    'mkondo_write_batch',
    sql`
    with cp as (
      update partition_checkpoints
      set seq = ${batch.lastSeq}, published_seq = greatest(published_seq, ${batch.publishedThroughSeq}),
          updated_at = now()
      where partition = ${batch.partition} and fence = ${batch.fence} and seq = ${batch.fromSeq}
        and not exists (
          select 1 from unnest(${param(snaps.types)}::text[], ${param(snaps.keys)}::text[],
                               ${param(snaps.bases)}::bigint[]) as b(t, k, v)
          left join actor_snapshots a on a.type = b.t and a.key = b.k
          where coalesce(a.version, 0) <> b.v)
      returning partition
    ), snaps as (
      insert into actor_snapshots (type, key, partition, version, state, timer_at_ms, updated_at)
      select t, k, cp.partition, v, s::jsonb, tm, now()
      from unnest(${param(snaps.types)}::text[], ${param(snaps.keys)}::text[],
                  ${param(snaps.versions)}::bigint[], ${param(snaps.states)}::text[],
                  ${param(snaps.timers)}::bigint[]) as u(t, k, v, s, tm), cp
      on conflict (type, key) do update set partition = excluded.partition,
        version = excluded.version, state = excluded.state,
        timer_at_ms = excluded.timer_at_ms, updated_at = excluded.updated_at
      returning 1
    ), ob as (
      insert into outbox (partition, source_seq, idx, subject, msg_id, payload, headers)
      select cp.partition, s, i, subj, mid, pay, h::jsonb
      from unnest(${param(out.seqs)}::bigint[], ${param(out.idxs)}::int[],
                  ${param(out.subjects)}::text[], ${param(out.msgIds)}::text[],
                  ${param(out.payloads)}::text[], ${param(out.headers)}::text[])
        as u(s, i, subj, mid, pay, h), cp
      on conflict do nothing
      returning 1
    ), po as (
      insert into poison_messages (partition, seq, subject, reason, payload, actor, status)
      select cp.partition, q, subj, r, pay, act, st
      from unnest(${param(poison.seqs)}::bigint[], ${param(poison.subjects)}::text[],
                  ${param(poison.reasons)}::text[], ${param(poison.payloads)}::text[],
                  ${param(poison.actors)}::text[], ${param(poison.statuses)}::text[])
        as u(q, subj, r, pay, act, st), cp
      on conflict (partition, seq) do update set status = excluded.status,
        reason = excluded.reason, recorded_at = now()
      returning 1
    ), ap as (
      insert into applied_commands (partition, msg_id, seq)
      select cp.partition, m, q
      from unnest(${param(applied.msgIds)}::text[], ${param(applied.seqs)}::bigint[]) as u(m, q), cp
      on conflict do nothing
      returning 1
    )
    select (select count(*) from cp) as advanced,
           (select fence from partition_checkpoints where partition = ${batch.partition}) as fence,
           (select count(*) from snaps) as snaps, (select count(*) from ob) as outbox,
           (select count(*) from po) as poison, (select count(*) from ap) as applied`,
  );
  const row = result.rows[0];
  if (Number(row?.['advanced'] ?? 0) > 0) return;
  if (Number(row?.['fence'] ?? -1) !== batch.fence) {
    throw new FencedError(`partition ${batch.partition} fenced`);
  }
  throw new StaleStateError(
    `partition ${batch.partition}: checkpoint or snapshots moved past seq ${batch.fromSeq}`,
  );
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

// Row sets go in as one array parameter per column (unnest): one short statement however large
// the batch, cheap to build and to parse, and within the subset CockroachDB shares.
const param = (values: unknown[]) => sql.param(values);

function outboxColumns(rows: readonly OutboxRow[]) {
  const n = rows.length;
  const seqs = new Array<number>(n);
  const idxs = new Array<number>(n);
  const subjects = new Array<string>(n);
  const msgIds = new Array<string>(n);
  const payloads = new Array<string>(n);
  const headers = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    seqs[i] = row.sourceSeq;
    idxs[i] = row.idx;
    subjects[i] = row.subject;
    msgIds[i] = row.msgId;
    payloads[i] = row.payload;
    headers[i] = row.headers === null ? null : JSON.stringify(row.headers);
  }
  return { seqs, idxs, subjects, msgIds, payloads, headers };
}

function snapshotColumns(writes: readonly SnapshotWrite[]) {
  const n = writes.length;
  const types = new Array<string>(n);
  const keys = new Array<string>(n);
  const bases = new Array<number>(n);
  const versions = new Array<number>(n);
  const states = new Array<string>(n);
  const timers = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const w = writes[i]!;
    types[i] = w.type;
    keys[i] = w.key;
    bases[i] = w.baseVersion;
    versions[i] = w.version;
    states[i] = w.stateJson;
    timers[i] = w.timerAtMs ?? null;
  }
  return { types, keys, bases, versions, states, timers };
}

function poisonColumns(rows: readonly PoisonRow[]) {
  return {
    seqs: rows.map((r) => r.seq),
    subjects: rows.map((r) => r.subject),
    reasons: rows.map((r) => r.reason),
    payloads: rows.map((r) => r.payload),
    actors: rows.map((r) => r.actor),
    statuses: rows.map((r) => r.status),
  };
}

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
