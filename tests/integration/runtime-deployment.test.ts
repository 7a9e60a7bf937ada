// The deployment guards of issue 9 (findings 5, 6, 9) and the bounded streams of issue 10 item 5,
// against a real nats-server and PostgreSQL: a full stream refuses publishes instead of dropping
// accepted commands; a changed lease TTL reaches the existing bucket; lease revisions stay above
// the database fences after the bucket loses its history; a recreated or truncated CMD stream is
// refused; the partition count is recorded and a mismatch refused; a namespace separates two
// switches on one NATS.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jetstream } from '@nats-io/jetstream';
import { sql } from 'drizzle-orm';
import {
  alignLeaseRevisions,
  checkCommandStream,
  checkPartitionCount,
  DeploymentMismatchError,
  realignCommandStream,
  refuseMissingCommandStream,
  watchCommandStream,
} from '../../runtime/cluster-guard.ts';
import { KvLeaseStore, leasesBucket } from '../../runtime/lease-store.ts';
import { configureNamespace } from '../../runtime/names.ts';
import { commandSubject } from '../../runtime/partition.ts';
import { claimCheckpoint } from '../../runtime/snapshot-store.ts';
import {
  CMD_STREAM,
  ensureStreams,
  isMessageTooLarge,
  isStreamFull,
} from '../../runtime/streams.ts';
import { type Services, startServices } from '../fixtures/runtime-harness.ts';

let services: Services;
before(async () => {
  services = await startServices();
});
after(async () => {
  configureNamespace('');
  await services.close();
});

const mismatch = (pattern: RegExp) => (error: unknown) =>
  error instanceof DeploymentMismatchError && pattern.test(error.message);

async function setCheckpoint(partition: number, seq: number, fence: number): Promise<void> {
  await services.opened.db.execute(
    sql`insert into partition_checkpoints (partition, seq, fence) values (${partition}, ${seq},
        ${fence}) on conflict (partition) do update set seq = excluded.seq, fence = excluded.fence`,
  );
}

describe('bounded streams', () => {
  it('refuses a publish to a full stream and keeps every message it accepted', async () => {
    const { jsm } = services;
    const js = jetstream(services.nc);
    await ensureStreams(jsm, { maxBytes: 4096, maxMessageBytes: 1024 });
    let accepted = 0;
    let refusal: unknown;
    for (let i = 0; i < 100 && refusal === undefined; i++) {
      await js.publish('cmd.x.0.k', new Uint8Array(200)).then(
        () => accepted++,
        (error: unknown) => {
          refusal = error;
        },
      );
    }
    assert.ok(isStreamFull(refusal), `refused as full: ${String(refusal)}`);
    assert.ok(!isMessageTooLarge(refusal));
    const info = await jsm.streams.info(CMD_STREAM);
    assert.equal(info.state.first_seq, 1, 'nothing accepted was discarded');
    assert.equal(info.state.messages, accepted);
    const tooLarge = await js.publish('cmd.x.0.k', new Uint8Array(2048)).catch((e: unknown) => e);
    assert.ok(isMessageTooLarge(tooLarge), `refused as too large: ${String(tooLarge)}`);
    assert.ok(!isStreamFull(new Error('timeout')));
    await jsm.streams.purge(CMD_STREAM);
    await ensureStreams(jsm, {});
  });
});

describe('lease buckets', () => {
  it('applies a changed lease TTL to the existing buckets', async () => {
    const changes: object[] = [];
    await KvLeaseStore.open(services.nc, 5000);
    await KvLeaseStore.open(services.nc, 2000, { onChange: (c) => changes.push(c) });
    const info = await services.jsm.streams.info(`KV_${leasesBucket()}`);
    assert.equal(info.config.max_age, 2000 * 1_000_000);
    assert.deepEqual(changes, [
      { bucket: 'leases', ttlMs: { from: 5000, to: 2000 }, replicas: undefined },
      { bucket: 'workers', ttlMs: { from: 5000, to: 2000 }, replicas: undefined },
    ]);
  });

  it('hands out revisions above the DB fences after the bucket lost its history', async () => {
    const { jsm, opened } = services;
    await setCheckpoint(3, 0, 500);
    await jsm.streams.delete(`KV_${leasesBucket()}`);
    const store = await KvLeaseStore.open(services.nc, 2000);
    const before = await store.create('p3', 'w1');
    assert.ok(before < 500, `a reset bucket starts low (${before})`);
    assert.equal(await claimCheckpoint(opened.db, 3, before), undefined, 'fenced out');
    assert.deepEqual(await alignLeaseRevisions(jsm, opened.db), { fromSeq: before, toSeq: 501 });
    const revision = await store.create('p3', 'w2');
    assert.equal(revision, 501);
    assert.equal(await claimCheckpoint(opened.db, 3, revision), 0);
    assert.equal(await alignLeaseRevisions(jsm, opened.db), undefined, 'nothing more to move');
  });
});

