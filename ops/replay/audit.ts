// `mkondo replay`, the whole audit: read the database's view in one consistent transaction,
// replay the CMD stream up to each partition's checkpoint with the runtime's pure step
// (engine.ts), then compare (1) every actor snapshot with what the replay rebuilt and (2) every
// output the replay produced (events, commands to other actors, callbacks) with the copy the
// streams hold under the same Nats-Msg-Id, or the database's outbox while it is unpublished.
// Reading is by ordered consumers only (streams.ts): a live switch goes on undisturbed.
//
// Outputs are matched by their deterministic Nats-Msg-Id `<source seq>-<index>`. Directory puts
// (`$KV.…` rows) are left out: whether a batch re-publishes an unchanged directory entry depends
// on the worker's cache, not on the actor, and the directory is derived from the snapshot anyway.

import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { isOutboxMsgId, sourceSeqOf } from '../../runtime/batch.ts';
import type { Db } from '../../runtime/db.ts';
import { CMD_STREAM, EVT_STREAM, namespaced, OUT_STREAM } from '../../runtime/names.ts';
import type { Delivery } from '../../runtime/ports.ts';
import type { OutboxRow } from '../../runtime/snapshot-store.ts';
import { outputDigest } from './canonical.ts';
import { type Difference, snapshotDifferences } from './compare.ts';
import { type DbView, readDbView } from './database.ts';
import { ReplayEngine, type ReplaySettings } from './engine.ts';
import { forEachMessage, type StreamRead, streamExtent } from './streams.ts';

export type { Difference } from './compare.ts';

export type ReplayReport = {
  readonly partitions: number;
  /** CMD messages applied (at or below their partition's checkpoint). */
  readonly commands: number;
  /** CMD messages above their partition's checkpoint: not yet in the database, not compared. */
  readonly beyondCheckpoint: number;
  /** Actors compared (snapshots in the database or rebuilt by the replay). */
  readonly actors: number;
  /** Outputs the replay produced and found, identical, in a stream or the outbox. */
  readonly outputsMatched: number;
  readonly streams: Readonly<Record<'CMD' | 'EVT' | 'OUT', StreamRead>>;
  readonly tookMs: number;
  readonly differences: readonly Difference[];
  /** Why the replay could not run (the CMD stream no longer starts at 1), when it could not. */
  readonly impossible?: string;
};

export type ReplayOptions = {
  readonly nc: NatsConnection;
  readonly db: Db;
  /** The workers' settings; `partitions` yields to the count the database recorded. */
  readonly settings: ReplaySettings;
  /**
   * A base to start from instead of sequence 1: a database restored from a backup (snapshots,
   * checkpoints and applied commands of one moment). Only the commands after each of its
   * checkpoints are replayed, so the CMD stream need only reach back to the oldest of them.
   */
  readonly base?: Db;
};

type Expected = { readonly digest: string; seen: boolean };

const STREAM_KINDS = [
  ['cmd.', 'CMD'],
  ['evt.', 'EVT'],
  ['out.', 'OUT'],
] as const;

export async function replayAudit(options: ReplayOptions): Promise<ReplayReport> {
  const startedMs = Date.now();
  const view = await readDbView(options.db);
  const base = options.base === undefined ? undefined : await readDbView(options.base, true);
  const partitions = view.partitions ?? options.settings.partitions;
  const fromSeq = base === undefined ? 1 : Math.min(...baseCheckpoints(base, partitions)) + 1;
  const audit = new Audit({ ...options.settings, partitions }, view, base);
  const jsm = await jetstreamManager(options.nc);
  const held = await streamExtent(jsm, CMD_STREAM, undefined);
  const empty = { count: 0, firstSeq: 0, lastSeq: 0 };
  if (held.total > 0 && held.firstSeq > fromSeq) {
    const impossible =
      `the CMD stream starts at sequence ${held.firstSeq}, the replay needs it from ${fromSeq}: ` +
      'the messages between are gone (STREAM_MAX_AGE_DAYS, STREAM_MAX_BYTES); replay from a ' +
      'newer base (--base)';
    const nothing = { partitions, actors: 0, outputsMatched: 0, commands: 0, beyondCheckpoint: 0 };
    const streams = { CMD: { ...empty, ...held, count: 0 }, EVT: empty, OUT: empty };
    return { ...nothing, streams, tookMs: Date.now() - startedMs, differences: [], impossible };
  }
  const { nc } = options;
  const cmd = await forEachMessage(nc, CMD_STREAM, undefined, (m) => audit.command(m), fromSeq);
  const evt = await forEachMessage(nc, EVT_STREAM, undefined, (m) => audit.output('EVT', m));
  const out = await forEachMessage(nc, OUT_STREAM, undefined, (m) => audit.output('OUT', m));
  const streams = { CMD: cmd, EVT: evt, OUT: out };
  const differences = audit.finish(streams, fromSeq);
  const counts = audit.counts();
  return { partitions, ...counts, streams, tookMs: Date.now() - startedMs, differences };
}

/** Every partition's checkpoint in the base (0 for a partition it has none of). */
function baseCheckpoints(base: DbView, partitions: number): number[] {
  return Array.from({ length: partitions }, (_, p) => base.checkpoints.get(p) ?? 0);
}

