// Issue 10's first report, at the runtime: a party lookup whose key carries a NUL byte (which
// PostgreSQL refuses) is injected straight into the CMD stream, bypassing the gateway. The worker
// parks it, and a transfer whose actor lives in the same partition, prepared right behind it,
// still commits: positions move and the payer hears COMMITTED.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { encodeBytes } from '../../runtime/codec.ts';
import { commandSubject, partitionOf } from '../../runtime/partition.ts';
import { fspiop, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { positionOf } from '../helpers/onboard.ts';
import { startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

const PAYER = 'payerfsp';
const PAYEE = 'payeefsp';
const PARTITIONS = 8;

describe('a NUL-byte lookup injected into the CMD stream', { timeout: 120_000 }, () => {
  let world: World;
  let nc: NatsConnection;

  before(async () => {
    world = await startWorld({
      dfsps: [
        { name: PAYER, netDebitCap: '1000', fundsIn: '1000' },
        { name: PAYEE, netDebitCap: '1000', fundsIn: '1000' },
      ],
    });
    nc = await connect({ servers: world.natsUrl });
  });

  after(async () => {
    await nc?.close();
    await world?.stop();
  });

  it('is parked while a transfer in the same partition commits', async () => {
    const pair = ilpPair();
    const body = prepareBody({
      payerFsp: PAYER,
      payeeFsp: PAYEE,
      amount: '5',
      currency: 'USD',
      condition: pair.condition,
    });
    const transferId = String(body['transferId']);
    const partition = partitionOf('transfer', transferId, PARTITIONS);
    let key = '';
    for (let i = 0; partitionOf('party', key, PARTITIONS) !== partition || key === ''; i++) {
      key = `MSISDN/2352830786${i}/\u0000`;
    }
    const lookup = {
      type: 'party',
      key,
      nowMs: Date.now(),
      command: { kind: 'ResolveOwners' },
    };
    await jetstream(nc).publish(commandSubject('party', key, PARTITIONS), encodeBytes(lookup));
    const prepare = await fspiop(world.switch.fspiopUrl, {
      method: 'POST',
      path: '/transfers',
      source: PAYER,
      destination: PAYEE,
      body,
    });
    assert.equal(prepare.status, 202);
    await world.sims[PAYEE]!.waitFor((r) => r.method === 'POST' && r.text.includes(transferId));
    const fulfil = {
      transferState: 'COMMITTED',
      fulfilment: pair.fulfilment,
      completedTimestamp: new Date().toISOString(),
    };
    const put = await fspiop(world.switch.fspiopUrl, {
      method: 'PUT',
      path: `/transfers/${transferId}`,
      source: PAYEE,
      destination: PAYER,
      body: fulfil,
    });
    assert.equal(put.status, 200);
    const toPayer = await world.sims[PAYER]!.waitFor(
      (r) => r.method === 'PUT' && r.path === `/transfers/${transferId}`,
    );
    assert.deepEqual(toPayer.body, fulfil);
    const url = world.switch.adminUrl;
    await waitUntil('positions', async () => (await positionOf(url, PAYEE, 'USD')) === -5);
    assert.equal(await positionOf(url, PAYER, 'USD'), 5);
    const client = new pg.Client({ connectionString: world.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        'select partition, actor, status, reason from poison_messages',
      );
      assert.equal(rows.length, 1);
      assert.deepEqual(
        [rows[0].partition, rows[0].actor, rows[0].status],
        [partition, `party/${key.replace('\u0000', '\\u0000')}`, 'parked'],
      );
      assert.match(rows[0].reason, /^database refused it: .*0x00/);
    } finally {
      await client.end();
    }
  });
});
