// The runtime's tables (DESIGN.md §5), as drizzle schema-as-code. Everything stays inside the SQL
// subset PostgreSQL, PGlite and CockroachDB share: natural primary keys (no sequences), BIGINT,
// JSONB, INSERT ... ON CONFLICT. The checkpoint row of a partition carries the fencing token
// (the lease revision) so that a stale owner's batch transaction finds no row to advance.

import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** The durable state of every actor; doubles as the read model the APIs query. */
export const actorSnapshots = pgTable(
  'actor_snapshots',
  {
    type: text('type').notNull(),
    key: text('key').notNull(),
    partition: integer('partition').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    state: jsonb('state').notNull(),
    timerAtMs: bigint('timer_at_ms', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.type, t.key] }),
    index('actor_snapshots_partition_timer').on(t.partition, t.timerAtMs),
    index('actor_snapshots_partition_key').on(t.partition, t.key),
  ],
);

/**
 * Last applied CMD stream sequence per partition, the fencing token of its owner, and the source
 * sequence through which the outbox is known published (rows at or below it are only awaiting
 * pruning and are never re-published).
 */
export const partitionCheckpoints = pgTable('partition_checkpoints', {
  partition: integer('partition').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  fence: bigint('fence', { mode: 'number' }).notNull(),
  publishedSeq: bigint('published_seq', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});

/** Outputs of persisted batches not yet confirmed published; re-published on takeover. */
export const outbox = pgTable(
  'outbox',
  {
    partition: integer('partition').notNull(),
    sourceSeq: bigint('source_seq', { mode: 'number' }).notNull(),
    idx: integer('idx').notNull(),
    subject: text('subject').notNull(),
    msgId: text('msg_id').notNull(),
    payload: text('payload').notNull(),
    headers: jsonb('headers'),
  },
  (t) => [primaryKey({ columns: [t.partition, t.sourceSeq, t.idx] })],
);

/**
 * Commands the runtime did not apply (runtime/poison.ts): `parked` ones (undecodable, refused by
 * an actor or by the database) changed nothing and the partition went on; a `halted` one broke a
 * money invariant and stopped its partition until an operator decides (`drop`, then `dropped`,
 * or `retry`). `actor` is `<type>/<key>` when the command decoded that far.
 */
export const poisonMessages = pgTable(
  'poison_messages',
  {
    partition: integer('partition').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    subject: text('subject').notNull(),
    reason: text('reason').notNull(),
    payload: text('payload').notNull(),
    actor: text('actor'),
    status: text('status').notNull().default('parked'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.partition, t.seq] })],
);

/**
 * Commands from other actors' outboxes already applied, by Nats-Msg-Id, per receiving partition.
 * An outbox row can be published twice (a crash between publishing it and recording it published);
 * JetStream drops the copy only within its two-minute duplicate window, so the runtime records
 * what it applied and skips a later copy. `seq` is the CMD stream sequence that applied it: rows
 * are pruned by how far the stream has moved on since (runtime APPLIED_KEEP_SEQS), never by wall
 * clock, so an outage of any length does not age them out before the copies arrive.
 */
export const appliedCommands = pgTable(
  'applied_commands',
  {
    partition: integer('partition').notNull(),
    msgId: text('msg_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partition, t.msgId] }),
    index('applied_commands_partition_seq').on(t.partition, t.seq),
  ],
);

/**
 * Facts about the deployment that every process must agree with, recorded by the first process
 * to start: the partition count (`partitions`) and the identity of the CMD stream the checkpoints
 * count in (`cmd_stream_created`). A process that disagrees refuses to start (runtime/cluster-guard).
 */
export const switchSettings = pgTable('switch_settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});

/**
 * The Admin API's audit record: one row per request (who, what, when, the request, the outcome).
 * Append-only: the gateway only inserts and reads it; nothing updates or deletes a row.
 */
export const adminAudit = pgTable(
  'admin_audit',
  {
    id: text('id').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    operator: text('operator').notNull(),
    roles: text('roles').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    request: text('request'),
    status: integer('status').notNull(),
    outcome: text('outcome').notNull(),
    approvalId: text('approval_id'),
  },
  (t) => [index('admin_audit_at').on(t.at)],
);

/** Maker-checker: Admin requests waiting for a second operator, and what became of them. */
export const adminApprovals = pgTable(
  'admin_approvals',
  {
    id: text('id').primaryKey(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    requestedBy: text('requested_by').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    body: text('body'),
    state: text('state').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    outcomeStatus: integer('outcome_status'),
    outcome: text('outcome'),
  },
  (t) => [index('admin_approvals_state').on(t.state, t.requestedAt)],
);
