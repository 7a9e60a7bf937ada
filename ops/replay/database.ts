// What the database holds, read for a replay in ONE read-only repeatable-read transaction, so the
// checkpoints, snapshots, outbox and poison records are one consistent moment even while workers
// write: a partition's batch statement advances its checkpoint and its snapshots together. The
// replay applies each partition's commands up to that checkpoint and compares with this view.

import { sql } from 'drizzle-orm';
import type { Db } from '../../runtime/db.ts';

export type DbSnapshot = {
  readonly type: string;
  readonly key: string;
  readonly partition: number;
  readonly version: number;
  readonly stateText: string;
  readonly timerAtMs: number | undefined;
};

export type DbOutboxRow = {
  readonly partition: number;
  readonly sourceSeq: number;
  readonly subject: string;
  readonly msgId: string;
  readonly payload: string;
  readonly traceparent: string | undefined;
};

export type DbPoison = {
  readonly partition: number;
  readonly seq: number;
  readonly status: string;
  readonly reason: string;
};

export type DbView = {
  /** The partition count the deployment recorded (switch_settings), if any. */
  readonly partitions: number | undefined;
  readonly checkpoints: ReadonlyMap<number, number>;
  readonly snapshots: readonly DbSnapshot[];
  readonly outbox: readonly DbOutboxRow[];
  readonly poison: readonly DbPoison[];
  /** Applied-command records (a base for a shorter replay needs them); empty unless asked. */
  readonly applied: ReadonlyArray<{ partition: number; msgId: string; seq: number }>;
};

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;
const optionalNumber = (value: unknown) =>
  value === null || value === undefined ? undefined : Number(value);

export async function readDbView(db: Db, withApplied = false): Promise<DbView> {
  return db.transaction(
    async (tx) => {
      const settings = rowsOf(
        await tx.execute(sql`select value from switch_settings where name = 'partitions'`),
      );
      const checkpoints = rowsOf(
        await tx.execute(sql`select partition, seq from partition_checkpoints`),
      );
      const snapshots = rowsOf(
        await tx.execute(sql`select type, key, partition, version, state::text as state,
          timer_at_ms from actor_snapshots order by type, key`),
      );
      const outbox = rowsOf(
        await tx.execute(sql`select partition, source_seq, subject, msg_id, payload, headers
          from outbox order by partition, source_seq, idx`),
      );
      const poison = rowsOf(
        await tx.execute(sql`select partition, seq, status, reason from poison_messages`),
      );
      const applied = withApplied
        ? rowsOf(await tx.execute(sql`select partition, msg_id, seq from applied_commands`))
        : [];
      return {
        partitions: optionalNumber(settings[0]?.['value']),
        checkpoints: new Map(checkpoints.map((r) => [Number(r['partition']), Number(r['seq'])])),
        snapshots: snapshots.map((r) => ({
          type: String(r['type']),
          key: String(r['key']),
          partition: Number(r['partition']),
          version: Number(r['version']),
          stateText: String(r['state']),
          timerAtMs: optionalNumber(r['timer_at_ms']),
        })),
        outbox: outbox.map((r) => ({
          partition: Number(r['partition']),
          sourceSeq: Number(r['source_seq']),
          subject: String(r['subject']),
          msgId: String(r['msg_id']),
          payload: String(r['payload']),
          traceparent: traceparentOf(r['headers']),
        })),
        poison: poison.map((r) => ({
          partition: Number(r['partition']),
          seq: Number(r['seq']),
          status: String(r['status']),
          reason: String(r['reason']),
        })),
        applied: applied.map((r) => ({
          partition: Number(r['partition']),
          msgId: String(r['msg_id']),
          seq: Number(r['seq']),
        })),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function traceparentOf(headers: unknown): string | undefined {
  const parsed = typeof headers === 'string' ? (JSON.parse(headers) as unknown) : headers;
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const value = (parsed as Record<string, unknown>)['traceparent'];
  return typeof value === 'string' ? value : undefined;
}
