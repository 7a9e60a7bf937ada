// Admin API errors over real sockets (issue 3, items 6 and 7), on a switch started with
// ADMIN_TOKEN: every request but /health needs the operator's bearer, and every refusal answers
// central-ledger's status and code (3000 duplicate, 3003 hub accounts, 3200 unknown participant,
// 3100/3101/3102 bodies, 3002 unknown path). A refused request changes nothing: the whole Admin
// read-back is identical before and after each batch. Last, which participant names are taken
// (the golden path's e2e-sim-fxp1) and which refused.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type AdminRequest,
  accountOf,
  adminSnapshot,
  errorOf,
  expectStatus,
  fundsInBody,
  httpAdmin,
  provisionDfsp,
  provisionHub,
  ttkSettlementModels,
} from '../helpers/admin-client.ts';
import {
  freshDatabase,
  type NatsServer,
  startNats,
  type TestDatabase,
} from '../helpers/services.ts';
import { type RunningSwitch, startSwitch } from '../helpers/switch.ts';

const TOKEN = 'operator-token-0123456789';
const NAMES = ['Hub', 'dfsp1'];
let nats: NatsServer;
let db: TestDatabase;
let sw: RunningSwitch;
let admin: AdminRequest;
let settlementId = 0;

before(async () => {
  nats = await startNats();
  db = await freshDatabase();
  sw = await startSwitch({ natsUrl: nats.url, databaseUrl: db.url, env: { ADMIN_TOKEN: TOKEN } });
  admin = httpAdmin(sw.adminUrl, { token: TOKEN });
  const email = 'ops@example.test';
  await provisionHub(admin, {
    hubName: 'Hub',
    currencies: ['USD'],
    cgsCurrency: 'USD',
    oracleBase: 'http://oracle.test',
    email,
  });
  settlementId = await provisionDfsp(admin, {
    name: 'dfsp1',
    currency: 'USD',
    netDebitCap: 1000,
    fundsIn: '100',
    fundsInTransferId: randomUUID(),
    endpointBase: 'http://dfsp1.test',
    email,
  });
});

after(async () => {
  await sw?.stop();
  await nats?.stop();
  await db?.drop();
});

type Case = readonly [method: string, path: string, body: unknown, status: number, code: string];

