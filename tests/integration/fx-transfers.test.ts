// Payer-DFSP conversion end to end over real sockets (issue 13): FXP discovery, an fxQuote
// relayed to the FXP and back, the fxTransfer reserving the payer's USD, the FXP's fulfilment,
// the dependent EUR transfer paid from the FXP's position, and the commit of both legs; then an
// FXP error, a payee rejection, both expiries and duplicates. One mkondo (split layout: gateway
// and notifier, and a worker that a test SIGKILLs) on real NATS and PostgreSQL; the DFSPs are
// simulated HTTP servers, and the FXP's answers are sent by the test. The §7 invariants are
// checked per currency after every test, with every conversion final.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import pg from 'pg';
import { fxEndpointTemplates } from '../../ops/onboarding.ts';
import type { Received } from '../helpers/dfsp-sim.ts';
import {
  type Answer,
  errorCodeOf,
  fspiop,
  ilpPair,
  prepareBody,
} from '../helpers/fspiop-client.ts';
import { checkInvariants } from '../helpers/invariants.ts';
import { adminExpect, fundsIn, positionOf } from '../helpers/onboard.ts';
import { startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

const PAYER = 'fxpayer';
const FXP = 'fxp1';
const PAYEE = 'fxpayee';
const fulfilments = new Map<string, string>();

let world: World;
const sim = (name: string) => {
  const found = world.sims[name];
  assert.ok(found, name);
  return found;
};

/** Sends an FX request as a DFSP would, with the resource's v2.0 media type. */
function fx(
  resource: 'fxQuotes' | 'fxTransfers' | 'services',
  request: { method: 'GET' | 'POST' | 'PUT'; path: string; source: string; body?: unknown },
  destination?: string,
): Promise<Answer> {
  const media = `application/vnd.interoperability.${resource}+json;version=2.0`;
  return fspiop(world.switch.fspiopUrl, {
    ...request,
    destination: destination ?? '',
    headers: {
      'content-type': media,
      // Always an Accept: fetch would otherwise send `*/*`, which the reference refuses.
      accept: media,
      ...(destination === undefined ? { 'fspiop-destination': undefined } : {}),
    },
  });
}

type Positions = { payerUSD: number; fxpUSD: number; fxpEUR: number; payeeEUR: number };

async function positions(): Promise<Positions> {
  const url = world.switch.adminUrl;
  return {
    payerUSD: await positionOf(url, PAYER, 'USD'),
    fxpUSD: await positionOf(url, FXP, 'USD'),
    fxpEUR: await positionOf(url, FXP, 'EUR'),
    payeeEUR: await positionOf(url, PAYEE, 'EUR'),
  };
}

async function expectPositions(expected: Positions): Promise<void> {
  const same = (a: Positions) => JSON.stringify(a) === JSON.stringify(expected);
  await waitUntil('positions', async () => same(await positions())).catch(() => undefined);
  assert.deepEqual(await positions(), expected);
}

function plus(base: Positions, delta: Partial<Positions>): Positions {
  return {
    payerUSD: base.payerUSD + (delta.payerUSD ?? 0),
    fxpUSD: base.fxpUSD + (delta.fxpUSD ?? 0),
    fxpEUR: base.fxpEUR + (delta.fxpEUR ?? 0),
    payeeEUR: base.payeeEUR + (delta.payeeEUR ?? 0),
  };
}

const isTo = (method: string, path: string) => (r: Received) =>
  r.method === method && r.path === path;

type Conversion = { commitRequestId: string; transferId: string; fulfilment: string };

/** POST /fxTransfers from the payer; waits until the FXP received it. */
async function prepareConversion(options: { expiresInMs?: number } = {}) {
  const pair = ilpPair();
  const conversion = {
    commitRequestId: randomUUID(),
    transferId: randomUUID(),
    fulfilment: pair.fulfilment,
  };
  const body = {
    commitRequestId: conversion.commitRequestId,
    determiningTransferId: conversion.transferId,
    initiatingFsp: PAYER,
    counterPartyFsp: FXP,
    amountType: 'SEND',
    sourceAmount: { currency: 'USD', amount: '100' },
    targetAmount: { currency: 'EUR', amount: '90' },
    condition: pair.condition,
    expiration: new Date(Date.now() + (options.expiresInMs ?? 60_000)).toISOString(),
  };
  const answer = await fx(
    'fxTransfers',
    { method: 'POST', path: '/fxTransfers', source: PAYER, body },
    FXP,
  );
  assert.equal(answer.status, 202);
  await sim(FXP).waitFor(isTo('POST', '/fxTransfers'), 10_000);
  await sim(FXP).waitFor((r) => r.method === 'POST' && r.text.includes(conversion.commitRequestId));
  return { conversion, body };
}

/** The FXP's PUT /fxTransfers/{ID} with RESERVED and the fulfilment. */
async function fxpFulfils(conversion: Conversion, fulfilment = conversion.fulfilment) {
  const body = {
    conversionState: 'RESERVED',
    fulfilment,
    completedTimestamp: new Date().toISOString(),
  };
  const path = `/fxTransfers/${conversion.commitRequestId}`;
  const answer = await fx('fxTransfers', { method: 'PUT', path, source: FXP, body }, PAYER);
  assert.equal(answer.status, 200);
}

/** A conversion the FXP fulfilled: the payer has the PUT RESERVED. */
async function fulfilledConversion(): Promise<Conversion> {
  const { conversion } = await prepareConversion();
  await fxpFulfils(conversion);
  const put = await sim(PAYER).waitFor(isTo('PUT', `/fxTransfers/${conversion.commitRequestId}`));
  assert.equal((put.body as { conversionState: string }).conversionState, 'RESERVED');
  return conversion;
}

/** The dependent POST /transfers in EUR; the payee answers as `fulfilments` says. */
async function prepareDependent(conversion: Conversion, expiresInMs = 60_000) {
  const pair = ilpPair();
  fulfilments.set(pair.condition, pair.fulfilment);
  const body = prepareBody({
    transferId: conversion.transferId,
    payerFsp: PAYER,
    payeeFsp: PAYEE,
    amount: '90',
    currency: 'EUR',
    condition: pair.condition,
    expiresInMs,
  });
  const answer = await fspiop(world.switch.fspiopUrl, {
    method: 'POST',
    path: '/transfers',
    source: PAYER,
    destination: PAYEE,
    version: '2.0',
    body,
  });
  assert.equal(answer.status, 202);
  return { pair, body };
}

async function fxState(commitRequestId: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ phase: string }>(
      `select state->>'phase' as phase from actor_snapshots
        where type = 'fx-transfer' and key = $1`,
      [commitRequestId],
    );
    return result.rows[0]?.phase;
  } finally {
    await client.end();
  }
}

