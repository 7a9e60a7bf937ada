// The Admin API in process over the in-memory runtime: the golden-path onboarding of a hub and
// two DFSPs (hub accounts -> settlement models -> participants -> initialPositionAndLimits ->
// funds in -> endpoints), funds out, every error code the routes answer, and conservation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActorDefinition } from '../../actors/actor.ts';
import { participantActor } from '../../actors/participant/actor.ts';
import { settlementModelActor } from '../../actors/settlement-model/actor.ts';
import { settlementWindowActor } from '../../actors/settlement-window/index.ts';
import { createAdminApp } from '../../gateway/admin/app.ts';
import { MemoryRuntime } from '../../runtime/memory.ts';

// Records the hub transfers the Participant actor reports (the real Transfer actor is elsewhere).
const transferStub: ActorDefinition<unknown[], unknown, unknown, undefined> = {
  type: 'transfer',
  initial: [],
  decide: (_s, command) => ({ events: [command], effects: [], reply: undefined }),
  evolve: (s, e) => [...s, e],
};

const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };

function setup(adminToken?: string) {
  const runtime = new MemoryRuntime({
    actors: [participantActor, settlementModelActor, settlementWindowActor, transferStub],
    hub,
    clock: () => 1_700_000_000_000,
  });
  const app = createAdminApp({
    bus: runtime,
    reader: runtime,
    hub,
    ...(adminToken ? { adminToken } : {}),
  });
  const call = async (method: string, path: string, body?: unknown, headers = {}) => {
    const init: RequestInit = {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    };
    const res = await app.request(`http://admin.test${path}`, init);
    await runtime.settle();
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return { runtime, call };
}

type Call = ReturnType<typeof setup>['call'];

async function onboardHub(call: Call) {
  for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
    const res = await call('POST', '/participants/Hub/accounts', { type, currency: 'USD' });
    assert.equal(res.status, 201);
  }
  const model = {
    name: 'DEFAULTDEFERREDNET',
    settlementGranularity: 'NET',
    settlementInterchange: 'MULTILATERAL',
    settlementDelay: 'DEFERRED',
    requireLiquidityCheck: false,
    ledgerAccountType: 'POSITION',
    autoPositionReset: true,
    settlementAccountType: 'SETTLEMENT',
  };
  assert.equal((await call('POST', '/settlementModels', model)).status, 201);
}

async function settlementAccount(call: Call, name: string) {
  const res = await call('GET', `/participants/${name}/accounts`);
  return res.body.find((a: { ledgerAccountType: string }) => a.ledgerAccountType === 'SETTLEMENT');
}

const PAYER_DEPOSIT = '0190d7a8-0000-7000-8000-000000000001';
const PAYEE_DEPOSIT = '0190d7a8-0000-7000-8000-000000000002';

async function onboardDfsp(call: Call, name: string, fundsIn: string) {
  assert.equal((await call('POST', '/participants', { name, currency: 'USD' })).status, 201);
  const limits = {
    currency: 'USD',
    limit: { type: 'NET_DEBIT_CAP', value: 1000000 },
    initialPosition: 0,
  };
  const res = await call('POST', `/participants/${name}/initialPositionAndLimits`, limits);
  assert.equal(res.status, 201);
  const account = await settlementAccount(call, name);
  const deposit = {
    transferId: name === 'payerfsp' ? PAYER_DEPOSIT : PAYEE_DEPOSIT,
    externalReference: 'string',
    action: 'recordFundsIn',
    reason: 'string',
    amount: { amount: fundsIn, currency: 'USD' },
    extensionList: { extension: [{ key: 'string', value: 'string' }] },
  };
  assert.equal(
    (await call('POST', `/participants/${name}/accounts/${account.id}`, deposit)).status,
    202,
  );
  const endpoint = {
    type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
    value: `http://${name}.test/transfers/{{transferId}}`,
  };
  assert.equal((await call('POST', `/participants/${name}/endpoints`, endpoint)).status, 201);
}

// DESIGN.md §7 invariant 1 over the Admin API's own numbers.
async function usdSum(call: Call): Promise<number> {
  let sum = 0;
  for (const name of ['Hub', 'payerfsp', 'payeefsp']) {
    const res = await call('GET', `/participants/${name}/accounts?currency=USD`);
    for (const a of res.body) sum += a.value;
  }
  return sum;
}