describe('CMD stream identity', () => {
  it('refuses a recreated stream, a missing one and one that lost its tail', async () => {
    const { jsm, opened } = services;
    const js = jetstream(services.nc);
    await checkCommandStream(jsm, opened.db);
    for (let i = 0; i < 3; i++) await js.publish('cmd.x.1.k', 'a');
    await setCheckpoint(1, 3, 600);
    await checkCommandStream(jsm, opened.db);
    await jsm.streams.delete(CMD_STREAM);
    await assert.rejects(refuseMissingCommandStream(jsm, opened.db), mismatch(/is missing/));
    await ensureStreams(jsm, {});
    await assert.rejects(checkCommandStream(jsm, opened.db), mismatch(/was recreated/));
    assert.match(await realignCommandStream(jsm, opened.db), /moved from last sequence 0 to 3/);
    await checkCommandStream(jsm, opened.db);
    assert.equal((await js.publish('cmd.x.1.k', 'b')).seq, 4, 'no partition skips it');
    await setCheckpoint(1, 4, 600);
    await opened.db.execute(
      sql`update partition_checkpoints set updated_at = now() - interval '1 hour'`,
    );
    await assert.rejects(checkCommandStream(jsm, opened.db), mismatch(/reused its sequences/));
    await setCheckpoint(2, 9, 601);
    await assert.rejects(checkCommandStream(jsm, opened.db), mismatch(/lost its tail.* 4, .* 9/));
  });

  it('lets a process start when another created and recorded the stream between its reads', async () => {
    const { jsm, opened } = services;
    await ensureStreams(jsm, {}); // the database already counts this stream in (checkpoints above)
    // This process asked while the other had not created the stream yet; by the time it reads
    // the database, the other has created and recorded it.
    let asked = 0;
    const racing = {
      ...jsm,
      streams: {
        ...jsm.streams,
        info: (name: string) => {
          if (++asked === 1) return Promise.reject(new Error('stream not found'));
          return jsm.streams.info(name);
        },
      },
    } as typeof jsm;
    await refuseMissingCommandStream(racing, opened.db);
    assert.equal(asked, 2, 'asked the stream again before refusing');
  });
});

describe('CMD stream watch', () => {
  it('reports once that a running process lost its CMD stream', async () => {
    const { jsm, opened } = services;
    await realignCommandStream(jsm, opened.db);
    const problems: string[] = [];
    const watch = watchCommandStream({
      jsm,
      db: opened.db,
      intervalMs: 50,
      onProblem: (problem) => problems.push(problem),
      onCheckFailed: () => {},
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(problems, [], 'a healthy stream is no problem');
      await jsm.streams.delete(CMD_STREAM);
      await ensureStreams(jsm, {});
      for (let i = 0; i < 200 && problems.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(problems.length, 1);
      assert.match(problems[0] ?? '', /^the CMD stream was recreated/);
      assert.equal(watch.problem(), problems[0]);
    } finally {
      watch.stop();
    }
  });
});

describe('deployment settings', () => {
  it('records the partition count and refuses another', async () => {
    const { db } = services.opened;
    await checkPartitionCount(db, 16);
    await checkPartitionCount(db, 16);
    await assert.rejects(checkPartitionCount(db, 8), mismatch(/PARTITIONS=8 .* has 16/));
  });

  it('keeps two switches apart on one NATS with a namespace', async () => {
    configureNamespace('sw2');
    try {
      await ensureStreams(services.jsm, {});
      const info = await services.jsm.streams.info('sw2_CMD');
      assert.deepEqual(info.config.subjects, ['sw2.cmd.>']);
      assert.equal(
        commandSubject('transfer', 't1', 16).split('.').slice(0, 2).join('.'),
        'sw2.cmd',
      );
      await KvLeaseStore.open(services.nc, 2000);
      assert.equal((await services.jsm.streams.info('KV_sw2_leases')).config.max_age, 2e9);
      assert.equal((await services.jsm.streams.info('CMD')).config.subjects[0], 'cmd.>');
    } finally {
      configureNamespace('');
    }
  });
});
