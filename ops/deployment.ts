// What a process checks and sets up on NATS before it serves (runtime/cluster-guard): the
// partition count, the CMD stream the checkpoints count in, the streams with their limits, the KV
// buckets with the deployment's replicas and TTL, and lease revisions above the database fences.
// A mismatch stops the start with a message saying what to do; a CMD stream lost later is found
// by a watch that stops the worker role and turns the process unready.

import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ACTORS } from '../actors/index.ts';
import {
  alignLeaseRevisions,
  checkCommandStream,
  checkPartitionCount,
  refuseMissingCommandStream,
  type StreamWatch,
  watchCommandStream,
} from '../runtime/cluster-guard.ts';
import type { Db } from '../runtime/db.ts';
import { ensureKvBucket } from '../runtime/kv-buckets.ts';
import { KvLeaseStore } from '../runtime/lease-store.ts';
import { directoryBucket } from '../runtime/outbox.ts';
import { ensureStreams } from '../runtime/streams.ts';
import type { Config } from './config.ts';
import type { logger } from './logger.ts';

type Log = Pick<typeof logger, 'info' | 'warn' | 'error'>;

export function streamOptions(config: Config) {
  return {
    maxAgeMs: config.STREAM_MAX_AGE_DAYS * 86_400_000,
    maxBytes: config.STREAM_MAX_BYTES,
    maxMessageBytes: config.STREAM_MAX_MSG_BYTES,
    replicas: config.STREAM_REPLICAS,
  };
}

/** Checks the deployment and creates or reconciles streams and buckets; throws on a mismatch. */
export async function prepareDeployment(input: {
  readonly config: Config;
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly db: Db;
  readonly worker: boolean;
  readonly log: Log;
}): Promise<void> {
  const { config, nc, jsm, db, log } = input;
  await checkPartitionCount(db, config.PARTITIONS);
  await refuseMissingCommandStream(jsm, db);
  await ensureStreams(jsm, streamOptions(config));
  await checkCommandStream(jsm, db);
  if (!input.worker) return;
  const onChange = (change: object) => log.warn(change, 'KV bucket settings changed');
  const replicas = config.STREAM_REPLICAS;
  await KvLeaseStore.open(nc, config.LEASE_TTL_MS, { replicas, onChange });
  for (const actor of ACTORS) {
    if (actor.directoryEntry) {
      await ensureKvBucket(nc, directoryBucket(actor.type), { replicas }, onChange);
    }
  }
  const moved = await alignLeaseRevisions(jsm, db);
  if (moved) {
    log.warn(
      moved,
      'the lease bucket lost its history (revisions below the database fences): its sequence ' +
        'was moved past the highest fence so lease revisions fence earlier owners again',
    );
  }
}

/** Watches the CMD stream; on a problem, logs it once and calls `stopConsuming`. */
export function watchDeployment(input: {
  readonly config: Config;
  readonly jsm: JetStreamManager;
  readonly db: Db;
  readonly log: Log;
  readonly stopConsuming: () => Promise<void>;
}): StreamWatch {
  const { log } = input;
  return watchCommandStream({
    jsm: input.jsm,
    db: input.db,
    intervalMs: input.config.STREAM_WATCH_INTERVAL_MS,
    onProblem(problem) {
      log.error(
        { problem },
        'CMD stream no longer matches the checkpoints: consuming stopped, process unready. ' +
          'See RELIABILITY.md ("CMD stream lost") and run `mkondo realign-streams`',
      );
      input.stopConsuming().catch((error: unknown) => log.error({ err: error }, 'stop failed'));
    },
    onCheckFailed: (error) => log.warn({ err: error }, 'CMD stream check failed'),
  });
}

/** `mkondo realign-streams`: the operator's recovery from a lost or recreated CMD stream. */
export async function realignStreams(config: Config, log: Log): Promise<void> {
  const { connect } = await import('@nats-io/transport-node');
  const { jetstreamManager } = await import('@nats-io/jetstream');
  const { openDatabase } = await import('../runtime/db.ts');
  const { configureNamespace } = await import('../runtime/names.ts');
  const { realignCommandStream } = await import('../runtime/cluster-guard.ts');
  if (config.DATABASE_URL === undefined) throw new Error('realign-streams needs DATABASE_URL');
  configureNamespace(config.NATS_NAMESPACE);
  const nc = await connect({ servers: config.NATS_URL.split(',') });
  const opened = await openDatabase(config.DATABASE_URL, '');
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm, streamOptions(config));
    log.warn({ done: await realignCommandStream(jsm, opened.db) }, 'CMD stream realigned');
  } finally {
    await opened.close();
    await nc.close();
  }
}
