// The actor loop against a real nats-server and PostgreSQL: exactly-once, in-order application of
// concurrent commands, request/reply after persistence, the send and callback paths, poison
// messages and invariant failures.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DbStateReader, startWorker, type Worker } from '../../runtime/index.ts';
import { commandSubject } from '../../runtime/partition.ts';
import type { CounterState, TallyState } from '../fixtures/counter-actor.ts';
import { TEST_ACTORS, TEST_HUB } from '../fixtures/counter-actor.ts';
import {
  LEASE_TTL_MS,
  PARTITIONS,
  publishAdds,
  readStream,
  type Services,
  startServices,
  waitFor,
} from '../fixtures/runtime-harness.ts';

const KEYS = 50;
const PER_KEY = 200;

describe('the actor loop', () => {
  let services: Services;
  let worker: Worker;
  let reader: DbStateReader;

  before(async () => {
    services = await startServices();
    reader = new DbStateReader(services.opened.db);
    worker = await startWorker({
      nc: services.nc,
      db: services.opened.db,
      actors: TEST_ACTORS,
      hub: TEST_HUB,
      partitions: PARTITIONS,
      leaseTtlMs: LEASE_TTL_MS,
      workerId: 'loop-test',
    });
  });

  after(async () => {
    await worker.stop();
    await services.close();
  });

  it('applies 10,000 concurrent commands to 50 keys exactly once, in per-key order', async () => {
    const startedMs = Date.now();
    await publishAdds(services.bus, KEYS, PER_KEY);
    await waitFor(
      'the tally to reach 10,000',
      async () => {
        const tally = await reader.get<TallyState>({ type: 'tally', key: 'all' });
        return tally?.count === KEYS * PER_KEY;
      },
      60_000,
    );
    const elapsedMs = Date.now() - startedMs;
    const expected = Array.from({ length: PER_KEY }, (_, i) => i);
    const counters = await reader.list<CounterState>('counter');
    assert.equal(counters.length, KEYS);
    for (const { key, state } of counters) assert.deepEqual(state.seen, expected, key);
    await waitFor('the callbacks to be published', async () => {
      return (await services.jsm.streams.info('OUT')).state.messages >= KEYS * PER_KEY;
    });
    const out = await readStream(services.js, services.jsm, 'OUT');
    assert.equal(out.length, KEYS * PER_KEY);
    assert.deepEqual(worker.status().ownedPartitions, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(worker.status().ready, true);
    console.log(`10,000 commands + 10,000 sends applied in ${elapsedMs} ms`);
  });

  it('answers a request after the state is persisted', async () => {
    const ref = { type: 'counter', key: 'req 1/x' };
    const reply = await services.bus.request<{ count: number }>(ref, { kind: 'add', id: 7 });
    assert.deepEqual(reply, { count: 1 });
    assert.deepEqual(await reader.get<CounterState>(ref), { seen: [7], expired: 0 });
  });

  it('records undecodable and unknown-type messages as poison and goes on', async () => {
    await services.js.publish(commandSubject('counter', 'p1', PARTITIONS), 'not json');
    await services.js.publish(
      commandSubject('counter', 'p1', PARTITIONS),
      JSON.stringify({ type: 'ghost', key: 'p1', nowMs: 1, command: {} }),
    );
    const ref = { type: 'counter', key: 'p1' };
    assert.deepEqual(await services.bus.request(ref, { kind: 'add', id: 1 }), { count: 1 });
    const rows = await services.opened.db.execute(
      'select reason from poison_messages order by seq' as never,
    );
    assert.deepEqual(
      (rows as unknown as { rows: Array<{ reason: string }> }).rows.map((r) => r.reason),
      ['undecodable', "unknown actor type 'ghost'"],
    );
  });

  it('parks a command whose decide throws and applies the next one', async () => {
    const ref = { type: 'counter', key: 'boom' };
    await services.bus.send(ref, { kind: 'boom' });
    assert.deepEqual(await services.bus.request(ref, { kind: 'add', id: 3 }), { count: 1 });
    const rows = await services.opened.db.execute(
      "select reason, actor, status from poison_messages where reason like 'counter threw%'" as never,
    );
    assert.deepEqual((rows as unknown as { rows: Array<{ reason: string }> }).rows, [
      { reason: 'counter threw: InvariantError: boom', actor: 'counter/boom', status: 'parked' },
    ]);
  });
});
