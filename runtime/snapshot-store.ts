// Every SQL statement of the runtime: the fenced checkpoint claim, snapshot loads, the one batch
// transaction (checkpoint, snapshots, outbox, poison) and the read side (DbStateReader). State is
// written as JSONB through the bigint-safe codec and read back as text through it, so money never
// passes through a JS number.

import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { ActorRef } from '../actors/actor.ts';
import {
  actorSnapshots,
  outbox,
  partitionCheckpoints,
  poisonMessages,
} from '../schema/db/tables.ts';
import type { StateReader } from './bus.ts';
import { decodeJson } from './codec.ts';
import type { Db, Tx } from './db.ts';

export class FencedError extends Error {
  override readonly name = 'FencedError';
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

export type PoisonRow = {
  readonly seq: number;
  readonly subject: string;
  readonly reason: string;
  readonly payload: string;
};

export type BatchWrite = {
  readonly partition: number;
  readonly fence: number;
  readonly lastSeq: number;
  readonly snapshots: readonly SnapshotWrite[];
  readonly outbox: readonly OutboxRow[];
  readonly poison: readonly PoisonRow[];
  /** Outbox rows at or below this source sequence were published after the previous batch. */
  readonly publishedThroughSeq: number;
};

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
  const rows = await db
    .select({
      type: actorSnapshots.type,
      key: actorSnapshots.key,
      version: actorSnapshots.version,
      state: stateText,
    })
    .from(actorSnapshots)
    .where(and(eq(actorSnapshots.partition, partition), inArray(actorSnapshots.key, [...keys])));
  for (const row of rows) {
    found.set(actorId(row.type, row.key), {
      state: decodeJson(row.state),
      version: row.version,
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

export async function loadOutbox(db: Db, partition: number): Promise<OutboxRow[]> {
  const rows = await db
    .select()
    .from(outbox)
    .where(eq(outbox.partition, partition))
    .orderBy(outbox.sourceSeq, outbox.idx);
  return rows.map((r) => ({ ...r, headers: r.headers as Record<string, string> | null }));
}

/** The batch transaction body; throws FencedError (rolling back) if this owner was fenced. */
export async function writeBatch(tx: Tx, batch: BatchWrite): Promise<void> {
  const { partition } = batch;
  const advanced = await tx
    .update(partitionCheckpoints)
    .set({ seq: batch.lastSeq, updatedAt: sql`now()` })
    .where(
      and(
        eq(partitionCheckpoints.partition, partition),
        eq(partitionCheckpoints.fence, batch.fence),
      ),
    )
    .returning({ partition: partitionCheckpoints.partition });
  if (advanced.length === 0) throw new FencedError(`partition ${partition} fenced`);
  if (batch.publishedThroughSeq > 0) {
    await tx
      .delete(outbox)
      .where(
        and(eq(outbox.partition, partition), lte(outbox.sourceSeq, batch.publishedThroughSeq)),
      );
  }
  if (batch.snapshots.length > 0) await upsertSnapshots(tx, partition, batch.snapshots);
  if (batch.outbox.length > 0) await insertOutbox(tx, partition, batch.outbox);
  if (batch.poison.length > 0) {
    const rows = batch.poison.map((r) => ({ partition, ...r }));
    await tx.insert(poisonMessages).values(rows).onConflictDoNothing();
  }
}

// Row sets go in as one array parameter per column (unnest): one short statement however large
// the batch, cheap to build and to parse, and within the subset CockroachDB shares.
const param = (values: unknown[]) => sql.param(values);

async function insertOutbox(tx: Tx, partition: number, rows: readonly OutboxRow[]) {
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
  await tx.execute(sql`
    insert into outbox (partition, source_seq, idx, subject, msg_id, payload, headers)
    select ${partition}::int, s, i, subj, mid, pay, h::jsonb
    from unnest(${param(seqs)}::bigint[], ${param(idxs)}::int[], ${param(subjects)}::text[],
                ${param(msgIds)}::text[], ${param(payloads)}::text[], ${param(headers)}::text[])
      as u(s, i, subj, mid, pay, h)
    on conflict do nothing`);
}

async function upsertSnapshots(tx: Tx, partition: number, writes: readonly SnapshotWrite[]) {
  const n = writes.length;
  const types = new Array<string>(n);
  const keys = new Array<string>(n);
  const versions = new Array<number>(n);
  const states = new Array<string>(n);
  const timers = new Array<number | null>(n);
  for (let i = 0; i < n; i++) {
    const w = writes[i]!;
    types[i] = w.type;
    keys[i] = w.key;
    versions[i] = w.version;
    states[i] = w.stateJson;
    timers[i] = w.timerAtMs ?? null;
  }
  await tx.execute(sql`
    insert into actor_snapshots (type, key, partition, version, state, timer_at_ms, updated_at)
    select t, k, ${partition}::int, v, s::jsonb, tm, now()
    from unnest(${param(types)}::text[], ${param(keys)}::text[], ${param(versions)}::bigint[],
                ${param(states)}::text[], ${param(timers)}::bigint[]) as u(t, k, v, s, tm)
    on conflict (type, key) do update set partition = excluded.partition,
      version = excluded.version, state = excluded.state,
      timer_at_ms = excluded.timer_at_ms, updated_at = excluded.updated_at`);
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