class Audit {
  private readonly engine: ReplayEngine;
  private readonly expected = new Map<string, Expected>();
  private readonly dbOutbox = new Map<string, { digest: string; sourceSeq: number }>();
  private readonly parkedInDb: ReadonlySet<number>;
  private readonly beyond = new Set<number>();
  /** Sequences a base already holds applied: their outputs were not replayed. */
  private readonly inBase = new Set<number>();
  private readonly unexpected: Array<{ stream: string; msgId: string; seq: number }> = [];
  private readonly differences: Difference[] = [];
  private commands = 0;
  private outputsMatched = 0;

  constructor(
    settings: ReplaySettings,
    private readonly view: DbView,
    base: DbView | undefined,
  ) {
    const parked = view.poison.filter((p) => p.status === 'parked' || p.status === 'dropped');
    this.parkedInDb = new Set(parked.map((p) => p.seq));
    this.engine = new ReplayEngine(settings, {
      checkpoints: view.checkpoints,
      parkedSeqs: this.parkedInDb,
    });
    if (base !== undefined) this.engine.seed(base);
    for (const row of view.outbox) {
      const stream = streamOf(row.subject);
      if (stream === undefined) continue;
      const digest = outputDigest(row.subject, row.payload, row.traceparent);
      this.dbOutbox.set(`${stream}|${row.msgId}`, { digest, sourceSeq: row.sourceSeq });
    }
  }

  command(message: Delivery): void {
    if (isOutboxMsgId(message.msgId)) this.output('CMD', message);
    const applied = this.engine.apply(message);
    if (applied.kind === 'beyond-checkpoint') {
      this.beyond.add(message.seq);
      return;
    }
    if (applied.kind === 'not-a-partition-subject') return;
    if (applied.kind === 'in-base') {
      this.inBase.add(message.seq);
      return;
    }
    this.commands++;
    if (applied.kind === 'halted') {
      this.differ(
        'replay',
        `partition ${applied.partition}`,
        `halts at ${message.seq}: ${applied.reason}`,
      );
      return;
    }
    for (const row of applied.outbox) this.expect(row);
    for (const row of applied.parked) {
      if (this.parkedInDb.has(row.seq)) continue;
      this.differ(
        'replay',
        `sequence ${row.seq}`,
        `the replay parks it (${row.reason}); the database has no poison record of it`,
      );
    }
  }

  output(stream: 'CMD' | 'EVT' | 'OUT', message: Delivery): void {
    if (!isOutboxMsgId(message.msgId)) return;
    const digest = outputDigest(
      message.subject,
      new TextDecoder().decode(message.data),
      message.traceparent,
    );
    const expected = this.expected.get(`${stream}|${message.msgId}`);
    if (expected === undefined) {
      this.unexpected.push({ stream, msgId: message.msgId, seq: message.seq });
      return;
    }
    if (!expected.seen) this.outputsMatched++;
    expected.seen = true;
    if (expected.digest !== digest) {
      this.differ(
        'stream',
        `${stream} ${message.seq}`,
        `output ${message.msgId} differs from the replay's`,
      );
    }
  }

  counts() {
    const actors = new Set([
      ...this.engine.persisted().map((a) => `${a.type}/${a.key}`),
      ...this.view.snapshots.map((s) => `${s.type}/${s.key}`),
    ]).size;
    const { commands, outputsMatched } = this;
    return { actors, commands, outputsMatched, beyondCheckpoint: this.beyond.size };
  }

  finish(streams: Readonly<Record<'CMD' | 'EVT' | 'OUT', StreamRead>>, fromSeq: number) {
    const replayed = (source: number) =>
      source >= fromSeq && !this.beyond.has(source) && !this.inBase.has(source);
    for (const { stream, msgId, seq } of this.unexpected) {
      const source = sourceSeqOf(msgId);
      if (!replayed(source)) continue;
      this.differ(
        'stream',
        `${stream} ${seq}`,
        `output ${msgId} was published; the replay of ${source} produced no such output`,
      );
    }
    const complete = (stream: 'CMD' | 'EVT' | 'OUT') => streams[stream].firstSeq <= 1;
    for (const [key, expected] of this.expected) {
      const inDb = this.dbOutbox.get(key);
      this.dbOutbox.delete(key);
      if (inDb !== undefined) {
        if (inDb.digest !== expected.digest)
          this.differ('outbox', key, "the outbox row differs from the replay's");
        else if (!expected.seen) this.outputsMatched++;
        continue;
      }
      const stream = key.slice(0, 3) as 'CMD' | 'EVT' | 'OUT';
      if (!expected.seen && complete(stream)) {
        this.differ('outbox', key, 'the replay produced this output; no stream or outbox holds it');
      }
    }
    for (const [key, row] of this.dbOutbox) {
      if (!replayed(row.sourceSeq)) continue;
      this.differ('outbox', key, 'the outbox holds this row; the replay produced no such output');
    }
    this.differences.push(...snapshotDifferences(this.engine.persisted(), this.view.snapshots));
    return this.differences;
  }

  private expect(row: OutboxRow): void {
    const stream = streamOf(row.subject);
    if (stream === undefined) return;
    const traceparent = row.headers?.['traceparent'];
    this.expected.set(`${stream}|${row.msgId}`, {
      digest: outputDigest(row.subject, row.payload, traceparent),
      seen: false,
    });
  }

  private differ(kind: string, subject: string, detail: string): void {
    this.differences.push({ kind, subject, detail });
  }
}

function streamOf(subject: string): 'CMD' | 'EVT' | 'OUT' | undefined {
  for (const [prefix, stream] of STREAM_KINDS) {
    if (subject.startsWith(namespaced(prefix))) return stream;
  }
  return undefined;
}