async function expectFxPhase(commitRequestId: string, phase: string): Promise<void> {
  await waitUntil(
    `${commitRequestId} ${phase}`,
    async () => (await fxState(commitRequestId)) === phase,
  );
}

/** Conversions that are neither committed nor aborted (fulfilled ones wait on purpose). */
async function unfinishedConversions(): Promise<string[]> {
  const client = new pg.Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ key: string; phase: string }>(
      `select key, state->>'phase' as phase from actor_snapshots where type = 'fx-transfer'
        and state->>'phase' not in ('committed', 'aborted')`,
    );
    return result.rows.map((r) => `${r.key}:${r.phase}`);
  } finally {
    await client.end();
  }
}

describe('payer-DFSP conversion end to end', { timeout: 240_000 }, () => {
  before(async () => {
    world = await startWorld({
      layout: 'split',
      dfsps: [
        { name: PAYER, netDebitCap: '10000', fundsIn: '10000' },
        { name: FXP, netDebitCap: '10000', fundsIn: '10000' },
        {
          name: PAYEE,
          netDebitCap: '10000',
          fundsIn: '10000',
          version: '2.0',
          onPrepare: (body) => {
            const fulfilment = fulfilments.get(String(body['condition']));
            if (fulfilment === 'reject') {
              return { kind: 'reject', errorCode: '5101', errorDescription: 'Payee limit' };
            }
            return fulfilment ? { kind: 'fulfil', fulfilment } : { kind: 'none' };
          },
        },
      ],
    });
    const adminUrl = world.switch.adminUrl;
    for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
      await adminExpect(adminUrl, 201, 'POST', `/participants/${world.hubName}/accounts`, {
        type,
        currency: 'EUR',
      });
    }
    for (const name of [FXP, PAYEE]) {
      await adminExpect(adminUrl, 201, 'POST', '/participants', { name, currency: 'EUR' });
      await adminExpect(adminUrl, 201, 'POST', `/participants/${name}/initialPositionAndLimits`, {
        currency: 'EUR',
        limit: { type: 'NET_DEBIT_CAP', value: 10000 },
        initialPosition: 0,
      });
      await fundsIn(adminUrl, name, 'EUR', '10000');
    }
    for (const name of [PAYER, FXP]) {
      for (const [type, value] of Object.entries(fxEndpointTemplates(sim(name).url))) {
        await adminExpect(adminUrl, 201, 'POST', `/participants/${name}/endpoints`, {
          type,
          value,
        });
      }
    }
  });

  afterEach(async () => {
    for (const currency of ['USD', 'EUR']) {
      const violations = await checkInvariants({
        databaseUrl: world.databaseUrl,
        adminUrl: world.switch.adminUrl,
        names: world.names,
        currency,
      });
      assert.deepEqual(violations, []);
    }
    assert.deepEqual(await unfinishedConversions(), []);
  });

  after(async () => {
    await world?.stop();
  });

  it('discovers the FXP, relays an fxQuote, and commits both legs of a payment', async () => {
    const services = await fx('services', {
      method: 'GET',
      path: '/services/FXP/USD/EUR',
      source: PAYER,
    });
    assert.equal(services.status, 202);
    const listed = await sim(PAYER).waitFor(isTo('PUT', '/services/FXP/USD/EUR'));
    assert.deepEqual(listed.body, { providers: [FXP] });

    const conversionRequestId = randomUUID();
    const terms = {
      conversionId: randomUUID(),
      determiningTransferId: randomUUID(),
      initiatingFsp: PAYER,
      counterPartyFsp: FXP,
      amountType: 'SEND',
      sourceAmount: { currency: 'USD', amount: '100' },
      targetAmount: { currency: 'EUR' },
      expiration: new Date(Date.now() + 60_000).toISOString(),
    };
    const quote = { conversionRequestId, conversionTerms: terms };
    const asked = await fx(
      'fxQuotes',
      { method: 'POST', path: '/fxQuotes', source: PAYER, body: quote },
      FXP,
    );
    assert.equal(asked.status, 202);
    const forwarded = await sim(FXP).waitFor(isTo('POST', '/fxQuotes'));
    assert.equal(forwarded.text, JSON.stringify(quote));
    const answer = {
      condition: ilpPair().condition,
      conversionTerms: { ...terms, targetAmount: { currency: 'EUR', amount: '90' } },
    };
    const path = `/fxQuotes/${conversionRequestId}`;
    const answered = await fx(
      'fxQuotes',
      { method: 'PUT', path, source: FXP, body: answer },
      PAYER,
    );
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    const quoted = await sim(PAYER).waitFor(isTo('PUT', path));
    assert.deepEqual(quoted.body, answer);

    const before = await positions();
    const { conversion } = await prepareConversion();
    await expectPositions(plus(before, { payerUSD: 100 }));
    await fxpFulfils(conversion);
    await sim(PAYER).waitFor(isTo('PUT', `/fxTransfers/${conversion.commitRequestId}`));
    await prepareDependent(conversion);
    const committed = await sim(PAYER).waitFor(isTo('PUT', `/transfers/${conversion.transferId}`));
    assert.equal((committed.body as { transferState: string }).transferState, 'COMMITTED');
    const patch = await sim(FXP).waitFor(
      isTo('PATCH', `/fxTransfers/${conversion.commitRequestId}`),
    );
    assert.equal((patch.body as { conversionState: string }).conversionState, 'COMMITTED');
    await expectPositions(plus(before, { payerUSD: 100, fxpUSD: -100, fxpEUR: 90, payeeEUR: -90 }));

    const get = `/fxTransfers/${conversion.commitRequestId}`;
    assert.equal(
      (await fx('fxTransfers', { method: 'GET', path: get, source: PAYER })).status,
      202,
    );
    await waitUntil('GET answer', () => sim(PAYER).received.filter(isTo('PUT', get)).length >= 2);
    const state = sim(PAYER).received.filter(isTo('PUT', get)).at(-1)?.body as Record<
      string,
      unknown
    >;
    assert.equal(state['conversionState'], 'COMMITTED');
    assert.equal(state['fulfilment'], conversion.fulfilment);
  });

  it('aborts and releases the payer when the FXP answers with an error', async () => {
    const before = await positions();
    const { conversion } = await prepareConversion();
    const path = `/fxTransfers/${conversion.commitRequestId}/error`;
    const body = { errorInformation: { errorCode: '5100', errorDescription: 'FXP rejects' } };
    assert.equal(
      (await fx('fxTransfers', { method: 'PUT', path, source: FXP, body }, PAYER)).status,
      200,
    );
    const relayed = await sim(PAYER).waitFor(isTo('PUT', path));
    assert.equal(errorCodeOf(relayed), '5100');
    await expectFxPhase(conversion.commitRequestId, 'aborted');
    await expectPositions(before);
  });

  it('releases both reservations when the payee rejects the dependent transfer', async () => {
    const before = await positions();
    const conversion = await fulfilledConversion();
    const pair = ilpPair();
    fulfilments.set(pair.condition, 'reject');
    const body = prepareBody({
      transferId: conversion.transferId,
      payerFsp: PAYER,
      payeeFsp: PAYEE,
      amount: '90',
      currency: 'EUR',
      condition: pair.condition,
    });
    await fspiop(world.switch.fspiopUrl, {
      method: 'POST',
      path: '/transfers',
      source: PAYER,
      destination: PAYEE,
      version: '2.0',
      body,
    });
    const error = await sim(PAYER).waitFor(
      isTo('PUT', `/transfers/${conversion.transferId}/error`),
    );
    assert.equal(errorCodeOf(error), '5101');
    const patch = await sim(FXP).waitFor(
      isTo('PATCH', `/fxTransfers/${conversion.commitRequestId}`),
    );
    assert.equal((patch.body as { conversionState: string }).conversionState, 'ABORTED');
    await expectPositions(before);
  });

  it('expires a conversion the FXP did not fulfil, and refuses its transfer', async () => {
    const before = await positions();
    const { conversion } = await prepareConversion({ expiresInMs: 1_500 });
    const error = await sim(PAYER).waitFor(
      isTo('PUT', `/fxTransfers/${conversion.commitRequestId}/error`),
    );
    assert.equal(errorCodeOf(error), '3303');
    await expectPositions(before);
    await prepareDependent(conversion);
    const refused = await sim(PAYER).waitFor(
      isTo('PUT', `/transfers/${conversion.transferId}/error`),
    );
    assert.equal(errorCodeOf(refused), '3100');
    await expectPositions(before);
  });

  it('frees both reservations when the dependent transfer of a fulfilled one expires', async () => {
    const before = await positions();
    const conversion = await fulfilledConversion();
    await new Promise((r) => setTimeout(r, 300));
    await expectPositions(plus(before, { payerUSD: 100 }));
    const { pair } = await prepareDependent(conversion, 1_500);
    fulfilments.delete(pair.condition);
    const error = await sim(PAYER).waitFor(
      isTo('PUT', `/transfers/${conversion.transferId}/error`),
    );
    assert.equal(errorCodeOf(error), '3303');
    await expectFxPhase(conversion.commitRequestId, 'aborted');
    await expectPositions(before);
  });

  it('answers duplicates: same body resent, modified body 3106', async () => {
    const before = await positions();
    const { conversion, body } = await prepareConversion();
    await fxpFulfils(conversion);
    const put = `/fxTransfers/${conversion.commitRequestId}`;
    await sim(PAYER).waitFor(isTo('PUT', put));
    const resend = await fx(
      'fxTransfers',
      { method: 'POST', path: '/fxTransfers', source: PAYER, body },
      FXP,
    );
    assert.equal(resend.status, 202);
    await waitUntil('resend', () => sim(PAYER).received.filter(isTo('PUT', put)).length >= 2);
    const resent = sim(PAYER).received.filter(isTo('PUT', put)).at(-1)?.body;
    assert.equal((resent as { fulfilment: string }).fulfilment, conversion.fulfilment);
    const modified = { ...body, sourceAmount: { currency: 'USD', amount: '101' } };
    await fx(
      'fxTransfers',
      { method: 'POST', path: '/fxTransfers', source: PAYER, body: modified },
      FXP,
    );
    const refused = await sim(PAYER).waitFor(isTo('PUT', `${put}/error`));
    assert.equal(errorCodeOf(refused), '3106');
    await expectPositions(plus(before, { payerUSD: 100 }));
    await prepareDependent(conversion);
    await sim(FXP).waitFor(isTo('PATCH', put));
    await expectPositions(plus(before, { payerUSD: 100, fxpUSD: -100, fxpEUR: 90, payeeEUR: -90 }));
  });

  it('commits both legs or neither when the worker is SIGKILLed as the payee fulfils', async () => {
    const before = await positions();
    const conversion = await fulfilledConversion();
    await prepareDependent(conversion);
    await sim(PAYEE).waitFor(isTo('POST', '/transfers'));
    await world.switch.restartWorker();
    await expectFxPhase(conversion.commitRequestId, 'committed');
    await expectPositions(plus(before, { payerUSD: 100, fxpUSD: -100, fxpEUR: 90, payeeEUR: -90 }));
  });

  it('refuses malformed FX requests synchronously', async () => {
    const bad = await fx(
      'fxTransfers',
      { method: 'POST', path: '/fxTransfers', source: PAYER, body: { commitRequestId: 'x' } },
      FXP,
    );
    assert.equal(bad.status, 400);
    assert.equal(errorCodeOf(bad), '3100');
    const noDestination = await fx('fxQuotes', {
      method: 'POST',
      path: '/fxQuotes',
      source: PAYER,
      body: {},
    });
    assert.equal(errorCodeOf(noDestination), '3102');
  });
});