describe('Admin API: golden-path onboarding', () => {
  it('onboards a hub and two DFSPs and keeps USD balances summing to zero', async () => {
    const { call, runtime } = setup();
    await onboardHub(call);
    await onboardDfsp(call, 'payerfsp', '5000');
    await onboardDfsp(call, 'payeefsp', '5000.5');

    const accounts = await call('GET', '/participants/payerfsp/accounts');
    assert.equal(accounts.status, 200);
    assert.deepEqual(
      accounts.body.map((a: Record<string, unknown>) => [a.ledgerAccountType, a.isActive, a.value]),
      [
        ['POSITION', 1, 0],
        ['SETTLEMENT', 1, -5000],
      ],
    );
    const hubAccounts = await call('GET', '/participants/Hub/accounts');
    assert.deepEqual(
      hubAccounts.body.map((a: Record<string, unknown>) => [a.id, a.ledgerAccountType, a.value]),
      [
        [101, 'HUB_MULTILATERAL_SETTLEMENT', 0],
        [102, 'HUB_RECONCILIATION', 10000.5],
      ],
    );
    assert.equal(await usdSum(call), 0);
    const recorded = runtime.events.filter((e) => e.ref.type === 'transfer').map((e) => e.event);
    assert.deepEqual((recorded[0] as Record<string, unknown>).state, 'COMMITTED');
    assert.deepEqual((recorded[0] as Record<string, unknown>).payeeFsp, 'Hub');

    const endpoints = await call('GET', '/participants/payerfsp/endpoints');
    assert.deepEqual(endpoints.body, [
      {
        type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
        value: 'http://payerfsp.test/transfers/{{transferId}}',
      },
    ]);
    assert.deepEqual(runtime.lookup('participant', 'payerfsp'), {
      name: 'payerfsp',
      isActive: true,
      currencies: { USD: { positionAccountActive: true } },
      endpoints: {
        FSPIOP_CALLBACK_URL_TRANSFER_PUT: 'http://payerfsp.test/transfers/{{transferId}}',
      },
    });
  });

  it('reserves, commits and aborts funds out as TTK expects', async () => {
    const { call } = setup();
    await onboardHub(call);
    await onboardDfsp(call, 'payerfsp', '5000');
    await onboardDfsp(call, 'payeefsp', '100');
    const account = await settlementAccount(call, 'payerfsp');
    const out = (transferId: string, amount: string) => ({
      transferId,
      externalReference: 'string',
      action: 'recordFundsOutPrepareReserve',
      reason: 'string',
      amount: { amount, currency: 'USD' },
    });
    const path = `/participants/payerfsp/accounts/${account.id}`;
    const id = '01J8Z6Q5XK3M2N4P6R8T0V2W4Y';
    assert.equal((await call('POST', path, out(id, '10'))).status, 202);
    assert.equal((await settlementAccount(call, 'payerfsp')).value, -4990);
    const commit = { action: 'recordFundsOutCommit', reason: 'r' };
    assert.equal((await call('PUT', `${path}/transfers/${id}`, commit)).status, 202);
    assert.equal((await settlementAccount(call, 'payerfsp')).value, -4990);
    assert.equal(await usdSum(call), 0);
    assert.equal((await call('PUT', `${path}/transfers/${id}`, commit)).status, 202);

    const abortId = '01J8Z6Q5XK3M2N4P6R8T0V2W4Z';
    assert.equal((await call('POST', path, out(abortId, '10'))).status, 202);
    const abort = { action: 'recordFundsOutAbort', reason: 'r' };
    assert.equal((await call('PUT', `${path}/transfers/${abortId}`, abort)).status, 202);
    assert.equal((await settlementAccount(call, 'payerfsp')).value, -4990);
    assert.equal(await usdSum(call), 0);

    const tooMuch = await call('POST', path, out('01J8Z6Q5XK3M2N4P6R8T0V2W50', '5000'));
    assert.equal(tooMuch.status, 400);
    assert.equal(tooMuch.body.errorInformation.errorCode, '4001');
  });

  it('answers limits, positions and participants in central-ledger shapes', async () => {
    const { call } = setup();
    await onboardHub(call);
    await onboardDfsp(call, 'payerfsp', '5000');
    const limits = await call('GET', '/participants/limits');
    assert.deepEqual(limits.body, [
      {
        name: 'payerfsp',
        currency: 'USD',
        limit: { type: 'NET_DEBIT_CAP', value: 1000000, alarmPercentage: 10 },
      },
    ]);
    const adjusted = await call('PUT', '/participants/payerfsp/limits', {
      currency: 'USD',
      limit: { type: 'NET_DEBIT_CAP', value: 500, alarmPercentage: 20 },
    });
    assert.deepEqual(adjusted, {
      status: 200,
      body: { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 500, alarmPercentage: 20 } },
    });
    const positions = await call('GET', '/participants/payerfsp/positions');
    assert.deepEqual(
      positions.body.map((p: Record<string, unknown>) => [p.currency, p.value]),
      [['USD', 0]],
    );
    const one = await call('GET', '/participants/payerfsp');
    assert.equal(one.body.name, 'payerfsp');
    assert.equal(one.body.links.self, 'http://admin.test/participants/payerfsp');
    const list = await call('GET', '/participants');
    assert.deepEqual(
      list.body.map((p: { name: string }) => p.name),
      ['Hub', 'payerfsp'],
    );
    const off = await call('PUT', '/participants/payerfsp', { isActive: false });
    assert.deepEqual([off.status, off.body.isActive], [200, 0]);
    const positionId = one.body.accounts[0].id;
    const acc = await call('PUT', `/participants/payerfsp/accounts/${positionId}`, {
      isActive: false,
    });
    assert.equal(acc.status, 200);
    const models = await call('GET', '/settlementModels/DEFAULTDEFERREDNET');
    assert.deepEqual([models.body.settlementModelId, models.body.currency], [1, null]);
    const put = await call('PUT', '/settlementModels/DEFAULTDEFERREDNET', { isActive: false });
    assert.deepEqual([put.status, put.body.isActive], [200, false]);
    assert.equal((await call('GET', '/health')).body.status, 'OK');
    assert.equal((await call('GET', '/ledgerAccountTypes')).body.length, 6);
  });
});

