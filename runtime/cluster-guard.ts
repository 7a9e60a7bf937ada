// Checks that a process agrees with the deployment it joins, before it consumes or publishes:
// the partition count the database was built with, and the CMD stream its checkpoints count in.
// A CMD stream that was recreated or lost its tail would make every partition skip new commands
// (they sit at or below the stored checkpoint) while gateways keep answering 202; so a process
// that sees it refuses to start, and a running one stops consuming and turns unready. The lease
// bucket's revisions are fencing tokens: if the bucket lost its history (a KV node lost its disk)
// they restart below the database's fences, so the bucket's sequence is moved past them first.

import type { JetStreamManager } from '@nats-io/jetstream';
import { sql } from 'drizzle-orm';
import { switchSettings } from '../schema/db/tables.ts';
import type { Db } from './db.ts';
import { leasesBucket } from './lease-store.ts';
import { CMD_STREAM } from './names.ts';
import { isNotFound } from './streams.ts';

export class DeploymentMismatchError extends Error {
  override readonly name = 'DeploymentMismatchError';
}

const PARTITIONS_SETTING = 'partitions';
const CMD_CREATED_SETTING = 'cmd_stream_created';

/** Records `value` under `name` unless a value is there already; returns the recorded value. */
async function recordOnce(db: Db, name: string, value: string): Promise<string> {
  await db.insert(switchSettings).values({ name, value }).onConflictDoNothing();
  const rows = await db
    .select({ value: switchSettings.value })
    .from(switchSettings)
    .where(sql`${switchSettings.name} = ${name}`);
  return rows[0]?.value ?? value;
}

async function maxOfCheckpoints(db: Db, column: 'seq' | 'fence' | 'partition'): Promise<number> {
  const { rows } = (await db.execute(
    sql`select coalesce(max(${sql.identifier(column)}), -1)::text as max
        from partition_checkpoints`,
  )) as unknown as { rows: Array<{ max: string }> };
  return Number(rows[0]?.max ?? -1);
}

/**
 * Records PARTITIONS on first start and refuses a different value later: snapshots, timers and
 * checkpoints are stored by partition, so a changed count orphans them.
 */
export async function checkPartitionCount(db: Db, partitions: number): Promise<void> {
  const highest = await maxOfCheckpoints(db, 'partition');
  const recorded = Number(await recordOnce(db, PARTITIONS_SETTING, String(partitions)));
  if (recorded === partitions && highest < partitions) return;
  const built = recorded === partitions ? `partition ${highest} exists` : `it has ${recorded}`;
  throw new DeploymentMismatchError(
    `PARTITIONS=${partitions} does not match the database (${built}): snapshots, timers and ` +
      `checkpoints are stored by partition, so a different count would orphan them. Set ` +
      `PARTITIONS=${recorded} on every process; changing the count of a live switch is not ` +
      'supported.',
  );
}

/**
 * Refuses to let this process create a CMD stream the database has already counted in: a missing
 * stream means it was deleted or its node lost its disk, and recreating it silently is finding 6.
 */
export async function refuseMissingCommandStream(jsm: JetStreamManager, db: Db): Promise<void> {
  if (await commandStreamExists(jsm)) return;
  const rows = await db
    .select({ value: switchSettings.value })
    .from(switchSettings)
    .where(sql`${switchSettings.name} = ${CMD_CREATED_SETTING}`);
  if (rows.length === 0 && (await maxOfCheckpoints(db, 'seq')) <= 0) return;
  // Processes starting together: another one may have created the stream and recorded it between
  // this one's two reads. Asked again, the stream is there; checkCommandStream then compares its
  // creation time with the recorded one, so a stream recreated behind the guard is still refused.
  if (await commandStreamExists(jsm)) return;
  throw new DeploymentMismatchError(
    `the ${CMD_STREAM} stream is missing but the database holds checkpoints in it: commands ` +
      `accepted before it disappeared are lost. See RELIABILITY.md ("CMD stream lost") and run ` +
      '`mkondo realign-streams` once gateways and workers are stopped.',
  );
}

