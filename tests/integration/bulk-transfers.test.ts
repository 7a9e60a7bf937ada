// Bulk transfers end to end over real sockets, NATS and PostgreSQL (issue 14): a bulk of 1,000
// committed with exact positions; a mixed bulk in which some individuals fail the payer's NDC or
// are duplicates of an existing transfer and the payee rejects others; a bulk expiring; a resent
// and a modified bulk; GET; a worker SIGKILLed while splitting a bulk of 1,000. The DFSPs are
// simulated HTTP servers; the §7 invariants are checked after every test.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Received } from '../helpers/dfsp-sim.ts';
import {
  fspiop,
  ILP_PACKET,
  type IlpPair,
  ilpPair,
  prepareBody,
} from '../helpers/fspiop-client.ts';
import { checkInvariants } from '../helpers/invariants.ts';
import { adminExpect, fundsIn, positionOf } from '../helpers/onboard.ts';
import { startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

const PAYER = 'bulkpayer';
const SMALL = 'smallpayer';
const PAYEE = 'bulkpayee';

let world: World;
const sim = (name: string) => {
  const found = world.sims[name];
  assert.ok(found, name);
  return found;
};

type Individual = { transferId: string; amount: string; pair: IlpPair };
type ResultBody = {
  bulkTransferState: string;
  individualTransferResults?: Array<{
    transferId: string;
    fulfilment?: string;
    errorInformation?: { errorCode: string };
  }>;
};

function individuals(count: number, amount: string): Individual[] {
  return Array.from({ length: count }, () => ({
    transferId: randomUUID(),
    amount,
    pair: ilpPair(),
  }));
}

function bulkBody(payer: string, items: readonly Individual[], expiresInMs = 60_000) {
  return {
    bulkTransferId: randomUUID(),
    bulkQuoteId: randomUUID(),
    payerFsp: payer,
    payeeFsp: PAYEE,
    individualTransfers: items.map((item) => ({
      transferId: item.transferId,
      transferAmount: { amount: item.amount, currency: 'USD' },
      ilpPacket: ILP_PACKET,
      condition: item.pair.condition,
    })),
    expiration: new Date(Date.now() + expiresInMs).toISOString(),
  };
}

function call(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  source: string,
  body?: unknown,
  destination = source === PAYEE ? PAYER : PAYEE,
) {
  return fspiop(world.switch.fspiopUrl, {
    method,
    path,
    source,
    destination,
    body,
    headers: {
      'content-type': 'application/vnd.interoperability.bulkTransfers+json;version=1.1',
      ...(method === 'PUT'
        ? {}
        : { accept: 'application/vnd.interoperability.bulkTransfers+json;version=1' }),
    },
  });
}

const isPath = (method: string, path: string) => (r: Received) =>
  r.method === method && r.path === path;

/** POSTs a bulk and waits for its forward to the payee; answers the forwarded body. */
async function forwarded(payer: string, body: ReturnType<typeof bulkBody>) {
  assert.equal((await call('POST', '/bulkTransfers', payer, body)).status, 202);
  const received = await sim(PAYEE).waitFor(
    (r) => isPath('POST', '/bulkTransfers')(r) && r.text.includes(body.bulkTransferId),
    30_000,
  );
  return received.body as { individualTransfers: Array<{ transferId: string }> };
}

async function resultTo(dfsp: string, bulkTransferId: string, suffix = '') {
  const received = await sim(dfsp).waitFor(
    isPath('PUT', `/bulkTransfers/${bulkTransferId}${suffix}`),
    30_000,
  );
  return received.body as ResultBody & { errorInformation?: { errorCode: string } };
}

async function position(name: string): Promise<number> {
  return positionOf(world.switch.adminUrl, name, 'USD');
}

/** Positions move in the same step as the result callback, so they may land just after it. */
async function expectPosition(name: string, expected: number): Promise<void> {
  await waitUntil(`${name} position`, async () => (await position(name)) === expected).catch(
    () => undefined,
  );
  assert.equal(await position(name), expected);
}

function outcomes(body: ResultBody): Array<[string, string | undefined]> {
  return (body.individualTransferResults ?? []).map((r) => [
    r.transferId,
    r.fulfilment === undefined ? r.errorInformation?.errorCode : 'fulfilled',
  ]);
}

describe('FSPIOP bulk transfers end to end', { timeout: 240_000 }, () => {
  before(async () => {
    world = await startWorld({
      dfsps: [
        { name: PAYER, netDebitCap: '1000000', fundsIn: '1000000' },
        { name: SMALL, netDebitCap: '100', fundsIn: '100' },
        { name: PAYEE, netDebitCap: '1000000', fundsIn: '1000000' },
      ],
    });
  });

  afterEach(async () => {
    const { databaseUrl, names, currency } = world;
    const adminUrl = world.switch.adminUrl;
    assert.deepEqual(await checkInvariants({ databaseUrl, adminUrl, names, currency }), []);
  });

  after(async () => {
    await world?.stop();
  });

  it('commits a bulk of 1,000 with exact positions and one callback to the payer', async () => {
    const [payerBefore, payeeBefore] = [await position(PAYER), await position(PAYEE)];
    const items = individuals(1000, '1.25');
    const body = bulkBody(PAYER, items);
    const sent = await forwarded(PAYER, body);
    assert.equal(sent.individualTransfers.length, 1000);
    const answer = {
      bulkTransferState: 'COMPLETED',
      completedTimestamp: new Date().toISOString(),
      individualTransferResults: items.map((item) => ({
        transferId: item.transferId,
        fulfilment: item.pair.fulfilment,
      })),
    };
    const put = await call('PUT', `/bulkTransfers/${body.bulkTransferId}`, PAYEE, answer);
    assert.equal(put.status, 200);
    const result = await resultTo(PAYER, body.bulkTransferId);
    assert.equal(result.bulkTransferState, 'COMPLETED');
    assert.deepEqual(
      outcomes(result),
      items.map((item) => [item.transferId, 'fulfilled']),
    );
    await expectPosition(PAYER, payerBefore + 1250);
    await expectPosition(PAYEE, payeeBefore - 1250);
  });

  it('fails individuals alone: NDC, an existing transferId, and the payee rejecting some', async () => {
    const existing = ilpPair();
    const single = prepareBody({
      payerFsp: SMALL,
      payeeFsp: PAYEE,
      amount: '5',
      currency: 'USD',
      condition: existing.condition,
    });
    const singleId = String(single['transferId']);
    const prepared = await fspiop(world.switch.fspiopUrl, {
      method: 'POST',
      path: '/transfers',
      source: SMALL,
      destination: PAYEE,
      body: single,
    });
    assert.equal(prepared.status, 202);
    await sim(PAYEE).waitFor((r) => r.method === 'POST' && r.text.includes(singleId));
    await fspiop(world.switch.fspiopUrl, {
      method: 'PUT',
      path: `/transfers/${singleId}`,
      source: PAYEE,
      destination: SMALL,
      body: { transferState: 'COMMITTED', fulfilment: existing.fulfilment },
    });
    await sim(SMALL).waitFor(isPath('PUT', `/transfers/${singleId}`));
    const smallBefore = await position(SMALL);
    const [a, b, c, d] = individuals(4, '40');
    assert.ok(a && b && c && d);
    const duplicate = { ...d, transferId: singleId };
    const body = bulkBody(SMALL, [a, b, c, duplicate]);
    const sent = await forwarded(SMALL, body);
    // Individuals reserve in the order their Transfer actors reach the payer's position, not
    // necessarily the bulk's: two of a, b, c fit under the NDC, the third fails alone.
    const reservedIds = sent.individualTransfers.map((t) => t.transferId);
    const byId = new Map([a, b, c].map((item) => [item.transferId, item]));
    assert.equal(reservedIds.length, 2);
    const [first, second] = reservedIds.map((id) => byId.get(id));
    const failed = [a, b, c].find((item) => !reservedIds.includes(item.transferId));
    assert.ok(first && second && failed);
    const answer = {
      bulkTransferState: 'COMPLETED',
      individualTransferResults: [
        { transferId: first.transferId, fulfilment: first.pair.fulfilment },
        {
          transferId: second.transferId,
          errorInformation: {
            errorCode: '5105',
            errorDescription: 'Payee transaction limit reached',
          },
        },
      ],
    };
    await call('PUT', `/bulkTransfers/${body.bulkTransferId}`, PAYEE, answer, SMALL);
    const result = await resultTo(SMALL, body.bulkTransferId);
    const expected = new Map([
      [first.transferId, 'fulfilled'],
      [second.transferId, '5105'],
      [failed.transferId, '4001'],
      [singleId, '3106'],
    ]);
    assert.deepEqual(
      outcomes(result),
      [a, b, c, duplicate].map((item) => [item.transferId, expected.get(item.transferId)]),
    );
    await expectPosition(SMALL, smallBefore + 40);
    // The existing transfer is untouched: still COMMITTED, as GET tells its payer.
    await fspiop(world.switch.fspiopUrl, {
      method: 'GET',
      path: `/transfers/${singleId}`,
      source: SMALL,
      destination: PAYEE,
    });
    await waitUntil('GET answer', () =>
      sim(SMALL).received.some(
        (r) => isPath('PUT', `/transfers/${singleId}`)(r) && r.headers['fspiop-source'] === 'Hub',
      ),
    );
  });

  it('expires a bulk as a whole: 3303 for every individual, reservations released', async () => {
    const payerBefore = await position(PAYER);
    const items = individuals(3, '7');
    const body = bulkBody(PAYER, items, 2_000);
    await forwarded(PAYER, body);
    const result = await resultTo(PAYER, body.bulkTransferId);
    assert.equal(result.bulkTransferState, 'COMPLETED');
    assert.deepEqual(
      outcomes(result),
      items.map((item) => [item.transferId, '3303']),
    );
    const toPayee = await resultTo(PAYEE, body.bulkTransferId, '/error');
    assert.equal(toPayee.errorInformation?.errorCode, '3303');
    await expectPosition(PAYER, payerBefore);
  });

  it('answers a resent bulk from stored state and a modified one with 3106; GET', async () => {
    const items = individuals(2, '3');
    const body = bulkBody(PAYER, items);
    await forwarded(PAYER, body);
    const id = body.bulkTransferId;
    await call('GET', `/bulkTransfers/${id}`, PAYER);
    const pending = await resultTo(PAYER, id);
    assert.deepEqual(pending, { bulkTransferState: 'ACCEPTED' });
    const answer = {
      bulkTransferState: 'COMPLETED',
      individualTransferResults: items.map((item) => ({
        transferId: item.transferId,
        fulfilment: item.pair.fulfilment,
      })),
    };
    await call('PUT', `/bulkTransfers/${id}`, PAYEE, answer);
    const puts = () => sim(PAYER).received.filter(isPath('PUT', `/bulkTransfers/${id}`));
    await waitUntil('final result', () => puts().length === 2);
    assert.equal(await call('POST', '/bulkTransfers', PAYER, body).then((a) => a.status), 202);
    await waitUntil('resent result', () => puts().length === 3);
    assert.deepEqual(puts()[2]?.body, puts()[1]?.body);
    const modified = { ...body, bulkQuoteId: randomUUID() };
    await call('POST', '/bulkTransfers', PAYER, modified);
    const refused = await resultTo(PAYER, id, '/error');
    assert.equal(refused.errorInformation?.errorCode, '3106');
    assert.equal(
      sim(PAYEE)
        .received.filter(isPath('POST', '/bulkTransfers'))
        .filter((r) => r.text.includes(id)).length,
      1,
    );
    const unknown = randomUUID();
    await call('GET', `/bulkTransfers/${unknown}`, PAYER);
    assert.equal((await resultTo(PAYER, unknown, '/error')).errorInformation?.errorCode, '3210');
  });

  it('settles every individual exactly once when the worker is SIGKILLed while splitting', async () => {
    const [payerBefore, payeeBefore] = [await position(PAYER), await position(PAYEE)];
    const items = individuals(1000, '0.5');
    const body = bulkBody(PAYER, items);
    assert.equal((await call('POST', '/bulkTransfers', PAYER, body)).status, 202);
    await world.switch.restartWorker();
    const received = await sim(PAYEE).waitFor(
      (r) => isPath('POST', '/bulkTransfers')(r) && r.text.includes(body.bulkTransferId),
      60_000,
    );
    const sent = received.body as { individualTransfers: Array<{ transferId: string }> };
    assert.equal(sent.individualTransfers.length, 1000);
    const answer = {
      bulkTransferState: 'COMPLETED',
      individualTransferResults: items.map((item) => ({
        transferId: item.transferId,
        fulfilment: item.pair.fulfilment,
      })),
    };
    await call('PUT', `/bulkTransfers/${body.bulkTransferId}`, PAYEE, answer);
    const result = await resultTo(PAYER, body.bulkTransferId);
    assert.equal(outcomes(result).filter(([, outcome]) => outcome === 'fulfilled').length, 1000);
    await expectPosition(PAYER, payerBefore + 500);
    await expectPosition(PAYEE, payeeBefore - 500);
  });

  it('fails alone an individual in a currency the payee holds no account in', async () => {
    // The payer holds USD and XOF, the payee USD only: the XOF individual must fail before any
    // reservation, or the payee's fulfil would credit an XOF position it does not have.
    const adminUrl = world.switch.adminUrl;
    for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
      await adminExpect(adminUrl, 201, 'POST', '/participants/Hub/accounts', {
        type,
        currency: 'XOF',
      });
    }
    await adminExpect(adminUrl, 201, 'POST', '/participants', { name: PAYER, currency: 'XOF' });
    await adminExpect(adminUrl, 201, 'POST', `/participants/${PAYER}/initialPositionAndLimits`, {
      currency: 'XOF',
      limit: { type: 'NET_DEBIT_CAP', value: 1000 },
      initialPosition: 0,
    });
    await fundsIn(adminUrl, PAYER, 'XOF', '1000');
    const [payerBefore, payeeBefore] = [await position(PAYER), await position(PAYEE)];
    const [usd, xof] = individuals(2, '7');
    assert.ok(usd && xof);
    const body = bulkBody(PAYER, [usd, xof]);
    const [, xofBody] = body.individualTransfers;
    assert.ok(xofBody);
    xofBody.transferAmount.currency = 'XOF';
    const sent = await forwarded(PAYER, body);
    assert.deepEqual(
      sent.individualTransfers.map((t) => t.transferId),
      [usd.transferId],
    );
    const answer = {
      bulkTransferState: 'COMPLETED',
      completedTimestamp: new Date().toISOString(),
      individualTransferResults: [usd, xof].map((item) => ({
        transferId: item.transferId,
        fulfilment: item.pair.fulfilment,
      })),
    };
    await call('PUT', `/bulkTransfers/${body.bulkTransferId}`, PAYEE, answer);
    const result = await resultTo(PAYER, body.bulkTransferId);
    assert.deepEqual(outcomes(result), [
      [usd.transferId, 'fulfilled'],
      [xof.transferId, '3100'],
    ]);
    await expectPosition(PAYER, payerBefore + 7);
    await expectPosition(PAYEE, payeeBefore - 7);
    assert.equal(await positionOf(adminUrl, PAYER, 'XOF'), 0);
  });
});
