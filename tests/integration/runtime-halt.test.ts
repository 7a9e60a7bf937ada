// Against a real nats-server and PostgreSQL: a write whose commit answer is lost (it committed,
// the driver saw an error) is followed by a re-read, and every command is applied exactly once,
// those skipped as already applied included (the tally's count stays exact);
// a broken invariant of a halting actor type stops its partition (worker unready, the command
// recorded as halted) until `mkondo poison drop` lets it go on past the command.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../ops/config.ts';
import { runPoisonCommand } from '../../ops/poison.ts';
import { writeBatch } from '../../runtime/batch-write.ts';
import {
  DbStateReader,
  type PartitionPorts,
  PortError,
  startWorker,
  type Worker,
} from '../../runtime/index.ts';
import { partitionOf } from '../../runtime/partition.ts';
import { claimCheckpoint, FencedError, StaleStateError } from '../../runtime/snapshot-store.ts';
import { TEST_ACTORS, TEST_HUB } from '../fixtures/counter-actor.ts';
import {
  LEASE_TTL_MS,
  PARTITIONS,
  type Services,
  startServices,
  tallyCount,
  waitFor,
} from '../fixtures/runtime-harness.ts';

describe('lost commit answers and halts', () => {
  let services: Services;
  let worker: Worker;
  let loseAnswerOfWrite = -1;
  let writes = 0;
  const losingAnswers = (ports: PartitionPorts): PartitionPorts => ({
    ...ports,
    store: {
      ...ports.store,
      writeBatch: async (write) => {
        await ports.store.writeBatch(write);
        // The tally applies commands published from the counters' outboxes (applied-command
        // records): a replay over a stale cache would skip them and write a lower count.
        if (!write.snapshots.some((s) => s.type === 'tally')) return;
        if (++writes === loseAnswerOfWrite) throw new PortError('ambiguous', 'injected: lost');
      },
    },
  });

  before(async () => {
    services = await startServices();
    worker = await startWorker({
      nc: services.nc,
      db: services.opened.db,
      actors: TEST_ACTORS,
      hub: TEST_HUB,
      partitions: PARTITIONS,
      leaseTtlMs: LEASE_TTL_MS,
      workerId: 'halt-test',
      haltingTypes: ['counter'],
      stallAfterMs: 1000,
      batchSizeMax: 4,
      wrapPorts: losingAnswers,
    });
  });

  after(async () => {
    await worker.stop();
    await services.close();
  });

  const reader = () => new DbStateReader(services.opened.db);
  const seen = async (key: string) =>
    (await reader().get<{ seen: number[] }>({ type: 'counter', key }))?.seen;

  it('applies every command once when a committed write reported failure', async () => {
    // The next tally write loses its answer: a later one may not come when the tally takes
    // every add in one batch (a loaded machine).
    loseAnswerOfWrite = writes + 1;
    const ref = { type: 'counter', key: 'lost-answer' };
    for (let id = 0; id < 12; id++) await services.bus.send(ref, { kind: 'add', id });
    await waitFor('twelve adds', async () => (await seen(ref.key))?.length === 12);
    assert.ok(writes >= loseAnswerOfWrite, 'the lost answer was injected');
    await services.bus.send(ref, { kind: 'add', id: 12 });
    await waitFor('the thirteenth add', async () => (await seen(ref.key))?.length === 13);
    assert.deepEqual(
      await seen(ref.key),
      Array.from({ length: 13 }, (_, i) => i),
    );
    await waitFor('the tally', async () => (await tallyCount(services)) >= 13);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await tallyCount(services), 13);
  });

  it('refuses a batch statement whose checkpoint or snapshot version moved on', async () => {
    const db = services.opened.db;
    const partition = 100;
    assert.equal(await claimCheckpoint(db, partition, 1), 0);
    const snapshot = (baseVersion: number, version: number) => ({
      type: 'counter',
      key: 'versioned',
      baseVersion,
      version,
      stateJson: '{"seen":[],"expired":0}',
      timerAtMs: undefined,
    });
    const write = {
      partition,
      fence: 1,
      fromSeq: 0,
      lastSeq: 10,
      snapshots: [snapshot(0, 1)],
      outbox: [],
      poison: [],
      publishedThroughSeq: 0,
      applied: [],
    };
    await writeBatch(db, write);
    await assert.rejects(writeBatch(db, { ...write, lastSeq: 11 }), StaleStateError);
    const staleVersion = { ...write, fromSeq: 10, lastSeq: 12, snapshots: [snapshot(0, 1)] };
    await assert.rejects(writeBatch(db, staleVersion), StaleStateError);
    await assert.rejects(writeBatch(db, { ...staleVersion, fence: 0 }), FencedError);
    await writeBatch(db, { ...staleVersion, snapshots: [snapshot(1, 2)] });
    const rows = await db.execute(
      sql`select (select seq from partition_checkpoints where partition = ${partition}) as seq,
                 (select version from actor_snapshots where key = 'versioned') as version`,
    );
    assert.deepEqual((rows as unknown as { rows: unknown[] }).rows, [{ seq: '12', version: '2' }]);
  });

  it('halts on a broken invariant until an operator drops the command', async () => {
    const ref = { type: 'counter', key: 'halting' };
    const partition = partitionOf('counter', ref.key, PARTITIONS);
    await services.bus.send(ref, { kind: 'add', id: 0 });
    await services.bus.send(ref, { kind: 'boom' });
    await services.bus.send(ref, { kind: 'add', id: 2 });
    let status = worker.status();
    await waitFor('the halt', () => {
      status = worker.status();
      return status.haltedPartitions.length > 0;
    });
    const [halted] = status.haltedPartitions;
    assert.equal(halted?.partition, partition);
    assert.equal(halted?.reason, 'counter threw: InvariantError: boom');
    assert.equal(status.ready, false);
    assert.equal(status.reason, `partitions halted: ${partition} at seq ${halted?.seq}`);
    assert.deepEqual(await seen(ref.key), [0]);
    await waitFor('the halt recorded', async () => (await rowStatus(halted!.seq)) === 'halted');
    const config = loadConfig({ NATS_URL: services.nats.url, DATABASE_URL: services.database.url });
    await runPoisonCommand(config, ['drop', String(halted!.seq)]);
    await waitFor('the rest applied', async () => (await seen(ref.key))?.length === 2, 20_000);
    assert.deepEqual(await seen(ref.key), [0, 2]);
    assert.equal(await rowStatus(halted!.seq), 'dropped');
    await waitFor('ready again', () => worker.status().ready);
  });

  async function rowStatus(seq: number): Promise<unknown> {
    const result = await services.opened.db.execute(
      sql`select status from poison_messages where seq = ${seq}`,
    );
    return (result as unknown as { rows: Array<{ status: unknown }> }).rows[0]?.status;
  }
});
