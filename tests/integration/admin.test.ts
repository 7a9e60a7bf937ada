// The Admin API over real sockets (issue 3, items 1-4): a running mkondo on real NATS and
// PostgreSQL is provisioned exactly as the TTK golden-path provisioning does it (hub accounts ->
// hub e-mails -> settlement models -> oracles -> participant -> initialPositionAndLimits -> funds
// in -> endpoints), and every route's status and body is compared with central-ledger's shapes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type AdminRequest,
  accountsOf,
  currencySumMinor,
  expectStatus,
  fundsInBody,
  httpAdmin,
  NOTIFICATION_EMAILS,
  provisionDfsp,
  ttkEndpoints,
  ttkOracles,
  ttkSettlementModels,
  withoutDates,
} from '../helpers/admin-client.ts';
import {
  freshDatabase,
  type NatsServer,
  startNats,
  type TestDatabase,
} from '../helpers/services.ts';
import { type RunningSwitch, startSwitch } from '../helpers/switch.ts';

let nats: NatsServer;
let db: TestDatabase;
let sw: RunningSwitch;
let admin: AdminRequest;

before(async () => {
  nats = await startNats();
  db = await freshDatabase();
  sw = await startSwitch({ natsUrl: nats.url, databaseUrl: db.url });
  admin = httpAdmin(sw.adminUrl);
});

after(async () => {
  await sw?.stop();
  await nats?.stop();
  await db?.drop();
});

const D = '<date>';
const link = (name: string) => `${sw.adminUrl}/participants/${name}`;
const account = (id: number, ledgerAccountType: string, currency: string, isActive: 0 | 1) => ({
  id,
  ledgerAccountType,
  currency,
  isActive,
  createdDate: D,
  createdBy: 'unknown',
});
const participant = (name: string, accounts: unknown[]) => ({
  name,
  id: link(name),
  created: D,
  isActive: 1,
  links: { self: link(name) },
  accounts,
  isProxy: 0,
});
const balance = (id: number, type: string, currency: string, value: number) => ({
  id,
  ledgerAccountType: type,
  currency,
  isActive: 1,
  value,
  reservedValue: 0,
  changedDate: D,
});
/** GET .../endpoints answers in type order (gateway/admin/views.ts endpointViews). */
const byType = <T extends { type: string }>(list: readonly T[]) =>
  [...list].sort((a, b) => (a.type < b.type ? -1 : 1));
const get = async (path: string) => withoutDates(await expectStatus(admin, 200, 'GET', path));