describe('Admin API: errors', () => {
  it('answers each error with its Mojaloop code and status, changing nothing', async () => {
    const { call } = setup();
    const code = (r: { status: number; body: { errorInformation: { errorCode: string } } }) => [
      r.status,
      r.body.errorInformation.errorCode,
    ];
    assert.deepEqual(code(await call('GET', '/nowhere')), [404, '3002']);
    assert.deepEqual(code(await call('POST', '/participants', '{bad json')), [400, '3101']);
    assert.deepEqual(code(await call('POST', '/participants', { currency: 'USD' })), [400, '3102']);
    assert.deepEqual(code(await call('POST', '/participants', { name: 'a!', currency: 'USD' })), [
      400,
      '3101',
    ]);
    const noHub = await call('POST', '/participants', { name: 'dfsp1', currency: 'USD' });
    assert.deepEqual(code(noHub), [400, '3003']);
    assert.deepEqual(code(await call('GET', '/participants/dfsp1')), [400, '3200']);
    for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
      await call('POST', '/participants/Hub/accounts', { type, currency: 'USD' });
    }
    const again = await call('POST', '/participants/Hub/accounts', {
      type: 'HUB_RECONCILIATION',
      currency: 'USD',
    });
    assert.deepEqual(code(again), [400, '3003']);
    const noModel = await call('POST', '/participants', { name: 'dfsp1', currency: 'USD' });
    assert.deepEqual(code(noModel), [400, '6000']);
    const badCombo = await call('POST', '/settlementModels', {
      name: 'BAD',
      settlementGranularity: 'NET',
      settlementInterchange: 'MULTILATERAL',
      settlementDelay: 'IMMEDIATE',
      requireLiquidityCheck: false,
      ledgerAccountType: 'POSITION',
      autoPositionReset: true,
    });
    assert.deepEqual(code(badCombo), [400, '3000']);
    assert.deepEqual((await call('GET', '/settlementModels')).body, []);
    const model = {
      ...JSON.parse(JSON.stringify({})),
      name: 'GROSS',
      settlementGranularity: 'GROSS',
      settlementInterchange: 'BILATERAL',
      settlementDelay: 'IMMEDIATE',
      requireLiquidityCheck: true,
      ledgerAccountType: 'POSITION',
      autoPositionReset: false,
    };
    assert.equal((await call('POST', '/settlementModels', model)).status, 201);
    assert.deepEqual(code(await call('POST', '/settlementModels', model)), [400, '3000']);
    assert.equal(
      (await call('POST', '/participants', { name: 'dfsp1', currency: 'USD' })).status,
      201,
    );
    const dup = await call('POST', '/participants', { name: 'dfsp1', currency: 'USD' });
    assert.deepEqual(code(dup), [400, '3000']);
    assert.match(dup.body.errorInformation.errorDescription, /already been registered/);
    const limits = { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 10 } };
    assert.equal(
      (await call('POST', '/participants/dfsp1/initialPositionAndLimits', limits)).status,
      201,
    );
    const twice = await call('POST', '/participants/dfsp1/initialPositionAndLimits', limits);
    assert.deepEqual(code(twice), [500, '2001']);
    assert.match(twice.body.errorInformation.errorDescription, /already set/);
  });

  it('requires the bearer token when one is configured, except for /health', async () => {
    const { call } = setup('s3cret');
    assert.equal((await call('GET', '/participants')).status, 401);
    assert.equal((await call('GET', '/health')).status, 200);
    const ok = await call('GET', '/participants', undefined, { authorization: 'Bearer s3cret' });
    assert.equal(ok.status, 200);
  });
});
