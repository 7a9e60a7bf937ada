// The same runtime on the embedded PGlite database (DATABASE_URL unset): migrations, the loop,
// request/reply, timers, and directory entries reaching a KvDirectory through the outbox.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  DbStateReader,
  ensureStreams,
  KvDirectory,
  migrate,
  NatsCommandBus,
  type OpenedDatabase,
  openDatabase,
  startWorker,
  type Worker,
} from '../../runtime/index.ts';
import { type CounterState, TEST_ACTORS, TEST_HUB } from '../fixtures/counter-actor.ts';
import { keyName, PARTITIONS, publishAdds, waitFor } from '../fixtures/runtime-harness.ts';
import { type NatsServer, startNats } from '../helpers/services.ts';

describe('the runtime on PGlite', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let opened: OpenedDatabase;
  let worker: Worker;
  let bus: NatsCommandBus;
  let reader: DbStateReader;
  const dir = mkdtempSync(join(tmpdir(), 'mkondo-pglite-'));

  before(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await ensureStreams(await jetstreamManager(nc));
    opened = await openDatabase(undefined, dir);
    assert.equal(opened.kind, 'pglite');
    await migrate(opened);
    worker = await startWorker({
      nc,
      db: opened.db,
      actors: TEST_ACTORS,
      hub: TEST_HUB,
      partitions: PARTITIONS,
      leaseTtlMs: 1500,
    });
    bus = new NatsCommandBus(nc, { partitions: PARTITIONS });
    reader = new DbStateReader(opened.db);
  });

  after(async () => {
    await worker.stop();
    await nc.close();
    await opened.close();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies commands exactly once and in order', async () => {
    await publishAdds(bus, 20, 10);
    await waitFor('the tally', async () => {
      return (await reader.get<{ count: number }>({ type: 'tally', key: 'all' }))?.count === 200;
    });
    const counters = await reader.list<CounterState>('counter');
    assert.equal(counters.length, 20);
    const ids = Array.from({ length: 10 }, (_, i) => i);
    for (let k = 0; k < 20; k++) {
      assert.deepEqual(await reader.get({ type: 'counter', key: keyName(k) }), {
        seen: ids,
        expired: 0,
      });
    }
  });

  it('fires a due timer and publishes the directory entry it produces', async () => {
    const directory = await KvDirectory.open(nc, ['counter']);
    try {
      const ref = { type: 'counter', key: 'dir key/1' };
      const reply = await bus.request(ref, { kind: 'arm', atMs: Date.now() + 200 });
      assert.deepEqual(reply, { count: 0 });
      await waitFor(
        'the directory entry',
        () => directory.lookup('counter', ref.key) !== undefined,
      );
      assert.deepEqual(directory.lookup('counter', ref.key), { expired: 1 });
      assert.deepEqual(directory.entries('counter'), [{ key: 'dir key/1', value: { expired: 1 } }]);
      assert.deepEqual(await reader.get(ref), { seen: [], expired: 1 });
    } finally {
      directory.close();
    }
  });
});