describe('Admin API over HTTP: MojaloopHub_Setup', () => {
  it('shows the seeded hub, then answers each hub account with the hub participant', async () => {
    assert.deepEqual(await get('/participants'), [participant('Hub', [])]);
    assert.deepEqual(await get('/participants/Hub/accounts'), []);
    const first = await admin('POST', '/participants/Hub/accounts', {
      type: 'HUB_MULTILATERAL_SETTLEMENT',
      currency: 'USD',
    });
    assert.equal(first.status, 201);
    const second = await admin('POST', '/participants/Hub/accounts', {
      type: 'HUB_RECONCILIATION',
      currency: 'USD',
    });
    assert.deepEqual(
      [second.status, withoutDates(second.body)],
      [
        201,
        participant('Hub', [
          account(101, 'HUB_MULTILATERAL_SETTLEMENT', 'USD', 1),
          account(102, 'HUB_RECONCILIATION', 'USD', 1),
        ]),
      ],
    );
    for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
      await expectStatus(admin, 201, 'POST', '/participants/Hub/accounts', {
        type,
        currency: 'EUR',
      });
    }
    for (const type of NOTIFICATION_EMAILS) {
      const answer = await admin('POST', '/participants/Hub/endpoints', {
        type,
        value: 'hub@x.org',
      });
      assert.deepEqual(answer, { status: 201, body: undefined });
    }
    assert.deepEqual(await get('/participants/Hub/accounts'), [
      balance(101, 'HUB_MULTILATERAL_SETTLEMENT', 'USD', 0),
      balance(102, 'HUB_RECONCILIATION', 'USD', 0),
      balance(103, 'HUB_MULTILATERAL_SETTLEMENT', 'EUR', 0),
      balance(104, 'HUB_RECONCILIATION', 'EUR', 0),
    ]);
    assert.deepEqual(
      await get('/participants/Hub/endpoints'),
      byType(NOTIFICATION_EMAILS.map((type) => ({ type, value: 'hub@x.org' }))),
    );
  });

  it('creates the settlement models and oracles of the collection', async () => {
    const answers = [];
    for (const model of ttkSettlementModels('EUR')) {
      const { status, body } = await admin('POST', '/settlementModels', model);
      answers.push([model.name, status, body?.errorInformation?.errorCode]);
    }
    // DEFERREDNETXXX names currency XXX, which has no hub accounts (central-ledger: 3003).
    assert.deepEqual(answers, [
      ['DEFERREDNETXXX', 400, '3003'],
      ['DEFAULTDEFERREDNET', 201, undefined],
      ['CGS', 201, undefined],
      ['INTERCHANGEFEE', 201, undefined],
    ]);
    const model = (id: number, name: string, terms: Record<string, unknown>) => ({
      settlementModelId: id,
      name,
      isActive: true,
      settlementGranularity: 'NET',
      settlementInterchange: 'MULTILATERAL',
      settlementDelay: 'DEFERRED',
      currency: null,
      requireLiquidityCheck: false,
      ledgerAccountTypeId: 'POSITION',
      ledgerAccountType: 'POSITION',
      settlementAccountType: 'SETTLEMENT',
      autoPositionReset: true,
      ...terms,
    });
    const cgs = model(2, 'CGS', {
      settlementGranularity: 'GROSS',
      settlementInterchange: 'BILATERAL',
      settlementDelay: 'IMMEDIATE',
      currency: 'EUR',
      autoPositionReset: false,
    });
    const fee = model(3, 'INTERCHANGEFEE', {
      currency: 'EUR',
      ledgerAccountTypeId: 'INTERCHANGE_FEE',
      ledgerAccountType: 'INTERCHANGE_FEE',
      settlementAccountType: 'INTERCHANGE_FEE_SETTLEMENT',
    });
    assert.deepEqual(await get('/settlementModels'), [
      model(1, 'DEFAULTDEFERREDNET', {}),
      cgs,
      fee,
    ]);
    assert.deepEqual(await get('/settlementModels/CGS'), cgs);

    for (const oracle of ttkOracles('USD', 'http://sim.test')) {
      assert.deepEqual(await admin('POST', '/oracles', oracle), { status: 201, body: undefined });
    }
    assert.deepEqual(await get('/oracles?type=MSISDN'), [
      { oracleId: '1', ...ttkOracles('USD', 'http://sim.test')[0], external: false },
    ]);
    assert.equal((await get('/oracles')).length, 3);
  });
});

