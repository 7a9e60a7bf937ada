// Poison isolation against a real nats-server and PostgreSQL (issue 10): for each deterministic
// failure class a bad command is published between good ones of the same partition; the good
// ones are applied in order, the bad one is parked and its requester answered at once, and after
// a worker restart the partition still flows. A partition whose writes keep failing turns the
// worker unready, and ready again once it flows.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../ops/config.ts';
import { runPoisonCommand } from '../../ops/poison.ts';
import {
  CommandFailedError,
  DbStateReader,
  type PartitionPorts,
  PortError,
  startWorker,
  type Worker,
} from '../../runtime/index.ts';
import { commandSubject, partitionOf } from '../../runtime/partition.ts';
import { TEST_ACTORS, TEST_HUB } from '../fixtures/counter-actor.ts';
import {
  LEASE_TTL_MS,
  PARTITIONS,
  type Services,
  startServices,
  waitFor,
} from '../fixtures/runtime-harness.ts';

const GOOD = 'good';
const PARTITION = partitionOf('counter', GOOD, PARTITIONS);

/** A key of GOOD's partition that starts with `prefix`. */
function keyInPartition(prefix: string): string {
  for (let i = 0; ; i++) {
    if (partitionOf('counter', `${prefix}${i}`, PARTITIONS) === PARTITION) return `${prefix}${i}`;
  }
}

describe('a poison command between good ones', () => {
  let services: Services;
  let worker: Worker;
  let failWrites = false;
  const faulty = (ports: PartitionPorts): PartitionPorts => ({
    ...ports,
    store: {
      ...ports.store,
      writeBatch: async (write) => {
        if (failWrites) throw new PortError('transient', 'injected: connection lost');
        return ports.store.writeBatch(write);
      },
    },
  });
  const start = () =>
    startWorker({
      nc: services.nc,
      db: services.opened.db,
      actors: TEST_ACTORS,
      hub: TEST_HUB,
      partitions: PARTITIONS,
      leaseTtlMs: LEASE_TTL_MS,
      workerId: 'poison-test',
      stallAfterMs: 1000,
      wrapPorts: faulty,
    });

  before(async () => {
    services = await startServices();
    worker = await start();
  });

  after(async () => {
    await worker.stop();
    await services.close();
  });

  const ref = { type: 'counter', key: GOOD };
  let nextId = 0;
  const addGood = () => services.bus.request(ref, { kind: 'add', id: nextId++ });

  async function parkedRows(): Promise<Array<Record<string, unknown>>> {
    const result = await services.opened.db.execute(
      sql`select seq, actor, status, reason from poison_messages order by seq`,
    );
    return (result as unknown as { rows: Array<Record<string, unknown>> }).rows;
  }

  const badCases: Array<{ name: string; key: string; reason: RegExp }> = [
    { name: 'an actor that throws', key: keyInPartition('throws'), reason: /^counter threw/ },
    {
      name: 'a key the database refuses (NUL, class 22)',
      key: `${keyInPartition('nul')}\u0000`,
      reason: /^database refused it: .*0x00/,
    },
  ];

  for (const bad of badCases) {
    it(`parks ${bad.name} and applies the commands around it in order`, async () => {
      const before = nextId;
      const first = addGood();
      const command = bad.name.startsWith('an actor') ? { kind: 'boom' } : { kind: 'add', id: 1 };
      const refused = services.bus.request({ type: 'counter', key: bad.key }, command);
      const second = addGood();
      await assert.rejects(refused, CommandFailedError);
      await Promise.all([first, second]);
      const seen = (await new DbStateReader(services.opened.db).get<{ seen: number[] }>(ref))?.seen;
      assert.deepEqual(seen?.slice(-2), [before, before + 1]);
      const rows = (await parkedRows()).filter((r) => String(r['actor']).startsWith('counter/'));
      const row = rows.at(-1)!;
      assert.equal(row['status'], 'parked');
      assert.match(String(row['reason']), bad.reason);
    });
  }

  it('parks an undecodable command published straight into the partition', async () => {
    await services.js.publish(commandSubject('counter', GOOD, PARTITIONS), '{"type":');
    const before = nextId;
    await addGood();
    const rows = await parkedRows();
    assert.equal(rows.at(-1)?.['reason'], 'undecodable');
    const seen = (await new DbStateReader(services.opened.db).get<{ seen: number[] }>(ref))?.seen;
    assert.deepEqual(seen?.at(-1), before);
  });

  it('lets an operator retry a parked command (parked again) and drop one', async () => {
    const config = loadConfig({ NATS_URL: services.nats.url, DATABASE_URL: services.database.url });
    const thrown = (await parkedRows()).find((r) =>
      String(r['reason']).startsWith('counter threw'),
    );
    const seq = Number(thrown!['seq']);
    await runPoisonCommand(config, ['retry', String(seq)]);
    await addGood();
    const after = (await parkedRows()).filter((r) =>
      String(r['reason']).startsWith('counter threw'),
    );
    assert.equal(after.length, 1);
    assert.ok(Number(after[0]!['seq']) > seq, 're-parked under its new sequence');
    await runPoisonCommand(config, ['drop', String(after[0]!['seq'])]);
    const left = (await parkedRows()).filter((r) =>
      String(r['reason']).startsWith('counter threw'),
    );
    assert.deepEqual(left, []);
  });

  it('flows after a worker restart', async () => {
    await worker.stop();
    worker = await start();
    const before = nextId;
    await addGood();
    const seen = (await new DbStateReader(services.opened.db).get<{ seen: number[] }>(ref))?.seen;
    assert.deepEqual(seen?.at(-1), before);
  });

  it('turns unready while a partition stalls, and ready again when it flows', async () => {
    failWrites = true;
    const pendingAdd = addGood();
    let status = worker.status();
    await waitFor(
      'the worker to turn unready',
      () => {
        status = worker.status();
        return !status.ready && status.stuckPartitions.includes(PARTITION);
      },
      20_000,
    );
    assert.equal(status.reason, `partitions stalled: ${status.stuckPartitions}`);
    failWrites = false;
    await pendingAdd;
    await waitFor('the worker to be ready', () => worker.status().ready, 20_000);
    assert.deepEqual(worker.status().stuckPartitions, []);
  });
});
