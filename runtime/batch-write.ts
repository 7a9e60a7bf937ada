// The one statement of a batch (runtime/driver.ts runs it through StorePort.writeBatch): the
// fenced, from-sequence and version-checked checkpoint advance, then the snapshots, outbox rows,
// poison records and applied commands, each guarded by the checkpoint row the first part
// returned. Row sets go in as one array parameter per column (unnest): one short statement
// however large the batch, cheap to build and to parse, within the subset CockroachDB shares.

import { sql } from 'drizzle-orm';
import { type Db, executeNamed, type Tx } from './db.ts';
import {
  type BatchWrite,
  FencedError,
  type OutboxRow,
  type PoisonRow,
  type SnapshotWrite,
  StaleStateError,
} from './snapshot-store.ts';

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
