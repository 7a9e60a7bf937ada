// Every way a transfer is refused, end to end over real sockets (issue 4, "Tests"): an invalid
// fulfilment, the payee's error, expiry before the payee answers, 4001 and 4200 at the payer's
// position, an unknown or inactive payee, and payer = payee. Each must reach the right DFSPs with
// the right code and leave no reservation behind; the §7 invariants are checked at the end.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Received } from '../helpers/dfsp-sim.ts';
import { errorCodeOf, fspiop, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { checkInvariants } from '../helpers/invariants.ts';
import { adminExpect, positionOf } from '../helpers/onboard.ts';
import { expectTrail, startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

const PAYER = 'payerfsp';
const PAYEE = 'payeefsp';

let world: World;
const sim = (name: string) => {
  const found = world.sims[name];
  assert.ok(found, name);
  return found;
};

const VERSION_REFUSAL = {
  errorCode: '3001',
  errorDescription: 'Unacceptable version requested - the payee speaks 1.0 only',
};

const errorFor = (id: string) => (r: Received) =>
  r.method === 'PUT' && r.path === `/transfers/${id}/error`;

type Prepare = { amount: string; payeeFsp?: string; expiresInMs?: number; source?: string };

async function post(terms: Prepare) {
  const pair = ilpPair();
  const payeeFsp = terms.payeeFsp ?? PAYEE;
  const body = prepareBody({
    payerFsp: PAYER,
    payeeFsp,
    amount: terms.amount,
    currency: 'USD',
    condition: pair.condition,
    ...(terms.expiresInMs === undefined ? {} : { expiresInMs: terms.expiresInMs }),
  });
  const answer = await fspiop(world.switch.fspiopUrl, {
    method: 'POST',
    path: '/transfers',
    source: PAYER,
    destination: payeeFsp,
    body,
  });
  assert.equal(answer.status, 202);
  return { id: String(body['transferId']), pair };
}

/** A prepare the payee received; the payer's position then holds the reservation. */
async function forwarded(amount: string, expiresInMs?: number) {
  const sent = await post({ amount, ...(expiresInMs === undefined ? {} : { expiresInMs }) });
  await sim(PAYEE).waitFor((r) => r.method === 'POST' && r.text.includes(sent.id));
  return sent;
}

/** The payer's error callback for a prepare refused before it reached the payee. */
async function refused(terms: Prepare) {
  const { id } = await post(terms);
  const error = await sim(PAYER).waitFor(errorFor(id));
  assert.equal(error.headers['fspiop-source'], world.hubName);
  await expectTrail(sim(PAYER), id, [`PUT error ${errorCodeOf(error)}`]);
  await expectTrail(sim(PAYEE), id, []);
  return error.body as { errorInformation: { errorCode: string; errorDescription: string } };
}

async function payerPositionIs(expected: number): Promise<void> {
  const read = () => positionOf(world.switch.adminUrl, PAYER, 'USD');
  await waitUntil('payer position', async () => (await read()) === expected).catch(() => {});
  assert.equal(await read(), expected);
}

describe('FSPIOP transfer rejections end to end', { timeout: 120_000 }, () => {
  before(async () => {
    world = await startWorld({
      dfsps: [
        { name: PAYER, netDebitCap: '1000', fundsIn: '1000' },
        {
          name: PAYEE,
          netDebitCap: '1000',
          fundsIn: '1000',
          // A payee that does not speak the payer's version refuses the prepare with 406/3001.
          refuse: (r) =>
            r.method === 'POST' && r.text.includes('"amount":"13"')
              ? { status: 406, body: { errorInformation: VERSION_REFUSAL } }
              : undefined,
        },
      ],
    });
  });

  after(async () => {
    await world?.stop();
  });

  it('an invalid fulfilment aborts with 3100 to payer and payee', async () => {
    const { id } = await forwarded('10');
    await payerPositionIs(10);
    const put = await fspiop(world.switch.fspiopUrl, {
      method: 'PUT',
      path: `/transfers/${id}`,
      source: PAYEE,
      destination: PAYER,
      body: {
        transferState: 'COMMITTED',
        fulfilment: ilpPair().fulfilment,
        completedTimestamp: new Date().toISOString(),
      },
    });
    assert.equal(put.status, 200);
    assert.equal(errorCodeOf(await sim(PAYER).waitFor(errorFor(id))), '3100');
    assert.equal(errorCodeOf(await sim(PAYEE).waitFor(errorFor(id))), '3100');
    await payerPositionIs(0);
    await expectTrail(sim(PAYER), id, ['PUT error 3100']);
    await expectTrail(sim(PAYEE), id, ['POST', 'PUT error 3100']);
  });

  it("relays the payee's error to the payer and releases the reservation", async () => {
    const { id } = await forwarded('20');
    const body = { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected' } };
    const put = await fspiop(world.switch.fspiopUrl, {
      method: 'PUT',
      path: `/transfers/${id}/error`,
      source: PAYEE,
      destination: PAYER,
      body,
    });
    assert.equal(put.status, 200);
    const relayed = await sim(PAYER).waitFor(errorFor(id));
    assert.deepEqual(relayed.body, body);
    assert.equal(relayed.headers['fspiop-source'], PAYEE);
    await payerPositionIs(0);
    await expectTrail(sim(PAYER), id, ['PUT error 5104']);
    await expectTrail(sim(PAYEE), id, ['POST']);
  });

  it("tells the payer at once with the payee's error when the payee refuses the prepare", async () => {
    // The transfer expires in a minute: the error arrives from the refusal, not the expiry.
    const { id } = await post({ amount: '13', expiresInMs: 60_000 });
    const error = await sim(PAYER).waitFor(errorFor(id));
    assert.deepEqual(error.body, { errorInformation: VERSION_REFUSAL });
    assert.equal(error.headers['fspiop-source'], world.hubName);
    await payerPositionIs(0);
    await expectTrail(sim(PAYER), id, ['PUT error 3001']);
    await expectTrail(sim(PAYEE), id, ['POST']);
  });

  it('expires an unanswered transfer: 3303 to payer and payee', async () => {
    const { id, pair } = await forwarded('30', 2000);
    const toPayer = await sim(PAYER).waitFor(errorFor(id), 8000);
    const toPayee = await sim(PAYEE).waitFor(errorFor(id), 8000);
    assert.equal(errorCodeOf(toPayer), '3303');
    assert.equal(errorCodeOf(toPayee), '3303');
    assert.deepEqual(
      ['fspiop-source', 'fspiop-destination', 'fspiop-uri', 'fspiop-http-method', 'accept'].map(
        (name) => toPayer.headers[name],
      ),
      [world.hubName, PAYER, `/transfers/${id}/error`, 'PUT', undefined],
    );
    assert.equal(
      toPayer.headers['content-type'],
      'application/vnd.interoperability.transfers+json;version=1.0',
    );
    await payerPositionIs(0);
    await expectTrail(sim(PAYER), id, ['PUT error 3303']);
    await expectTrail(sim(PAYEE), id, ['POST', 'PUT error 3303']);
    // A fulfil after the expiry gets 3303 back to the payee and changes nothing.
    const late = await fspiop(world.switch.fspiopUrl, {
      method: 'PUT',
      path: `/transfers/${id}`,
      source: PAYEE,
      destination: PAYER,
      body: { transferState: 'COMMITTED', fulfilment: pair.fulfilment },
    });
    assert.equal(late.status, 200);
    await expectTrail(sim(PAYEE), id, ['POST', 'PUT error 3303', 'PUT error 3303']);
    await expectTrail(sim(PAYER), id, ['PUT error 3303']);
    await payerPositionIs(0);
  });

  it('refuses an amount beyond the liquidity cover with 4001', async () => {
    assert.equal((await refused({ amount: '1500' })).errorInformation.errorCode, '4001');
  });

  it('refuses with 4200 once the net debit cap is lowered', async () => {
    const limits = (value: number) => ({
      currency: 'USD',
      limit: { type: 'NET_DEBIT_CAP', value, alarmPercentage: 10 },
    });
    const path = `/participants/${PAYER}/limits`;
    await adminExpect(world.switch.adminUrl, 200, 'PUT', path, limits(50));
    assert.equal((await refused({ amount: '100' })).errorInformation.errorCode, '4200');
    await adminExpect(world.switch.adminUrl, 200, 'PUT', path, limits(1000));
  });

  it('refuses an unknown payee with 3100', async () => {
    const error = await refused({ amount: '1', payeeFsp: 'nosuchfsp' });
    assert.equal(error.errorInformation.errorCode, '3100');
    assert.match(error.errorInformation.errorDescription, /nosuchfsp not found/);
  });

  it('refuses an inactive payee with 3100', async () => {
    const path = `/participants/${PAYEE}`;
    // No wait: the Admin API answers once this gateway's directory holds the change.
    await adminExpect(world.switch.adminUrl, 200, 'PUT', path, { isActive: false });
    const error = await refused({ amount: '1' });
    await adminExpect(world.switch.adminUrl, 200, 'PUT', path, { isActive: true });
    assert.equal(error.errorInformation.errorCode, '3100');
    assert.match(error.errorInformation.errorDescription, /inactive/);
  });

  it('refuses payer = payee with 3100', async () => {
    const error = await refused({ amount: '1', payeeFsp: PAYER });
    assert.equal(error.errorInformation.errorCode, '3100');
    assert.match(error.errorInformation.errorDescription, /should be different/);
  });

  it('leaves no reservation and keeps the DESIGN.md §7 invariants', async () => {
    await payerPositionIs(0);
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