describe('Admin API over HTTP: MojaloopSims_Onboarding', () => {
  it('onboards payerfsp step by step with central-ledger answers', async () => {
    const created = await admin('POST', '/participants', { name: 'payerfsp', currency: 'USD' });
    assert.equal(created.status, 201);
    const [position, settlement] = created.body.accounts.map((a: { id: number }) => a.id);
    assert.equal(settlement, position + 1);
    assert.equal(position % 100, 1, 'account ids are participantId * 100 + sequence');
    assert.deepEqual(
      withoutDates(created.body),
      participant('payerfsp', [
        account(position, 'POSITION', 'USD', 0),
        account(settlement, 'SETTLEMENT', 'USD', 0),
      ]),
    );
    const limits = await admin('POST', '/participants/payerfsp/initialPositionAndLimits', {
      currency: 'USD',
      limit: { type: 'NET_DEBIT_CAP', value: 1000000 },
      initialPosition: 0,
    });
    assert.deepEqual(limits, { status: 201, body: undefined });
    const beforeDeposit = withoutDates(await accountsOf(admin, 'payerfsp'));
    assert.deepEqual(beforeDeposit, [
      balance(position, 'POSITION', 'USD', 0),
      balance(settlement, 'SETTLEMENT', 'USD', 0),
    ]);
    const deposit = fundsInBody('0190d7a8-0000-7000-8000-00000000a001', '5000', 'USD');
    const fundsIn = await admin('POST', `/participants/payerfsp/accounts/${settlement}`, deposit);
    assert.deepEqual(fundsIn, { status: 202, body: undefined });
    assert.deepEqual(withoutDates(await accountsOf(admin, 'payerfsp')), [
      balance(position, 'POSITION', 'USD', 0),
      balance(settlement, 'SETTLEMENT', 'USD', -5000),
    ]);
    const hub = await get('/participants/Hub/accounts');
    assert.deepEqual(hub[1], balance(102, 'HUB_RECONCILIATION', 'USD', 5000));
    const endpoints = ttkEndpoints('http://payerfsp.test', 'ops@payerfsp.test');
    for (const endpoint of endpoints) {
      const answer = await admin('POST', '/participants/payerfsp/endpoints', endpoint);
      assert.deepEqual(answer, { status: 201, body: undefined });
    }
    assert.deepEqual(await get('/participants/payerfsp/endpoints'), byType(endpoints));
    assert.deepEqual(
      await get('/participants/payerfsp/endpoints?type=FSPIOP_CALLBACK_URL_TRANSFER_PUT'),
      {
        type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
        value: 'http://payerfsp.test/transfers/{{transferId}}',
      },
    );
  });

  it('onboards payeefsp and answers the read routes of admin-api-tests', async () => {
    await provisionDfsp(admin, {
      name: 'payeefsp',
      currency: 'USD',
      netDebitCap: 1000000,
      fundsIn: '5000.5',
      fundsInTransferId: '0190d7a8-0000-7000-8000-00000000a002',
      endpointBase: 'http://payeefsp.test',
      email: 'ops@payeefsp.test',
    });
    const names = (await get('/participants')).map((p: { name: string }) => p.name);
    assert.deepEqual([...names].sort(), ['Hub', 'payeefsp', 'payerfsp']);
    const ndc = { type: 'NET_DEBIT_CAP', value: 1000000, alarmPercentage: 10 };
    assert.deepEqual(await get('/participants/limits'), [
      ...[
        { name: 'payeefsp', currency: 'USD', limit: ndc },
        { name: 'payerfsp', currency: 'USD', limit: ndc },
      ].sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name)),
    ]);
    assert.deepEqual(await get('/participants/payeefsp/limits'), [{ currency: 'USD', limit: ndc }]);
    assert.deepEqual(await get('/participants/limits?currency=EUR'), []);
    assert.equal((await get('/participants/limits?type=NET_DEBIT_CAP')).length, 2);
    assert.equal(await currencySumMinor(admin, ['Hub', 'payerfsp', 'payeefsp'], 'USD'), 0n);
    assert.deepEqual(await get('/participants/payeefsp/limits?currency=EUR'), []);
    assert.deepEqual(await get('/participants/payeefsp/positions'), [
      { currency: 'USD', value: 0, changedDate: D },
    ]);
    assert.deepEqual(await get('/participants/payeefsp/positions?currency=USD'), {
      currency: 'USD',
      value: 0,
      changedDate: D,
    });
    const hub = await get('/participants/Hub/accounts?currency=USD');
    assert.deepEqual(
      hub.map((a: { value: number }) => a.value),
      [0, 10000.5],
    );
    const types = await get('/ledgerAccountTypes');
    assert.deepEqual(
      types.map((t: { name: string; isSettleable: boolean }) => [t.name, t.isSettleable]),
      [
        ['POSITION', true],
        ['SETTLEMENT', false],
        ['HUB_RECONCILIATION', false],
        ['HUB_MULTILATERAL_SETTLEMENT', false],
        ['INTERCHANGE_FEE', true],
        ['INTERCHANGE_FEE_SETTLEMENT', false],
      ],
    );
    const health = await get('/health');
    assert.equal(health.status, 'OK');
  });

  it('adds a second currency with the accounts of its settlement models', async () => {
    const added = await admin('POST', '/participants', { name: 'payerfsp', currency: 'EUR' });
    assert.equal(added.status, 201);
    const eur = added.body.accounts.filter((a: { currency: string }) => a.currency === 'EUR');
    assert.deepEqual(
      eur.map((a: { ledgerAccountType: string; isActive: number }) => [
        a.ledgerAccountType,
        a.isActive,
      ]),
      [
        ['POSITION', 0],
        ['SETTLEMENT', 0],
        ['INTERCHANGE_FEE', 0],
        ['INTERCHANGE_FEE_SETTLEMENT', 0],
      ],
    );
    await expectStatus(admin, 201, 'POST', '/participants/payerfsp/initialPositionAndLimits', {
      currency: 'EUR',
      limit: { type: 'NET_DEBIT_CAP', value: 500.25, alarmPercentage: 20 },
    });
    assert.deepEqual(await get('/participants/payerfsp/limits?currency=EUR'), [
      { currency: 'EUR', limit: { type: 'NET_DEBIT_CAP', value: 500.25, alarmPercentage: 20 } },
    ]);
  });

  it('updates limits, participant and account activation, and settlement models', async () => {
    // As block_transfer.json sends it: numbers as text, which central-ledger's Joi converts.
    const asText = { type: 'NET_DEBIT_CAP', value: '4000.00', alarmPercentage: '10' };
    const textual = await admin('PUT', '/participants/payerfsp/limits', {
      currency: 'USD',
      limit: asText,
    });
    assert.equal(textual.status, 200);
    assert.deepEqual(await get('/participants/payerfsp/limits?currency=USD'), [
      { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 4000, alarmPercentage: 10 } },
    ]);
    const limit = { type: 'NET_DEBIT_CAP', value: 250000.5, alarmPercentage: 5 };
    const adjusted = await admin('PUT', '/participants/payerfsp/limits', {
      currency: 'USD',
      limit,
    });
    assert.deepEqual(adjusted, { status: 200, body: { currency: 'USD', limit } });

    const off = await admin('PUT', '/participants/payeefsp', { isActive: false });
    assert.deepEqual([off.status, off.body.isActive, off.body.name], [200, 0, 'payeefsp']);
    const on = await admin('PUT', '/participants/payeefsp', { isActive: true });
    assert.deepEqual([on.status, on.body.isActive], [200, 1]);

    const [position] = await accountsOf(admin, 'payeefsp');
    assert.equal(position?.ledgerAccountType, 'POSITION');
    const path = `/participants/payeefsp/accounts/${position?.id}`;
    assert.deepEqual(await admin('PUT', path, { isActive: false }), {
      status: 200,
      body: undefined,
    });
    assert.equal((await accountsOf(admin, 'payeefsp'))[0]?.isActive, 0);
    assert.deepEqual(await admin('PUT', path, { isActive: true }), {
      status: 200,
      body: undefined,
    });
    assert.equal((await accountsOf(admin, 'payeefsp'))[0]?.isActive, 1);

    const settlementPath = `/participants/payeefsp/accounts/${(position?.id ?? 0) + 1}`;
    const settlementOff = await admin('PUT', settlementPath, { isActive: false });
    assert.deepEqual(settlementOff.body.errorInformation, {
      errorCode: '3100',
      errorDescription: 'Generic validation error - Only position account update is permitted',
    });

    await expectStatus(admin, 200, 'PUT', '/participants/payeefsp', { isActive: false });
    const deposit = fundsInBody('0190d7a8-0000-7000-8000-00000000a003', '1', 'USD');
    const refused = await admin('POST', settlementPath, deposit);
    assert.deepEqual(refused.body.errorInformation, {
      errorCode: '3100',
      errorDescription: 'Generic validation error - Participant is currently set inactive',
    });
    await expectStatus(admin, 200, 'PUT', '/participants/payeefsp', { isActive: true });
    assert.equal(await currencySumMinor(admin, ['Hub', 'payerfsp', 'payeefsp'], 'USD'), 0n);

    const model = await admin('PUT', '/settlementModels/CGS', { isActive: false });
    assert.deepEqual([model.status, model.body.name, model.body.isActive], [200, 'CGS', false]);
    assert.equal((await get('/settlementModels/CGS')).isActive, false);
    await expectStatus(admin, 200, 'PUT', '/settlementModels/CGS', { isActive: true });
  });
  it('gives settlement models created concurrently distinct ids', async () => {
    const [, base] = ttkSettlementModels('USD');
    const names = ['CONCURRENTA', 'CONCURRENTB', 'CONCURRENTC'];
    const answers = await Promise.all(
      names.map((name) => admin('POST', '/settlementModels', { ...base, name, currency: 'USD' })),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201, 201],
    );
    const ids = (await get('/settlementModels'))
      .filter((m: { name: string }) => names.includes(m.name))
      .map((m: { settlementModelId: number }) => m.settlementModelId)
      .sort();
    assert.deepEqual(ids, [4, 5, 6]);
  });
});
