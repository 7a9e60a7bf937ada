// FSPIOP transfers end to end over real sockets (issue 4, "Tests"): the happy path in v1.1 and
// v2.0, the RESERVED + PATCH path, duplicates, GET, and malformed requests answered synchronously
// and never published. One mkondo (dev layout) on a real NATS and PostgreSQL serves every case;
// the DFSPs are simulated HTTP servers, and the §7 invariants are checked at the end.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Received } from '../helpers/dfsp-sim.ts';
import { errorCodeOf, fspiop, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { checkInvariants, readSnapshots } from '../helpers/invariants.ts';
import { positionOf } from '../helpers/onboard.ts';
import {
  expectTrail,
  sleep,
  startWorld,
  type World,
  waitUntil,
} from '../helpers/transfer-world.ts';

const PAYER = 'payerfsp';
const PAYEE = 'payeefsp';
const OUTSIDER = 'outsiderfsp';

let world: World;
const sim = (name: string) => {
  const found = world.sims[name];
  assert.ok(found, name);
  return found;
};

const isPut =
  (id: string, suffix = '') =>
  (r: Received) =>
    r.method === 'PUT' && r.path === `/transfers/${id}${suffix}`;

async function positions(): Promise<[number, number]> {
  const url = world.switch.adminUrl;
  return [await positionOf(url, PAYER, 'USD'), await positionOf(url, PAYEE, 'USD')];
}

async function expectPositions(expected: [number, number]): Promise<void> {
  await waitUntil('positions', async () => {
    const now = await positions();
    return now[0] === expected[0] && now[1] === expected[1];
  }).catch(() => undefined);
  assert.deepEqual(await positions(), expected);
}

/** POSTs a prepare from the payer and waits until the payee received it. */
async function prepared(amount: string, version = '1.1') {
  const pair = ilpPair();
  const body = prepareBody({
    payerFsp: PAYER,
    payeeFsp: PAYEE,
    amount,
    currency: 'USD',
    condition: pair.condition,
  });
  const id = String(body['transferId']);
  const answer = await fspiop(world.switch.fspiopUrl, {
    method: 'POST',
    path: '/transfers',
    source: PAYER,
    destination: PAYEE,
    version,
    body,
  });
  assert.equal(answer.status, 202);
  const forwarded = await sim(PAYEE).waitFor(
    (r) => r.method === 'POST' && r.path === '/transfers' && r.text.includes(id),
  );
  return { id, body, pair, forwarded };
}

function payeePut(id: string, body: unknown, version = '1.1') {
  return fspiop(world.switch.fspiopUrl, {
    method: 'PUT',
    path: `/transfers/${id}`,
    source: PAYEE,
    destination: PAYER,
    version,
    body,
  });
}

describe('FSPIOP transfers end to end', { timeout: 120_000 }, () => {
  before(async () => {
    world = await startWorld({
      dfsps: [
        { name: PAYER, netDebitCap: '100000', fundsIn: '100000' },
        { name: PAYEE, netDebitCap: '100000', fundsIn: '100000' },
        { name: OUTSIDER, netDebitCap: '1000', fundsIn: '1000' },
      ],
    });
  });

  after(async () => {
    await world?.stop();
  });

  for (const version of ['1.1', '2.0']) {
    it(`commits a transfer in v${version}: relayed headers, callbacks and positions`, async () => {
      const [payerBefore, payeeBefore] = await positions();
      const { id, body, pair, forwarded } = await prepared('12.34', version);
      assert.equal(forwarded.headers['fspiop-source'], PAYER);
      assert.equal(forwarded.headers['fspiop-destination'], PAYEE);
      assert.equal(
        forwarded.headers['content-type'],
        `application/vnd.interoperability.transfers+json;version=${version}`,
      );
      assert.deepEqual(forwarded.body, body);
      const completedTimestamp = new Date().toISOString();
      const fulfil = {
        transferState: 'COMMITTED',
        fulfilment: pair.fulfilment,
        completedTimestamp,
      };
      assert.equal((await payeePut(id, fulfil, version)).status, 200);
      const toPayer = await sim(PAYER).waitFor(isPut(id));
      assert.deepEqual(toPayer.body, fulfil);
      assert.equal(toPayer.headers['fspiop-source'], PAYEE);
      assert.equal(toPayer.headers['fspiop-destination'], PAYER);
      const toPayee = await sim(PAYEE).waitFor(isPut(id));
      assert.equal(toPayee.headers['fspiop-source'], world.hubName);
      assert.deepEqual((toPayee.body as { transferState: string }).transferState, 'COMMITTED');
      await expectPositions([payerBefore + 12.34, payeeBefore - 12.34]);
      await expectTrail(sim(PAYER), id, ['PUT COMMITTED']);
      await expectTrail(sim(PAYEE), id, ['POST', 'PUT COMMITTED']);
    });
  }

  it('RESERVED: the payer gets a hub PUT COMMITTED and the payee a PATCH', async () => {
    const [payerBefore, payeeBefore] = await positions();
    const { id, pair } = await prepared('5');
    const put = {
      transferState: 'RESERVED',
      fulfilment: pair.fulfilment,
      completedTimestamp: new Date().toISOString(),
    };
    assert.equal((await payeePut(id, put)).status, 200);
    const toPayer = await sim(PAYER).waitFor(isPut(id));
    assert.equal(toPayer.headers['fspiop-source'], world.hubName);
    assert.equal((toPayer.body as { transferState: string }).transferState, 'COMMITTED');
    const patch = await sim(PAYEE).waitFor(
      (r) => r.method === 'PATCH' && r.path === `/transfers/${id}`,
    );
    assert.deepEqual(
      ['fspiop-source', 'fspiop-destination', 'fspiop-uri', 'fspiop-http-method', 'accept'].map(
        (name) => patch.headers[name],
      ),
      [world.hubName, PAYEE, `/transfers/${id}`, 'PATCH', undefined],
    );
    assert.deepEqual(patch.body, {
      transferState: 'COMMITTED',
      completedTimestamp: put.completedTimestamp,
    });
    await expectPositions([payerBefore + 5, payeeBefore - 5]);
    await expectTrail(sim(PAYER), id, ['PUT COMMITTED']);
    await expectTrail(sim(PAYEE), id, ['POST', 'PATCH COMMITTED']);
  });

  it('a duplicate after commit resends the final state; a modified one gets 3106', async () => {
    const [payerBefore, payeeBefore] = await positions();
    const { id, body, pair } = await prepared('1');
    const fulfil = {
      transferState: 'COMMITTED',
      fulfilment: pair.fulfilment,
      completedTimestamp: new Date().toISOString(),
    };
    await payeePut(id, fulfil);
    await sim(PAYER).waitFor(isPut(id));
    await expectPositions([payerBefore + 1, payeeBefore - 1]);
    const resend = {
      method: 'POST',
      path: '/transfers',
      source: PAYER,
      destination: PAYEE,
    } as const;
    assert.equal((await fspiop(world.switch.fspiopUrl, { ...resend, body })).status, 202);
    await waitUntil('resend', () => sim(PAYER).received.filter(isPut(id)).length === 2);
    const resent = sim(PAYER).received.filter(isPut(id))[1];
    assert.ok(resent);
    assert.equal(resent.headers['fspiop-source'], world.hubName);
    const resentBody = resent.body as { transferState: string; fulfilment: string };
    assert.equal(resentBody.transferState, 'COMMITTED');
    assert.equal(resentBody.fulfilment, pair.fulfilment);
    const modified = { ...body, amount: { amount: '2', currency: 'USD' } };
    assert.equal((await fspiop(world.switch.fspiopUrl, { ...resend, body: modified })).status, 202);
    const error = await sim(PAYER).waitFor(isPut(id, '/error'));
    assert.equal(errorCodeOf(error), '3106');
    await expectTrail(sim(PAYER), id, ['PUT COMMITTED', 'PUT COMMITTED', 'PUT error 3106']);
    await expectTrail(sim(PAYEE), id, ['POST', 'PUT COMMITTED']);
    await expectPositions([payerBefore + 1, payeeBefore - 1]);
  });

  it('GET: the state to the payer, 3000 to an outsider, 3208 for an unknown id', async () => {
    const { id, body } = await prepared('1');
    // The same prepare again while in flight is ignored: no callback.
    const again = await fspiop(world.switch.fspiopUrl, {
      method: 'POST',
      path: '/transfers',
      source: PAYER,
      destination: PAYEE,
      body,
    });
    assert.equal(again.status, 202);
    const get = (source: string, transferId: string) =>
      fspiop(world.switch.fspiopUrl, {
        method: 'GET',
        path: `/transfers/${transferId}`,
        source,
        destination: world.hubName,
      });
    assert.equal((await get(PAYER, id)).status, 202);
    const state = await sim(PAYER).waitFor(isPut(id));
    assert.deepEqual(state.body, { transferState: 'RESERVED' });
    assert.equal((await get(OUTSIDER, id)).status, 202);
    assert.equal(errorCodeOf(await sim(OUTSIDER).waitFor(isPut(id, '/error'))), '3000');
    const unknown = randomUUID();
    assert.equal((await get(PAYER, unknown)).status, 202);
    assert.equal(errorCodeOf(await sim(PAYER).waitFor(isPut(unknown, '/error'))), '3208');
    await fspiop(world.switch.fspiopUrl, {
      method: 'PUT',
      path: `/transfers/${id}/error`,
      source: PAYEE,
      destination: PAYER,
      body: { errorInformation: { errorCode: '5100', errorDescription: 'Payee error' } },
    });
    await expectTrail(sim(PAYER), id, ['PUT RESERVED', 'PUT error 5100']);
    await expectTrail(sim(PAYEE), id, ['POST']);
    await expectTrail(sim(OUTSIDER), id, ['PUT error 3000']);
    await expectTrail(sim(PAYER), unknown, ['PUT error 3208']);
  });

  it('answers malformed requests synchronously and publishes nothing', async () => {
    const post = (body: unknown, headers: Record<string, string | undefined> = {}) =>
      fspiop(world.switch.fspiopUrl, {
        method: 'POST',
        path: '/transfers',
        source: PAYER,
        destination: PAYEE,
        body,
        headers,
      });
    const valid = () =>
      prepareBody({
        payerFsp: PAYER,
        payeeFsp: PAYEE,
        amount: '1',
        currency: 'USD',
        condition: ilpPair().condition,
      });
    const noDate = valid();
    const badVersion = valid();
    const missingField = valid();
    delete missingField['condition'];
    const media = 'application/vnd.interoperability.transfers+json;version=9.0';
    const answers = [
      await post(noDate, { date: undefined }),
      await post(badVersion, { 'content-type': media }),
      await post('{"transferId": ', {}),
      await post(missingField),
    ];
    assert.deepEqual(
      answers.map((a) => [a.status, errorCodeOf(a)]),
      [
        [400, '3102'],
        [406, '3001'],
        [400, '3101'],
        [400, '3100'],
      ],
    );
    const ids = [noDate, badVersion, missingField].map((b) => String(b['transferId']));
    await sleep(1000);
    const snapshots = await readSnapshots(world.databaseUrl);
    assert.deepEqual(
      ids.filter((id) => snapshots.transfers.has(id)),
      [],
    );
    for (const name of [PAYER, PAYEE]) {
      assert.deepEqual(
        ids.flatMap((id) => sim(name).forTransfer(id)),
        [],
      );
    }
  });

  it('keeps the DESIGN.md §7 invariants', async () => {
    const violations = await checkInvariants({
      databaseUrl: world.databaseUrl,
      adminUrl: world.switch.adminUrl,
      opsUrl: world.switch.opsUrl,
      names: world.names,
      currency: world.currency,
    });
    assert.deepEqual(violations, []);
  });
});
