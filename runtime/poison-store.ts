// The poison record (poison_messages) outside the batch statement: the row of a command that
// halted its partition, the operator's decision on it, and what `mkondo poison` lists, retries
// and drops. Parked rows themselves are written by the batch statement (snapshot-store.ts), so
// a parked command and the checkpoint that skips it are durable together.

import { sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { OperatorDecision } from './ports.ts';
import type { PoisonRow } from './snapshot-store.ts';

type Rows = { readonly rows: ReadonlyArray<Record<string, unknown>> };

async function rowsOf(db: Db, query: ReturnType<typeof sql>): Promise<Rows['rows']> {
  return ((await db.execute(query)) as unknown as Rows).rows;
}

/** Records the command that halted `partition` (or marks it halted again after a retry). */
export async function recordHalt(db: Db, partition: number, row: PoisonRow): Promise<void> {
  await db.execute(sql`
    insert into poison_messages (partition, seq, subject, reason, payload, actor, status)
    values (${partition}, ${row.seq}, ${row.subject}, ${row.reason}, ${row.payload},
            ${row.actor}, 'halted')
    on conflict (partition, seq) do update set status = 'halted', reason = excluded.reason,
      recorded_at = now()`);
}

/** What the operator decided on the halting command `seq` ('halted' while undecided). */
export async function haltDecision(
  db: Db,
  partition: number,
  seq: number,
): Promise<OperatorDecision> {
  const rows = await rowsOf(
    db,
    sql`select status from poison_messages where partition = ${partition} and seq = ${seq}`,
  );
  const status = rows[0]?.['status'];
  return status === 'drop' || status === 'retry' ? status : 'halted';
}

/** Sequences above `afterSeq` an operator dropped, to park instead of applying. */
export async function loadDropped(db: Db, partition: number, afterSeq: number) {
  const rows = await rowsOf(
    db,
    sql`select seq from poison_messages where partition = ${partition} and seq > ${afterSeq}
        and status in ('drop', 'dropped')`,
  );
  return new Set(rows.map((r) => Number(r['seq'])));
}

export type PoisonListing = {
  readonly partition: number;
  readonly seq: number;
  readonly status: string;
  readonly actor: string | null;
  readonly subject: string;
  readonly reason: string;
  readonly recordedAt: string;
};

/** Every poison record, oldest first (`mkondo poison list`). */
export async function listPoison(db: Db): Promise<PoisonListing[]> {
  const rows = await rowsOf(
    db,
    sql`select partition, seq, status, actor, subject, reason, recorded_at::text as at
        from poison_messages order by seq`,
  );
  return rows.map((r) => ({
    partition: Number(r['partition']),
    seq: Number(r['seq']),
    status: String(r['status']),
    actor: r['actor'] === null ? null : String(r['actor']),
    subject: String(r['subject']),
    reason: String(r['reason']),
    recordedAt: String(r['at']),
  }));
}

export type PoisonCommand = {
  readonly partition: number;
  readonly status: string;
  readonly subject: string;
  readonly payload: string;
};

/** The record of stream sequence `seq` (unique across partitions: one CMD stream). */
export async function findPoison(db: Db, seq: number): Promise<PoisonCommand | undefined> {
  const rows = await rowsOf(
    db,
    sql`select partition, status, subject, payload from poison_messages where seq = ${seq}`,
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  return {
    partition: Number(r['partition']),
    status: String(r['status']),
    subject: String(r['subject']),
    payload: String(r['payload']),
  };
}

/** Sets the operator's decision on a halted command; the halted loop polls it. */
export async function decideHalt(db: Db, seq: number, decision: 'drop' | 'retry') {
  await db.execute(sql`update poison_messages set status = ${decision}
    where seq = ${seq} and status = 'halted'`);
}

/** Forgets a parked or dropped record (it changed nothing; the stream keeps the command). */
export async function deletePoison(db: Db, seq: number): Promise<void> {
  await db.execute(sql`delete from poison_messages where seq = ${seq}
    and status in ('parked', 'dropped')`);
}