async function commandStreamExists(jsm: JetStreamManager): Promise<boolean> {
  try {
    await jsm.streams.info(CMD_STREAM);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** How far the NATS and database clocks may disagree before a rewritten sequence is believed. */
const CLOCK_SKEW_MS = 5000;

async function latestCheckpoint(db: Db): Promise<{ seq: number; atMs: number }> {
  const { rows } = (await db.execute(
    sql`select seq::text as seq, (extract(epoch from updated_at) * 1000)::bigint::text as at_ms
        from partition_checkpoints order by seq desc limit 1`,
  )) as unknown as { rows: Array<{ seq: string; at_ms: string }> };
  return { seq: Number(rows[0]?.seq ?? 0), atMs: Number(rows[0]?.at_ms ?? 0) };
}

/**
 * Undefined when the CMD stream is the one the checkpoints count in and holds every sequence they
 * reached, as they reached it; otherwise why not. Records the stream's identity (its creation
 * time) on first use. Throws when the stream has no leader: nothing can be judged then.
 */
export async function commandStreamProblem(
  jsm: JetStreamManager,
  db: Db,
): Promise<string | undefined> {
  // The checkpoint first: it never passes the stream's last sequence, so read in this order a
  // healthy stream can only look ahead of it, however fast the workers consume in between.
  const checkpoint = await latestCheckpoint(db);
  const info = await jsm.streams.info(CMD_STREAM);
  // Without a leader a replica answers with its own, possibly lagging, state.
  if (info.cluster !== undefined && !info.cluster.leader) {
    throw new Error(`the ${CMD_STREAM} stream has no leader`);
  }
  const recorded = await recordOnce(db, CMD_CREATED_SETTING, info.created);
  if (recorded !== info.created) {
    return (
      `the ${CMD_STREAM} stream was recreated (created ${info.created}; the checkpoints count in ` +
      `the stream created ${recorded})`
    );
  }
  if (checkpoint.seq > info.state.last_seq) {
    return (
      `the ${CMD_STREAM} stream lost its tail: its last sequence is ${info.state.last_seq}, ` +
      `below the checkpoint ${checkpoint.seq}`
    );
  }
  return rewrittenSequence(jsm, checkpoint, info.state.first_seq);
}

/**
 * A tail lost under load is refilled by new publishes within moments, reusing its sequences: the
 * message now at the checkpoint's sequence was then stored after the checkpoint had passed it.
 */
async function rewrittenSequence(
  jsm: JetStreamManager,
  checkpoint: { seq: number; atMs: number },
  firstSeq: number,
): Promise<string | undefined> {
  if (checkpoint.seq === 0 || checkpoint.seq < firstSeq) return undefined;
  const stored = await jsm.streams
    .getMessage(CMD_STREAM, { seq: checkpoint.seq })
    .catch(() => null);
  if (!stored || stored.time.getTime() <= checkpoint.atMs + CLOCK_SKEW_MS) return undefined;
  return (
    `the ${CMD_STREAM} stream lost its tail and reused its sequences: sequence ` +
    `${checkpoint.seq} was stored at ${stored.time.toISOString()}, after the checkpoint passed ` +
    `it at ${new Date(checkpoint.atMs).toISOString()}`
  );
}

/** Throws DeploymentMismatchError when commandStreamProblem finds one. */
export async function checkCommandStream(jsm: JetStreamManager, db: Db): Promise<void> {
  const problem = await commandStreamProblem(jsm, db);
  if (problem === undefined) return;
  throw new DeploymentMismatchError(
    `${problem}. Consuming it would skip new commands. See RELIABILITY.md ("CMD stream lost"); ` +
      'run `mkondo realign-streams` once gateways and workers are stopped.',
  );
}

export type StreamWatch = { problem(): string | undefined; stop(): void };

/**
 * Re-checks the CMD stream every `intervalMs` while the process runs. A problem seen on
 * `confirmations` checks in a row (a new stream leader may briefly answer before it has applied
 * everything it holds) is kept (a process never resumes on its own) and reported once.
 */
export function watchCommandStream(input: {
  readonly jsm: JetStreamManager;
  readonly db: Db;
  readonly intervalMs: number;
  readonly confirmations?: number;
  readonly onProblem: (problem: string) => void;
  readonly onCheckFailed: (error: unknown) => void;
}): StreamWatch {
  let found: string | undefined;
  let seen = 0;
  let checking = false;
  const timer = setInterval(() => {
    if (found !== undefined || checking) return;
    checking = true;
    commandStreamProblem(input.jsm, input.db)
      .then((problem) => {
        seen = problem === undefined ? 0 : seen + 1;
        if (problem === undefined || seen < (input.confirmations ?? 3)) return;
        found = problem;
        input.onProblem(problem);
      }, input.onCheckFailed)
      .finally(() => {
        checking = false;
      });
  }, input.intervalMs);
  return { problem: () => found, stop: () => clearInterval(timer) };
}

/**
 * Moves the lease bucket's sequence past the highest fencing token in the database, when the
 * bucket lost its history: revisions handed out afterwards fence every earlier owner again.
 * Returns the sequences moved from and to, or undefined when nothing had to move.
 */
export async function alignLeaseRevisions(
  jsm: JetStreamManager,
  db: Db,
): Promise<{ readonly fromSeq: number; readonly toSeq: number } | undefined> {
  const fence = await maxOfCheckpoints(db, 'fence');
  const stream = `KV_${leasesBucket()}`;
  const info = await jsm.streams.info(stream);
  if (info.state.last_seq >= fence) return undefined;
  // Purging "up to" a sequence past the end empties the bucket and restarts it at that sequence;
  // the live leases it drops were all below the fences, hence worthless.
  await jsm.streams.purge(stream, { seq: fence + 1 });
  return { fromSeq: info.state.last_seq, toSeq: fence + 1 };
}

/**
 * The operator's way out of a lost or recreated CMD stream, with gateways and workers stopped:
 * moves the stream's sequence past every checkpoint (so no partition skips a new command and no
 * new Nats-Msg-Id repeats an old one), then records the stream as the one the checkpoints count
 * in. Messages still in the stream at or below the highest checkpoint are discarded; returns what
 * was done, for the operator's record.
 */
export async function realignCommandStream(jsm: JetStreamManager, db: Db): Promise<string> {
  const checkpoint = await maxOfCheckpoints(db, 'seq');
  const before = await jsm.streams.info(CMD_STREAM);
  const last = before.state.last_seq;
  let done = `${CMD_STREAM} already holds sequence ${last} >= checkpoint ${checkpoint}`;
  if (before.state.last_seq < checkpoint) {
    await jsm.streams.purge(CMD_STREAM, { seq: checkpoint + 1 });
    done =
      `${CMD_STREAM} moved from last sequence ${before.state.last_seq} to ${checkpoint}; ` +
      `${before.state.messages} message(s) discarded (sequences ${before.state.first_seq}-` +
      `${before.state.last_seq})`;
  }
  await db
    .insert(switchSettings)
    .values({ name: CMD_CREATED_SETTING, value: before.created })
    .onConflictDoUpdate({
      target: switchSettings.name,
      set: { value: before.created, updatedAt: sql`now()` },
    });
  return done;
}