/** Runs each case; answers the ones whose [status, code] differ, with what came back. */
async function mismatches(cases: readonly Case[], request = admin): Promise<string[]> {
  const wrong: string[] = [];
  for (const [method, path, body, status, code] of cases) {
    const answer = await request(method, path, body);
    const [gotStatus, gotCode] = errorOf(answer);
    if (gotStatus !== status || gotCode !== code) {
      wrong.push(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  }
  return wrong;
}

async function unchangedBy(run: () => Promise<void>): Promise<void> {
  const before = await adminSnapshot(admin, NAMES);
  await run();
  assert.deepEqual(await adminSnapshot(admin, NAMES), before);
}

const NO_HUB_RECONCILIATION =
  'Hub reconciliation account for the specified currency does not exist';
const limits = { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 10 } };
const model = ttkSettlementModels('USD')[1];

describe('Admin API over HTTP: operator authentication', () => {
  it('answers 401 without the bearer token, or with a wrong one, except on /health', async () => {
    const anonymous = httpAdmin(sw.adminUrl);
    const impostor = httpAdmin(sw.adminUrl, { token: `${TOKEN}x` });
    const guarded: Case[] = [
      ['GET', '/participants', undefined, 401, '3000'],
      ['GET', '/participants/dfsp1/accounts', undefined, 401, '3000'],
      ['POST', '/participants', { name: 'intruder', currency: 'USD' }, 401, '3000'],
      ['PUT', '/participants/dfsp1', { isActive: false }, 401, '3000'],
      [
        'POST',
        `/participants/dfsp1/accounts/${settlementId}`,
        fundsInBody(randomUUID(), '1', 'USD'),
        401,
        '3000',
      ],
      ['POST', '/participants/dfsp1/endpoints', { type: 'X', value: 'http://evil' }, 401, '3000'],
      ['PUT', '/participants/dfsp1/limits', limits, 401, '3000'],
      ['POST', '/settlementModels', { ...model, name: 'INTRUDER' }, 401, '3000'],
      [
        'POST',
        '/oracles',
        { oracleIdType: 'IBAN', endpoint: { value: 'http://evil', endpointType: 'URL' } },
        401,
        '3000',
      ],
      ['GET', '/nowhere', undefined, 401, '3000'],
    ];
    await unchangedBy(async () => {
      assert.deepEqual(await mismatches(guarded, anonymous), []);
      assert.deepEqual(await mismatches(guarded, impostor), []);
    });
    const health = await anonymous('GET', '/health');
    assert.deepEqual([health.status, health.body.status], [200, 'OK']);
  });
});

describe('Admin API over HTTP: refusals change nothing', () => {
  it('answers malformed and invalid bodies with 3101, 3102 and 3100', async () => {
    const funds = `/participants/dfsp1/accounts/${settlementId}`;
    const deposit = fundsInBody(randomUUID(), '1', 'USD');
    const cases: Case[] = [
      ['POST', '/participants', '{"name": "dfsp2",', 400, '3101'],
      ['POST', '/participants', { currency: 'USD' }, 400, '3102'],
      ['POST', '/participants', { name: 'dfsp 2', currency: 'USD' }, 400, '3101'],
      ['POST', '/participants', { name: 'dfsp2', currency: 'usd' }, 400, '3101'],
      ['POST', '/participants', { name: 'dfsp2', currency: 'USD', isProxy: 'yes' }, 400, '3101'],
      ['PUT', '/participants/dfsp1', { isActive: 'false' }, 400, '3101'],
      ['PUT', '/participants/dfsp1', {}, 400, '3102'],
      ['POST', '/participants/Hub/accounts', { currency: 'EUR' }, 400, '3102'],
      [
        'POST',
        '/participants/dfsp1/endpoints',
        { type: 'FSPIOP_CALLBACK_URL_QUOTES' },
        400,
        '3102',
      ],
      ['POST', '/participants/dfsp1/endpoints', 'not json', 400, '3101'],
      ['PUT', '/participants/dfsp1/limits', { currency: 'USD' }, 400, '3102'],
      [
        'PUT',
        '/participants/dfsp1/limits',
        { ...limits, limit: { type: 'NDC', value: 1 } },
        400,
        '3101',
      ],
      [
        'PUT',
        '/participants/dfsp1/limits',
        { ...limits, limit: { type: 'NET_DEBIT_CAP', value: -1 } },
        400,
        '3100',
      ],
      [
        'PUT',
        '/participants/dfsp1/limits',
        { ...limits, limit: { type: 'NET_DEBIT_CAP', value: 1, alarmPercentage: 101 } },
        400,
        '3100',
      ],
      ['POST', funds, { ...deposit, transferId: 'not-a-uuid' }, 400, '3101'],
      ['POST', funds, { ...deposit, action: 'recordFundsOutCommit' }, 400, '3101'],
      ['POST', funds, { ...deposit, amount: { amount: '0', currency: 'USD' } }, 400, '3100'],
      ['POST', funds, { ...deposit, amount: { amount: '-5', currency: 'USD' } }, 400, '3100'],
      ['POST', funds, { ...deposit, amount: { amount: '1.00001', currency: 'USD' } }, 400, '3101'],
      ['POST', funds, { ...deposit, amount: { amount: 'ten', currency: 'USD' } }, 400, '3101'],
      ['POST', funds, { ...deposit, amount: { amount: '1', currency: 'EUR' } }, 400, '3100'],
      ['POST', '/participants/dfsp1/accounts/abc', deposit, 400, '3101'],
      ['POST', `/participants/dfsp1/accounts/${settlementId - 1}`, deposit, 400, '3100'],
      ['PUT', `${funds}/transfers/${randomUUID()}`, { action: 'recordFundsIn' }, 400, '3101'],
      ['POST', '/settlementModels', { ...model, settlementDelay: 'LATER' }, 400, '3101'],
      ['POST', '/settlementModels', { ...model, requireLiquidityCheck: undefined }, 400, '3102'],
      [
        'POST',
        '/oracles',
        { oracleIdType: 'NOPE', endpoint: { value: 'x', endpointType: 'URL' } },
        400,
        '3100',
      ],
    ];
    await unchangedBy(async () => assert.deepEqual(await mismatches(cases), []));
  });

  it('answers duplicates, missing hub accounts and unknown names as central-ledger', async () => {
    const funds = (name: string) => `/participants/${name}/accounts/${settlementId}`;
    const cases: Case[] = [
      ['POST', '/participants', { name: 'dfsp1', currency: 'USD' }, 400, '3000'],
      ['POST', '/participants', { name: 'dfsp2', currency: 'EUR' }, 400, '3003'],
      ['POST', '/participants', { name: 'dfsp1', currency: 'EUR' }, 400, '3003'],
      [
        'POST',
        '/participants/Hub/accounts',
        { type: 'HUB_RECONCILIATION', currency: 'USD' },
        400,
        '3003',
      ],
      [
        'POST',
        '/participants/dfsp1/accounts',
        { type: 'HUB_RECONCILIATION', currency: 'USD' },
        400,
        '3003',
      ],
      ['POST', '/participants/Hub/accounts', { type: 'POSITION', currency: 'EUR' }, 400, '3003'],
      ['POST', '/settlementModels', model, 400, '3000'],
      ['POST', '/settlementModels', { ...model, name: 'EURMODEL', currency: 'EUR' }, 400, '3003'],
      [
        'POST',
        '/settlementModels',
        { ...model, name: 'IMMNET', settlementDelay: 'IMMEDIATE' },
        400,
        '3000',
      ],
      ['POST', '/participants/dfsp1/initialPositionAndLimits', limits, 500, '2001'],
      ['GET', '/participants/ghost', undefined, 400, '3200'],
      ['GET', '/participants/ghost/accounts', undefined, 400, '3200'],
      ['GET', '/participants/ghost/positions', undefined, 400, '3200'],
      ['GET', '/participants/ghost/limits', undefined, 400, '3200'],
      ['GET', '/participants/ghost/endpoints', undefined, 400, '3200'],
      ['PUT', '/participants/ghost', { isActive: false }, 400, '3200'],
      ['PUT', '/participants/ghost/limits', limits, 400, '3200'],
      ['POST', '/participants/ghost/initialPositionAndLimits', limits, 400, '3200'],
      ['POST', '/participants/ghost/endpoints', { type: 'X', value: 'http://x' }, 400, '3200'],
      ['PUT', `/participants/ghost/accounts/${settlementId}`, { isActive: false }, 400, '3200'],
      ['POST', funds('ghost'), fundsInBody(randomUUID(), '1', 'USD'), 400, '3200'],
      ['GET', '/settlementModels/GHOST', undefined, 400, '3200'],
      ['GET', '/nowhere', undefined, 404, '3002'],
      ['DELETE', '/participants/dfsp1', undefined, 404, '3002'],
      ['POST', '/participants/dfsp1/accounts/1/transfers', {}, 404, '3002'],
    ];
    await unchangedBy(async () => assert.deepEqual(await mismatches(cases), []));
  });

  it('says why in central-ledger words', async () => {
    const duplicate = await admin('POST', '/participants', { name: 'dfsp1', currency: 'USD' });
    assert.deepEqual(duplicate.body.errorInformation, {
      errorCode: '3000',
      errorDescription: 'Generic client error - Participant currency has already been registered',
    });
    const noHub = await admin('POST', '/participants', { name: 'dfsp2', currency: 'EUR' });
    assert.deepEqual(noHub.body.errorInformation, {
      errorCode: '3003',
      errorDescription: `Add Party information error - ${NO_HUB_RECONCILIATION}`,
    });
    const ghost = await admin('GET', '/participants/ghost');
    assert.deepEqual(ghost.body.errorInformation, {
      errorCode: '3200',
      errorDescription: 'Generic ID not found - Participant ghost does not exist',
    });
    const settlement = await accountOf(admin, 'dfsp1', {
      ledgerAccountType: 'SETTLEMENT',
      currency: 'USD',
    });
    assert.equal(settlement.value, -100);
  });
});

// Last: it adds a participant (and moves the hub's balances), which the snapshots above leave out.
describe('Admin API over HTTP: participant names', () => {
  it("onboards participants named like the golden path's e2e-sim-fxp1", async () => {
    await provisionDfsp(admin, {
      name: 'e2e-sim-fxp1',
      currency: 'USD',
      netDebitCap: 1000,
      fundsIn: '10',
      fundsInTransferId: randomUUID(),
      endpointBase: 'http://e2e-sim-fxp1.test',
      email: 'ops@e2e-sim-fxp1.test',
    });
    const created = await expectStatus(admin, 200, 'GET', '/participants/e2e-sim-fxp1');
    assert.equal(created.name, 'e2e-sim-fxp1');
    assert.equal(created.isActive, 1);
    for (const name of ['-e2e', 'e2e-', 'e2e sim', 'e2e/sim', 'x']) {
      const refused = await admin('POST', '/participants', { name, currency: 'USD' });
      assert.equal(refused.status, 400, name);
      assert.equal(refused.body.errorInformation.errorCode, '3101', name);
    }
  });
});
