// Funds in and out through the Admin API over real sockets (issue 3, item 4), as the TTK
// feature_tests/funds_in and funds_out assert them: SETTLEMENT and HUB_RECONCILIATION balances,
// the hub transfer each movement leaves (GET /transfers/{id} answers the DFSP with a callback),
// DESIGN.md §7 invariant 1 after every step, refusals that change nothing, concurrency, and a
// restart of the switch that must keep every participant, account, limit, endpoint and balance.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type AdminRequest,
  accountOf,
  adminSnapshot,
  currencySumMinor,
  errorOf,
  expectStatus,
  fundsInBody,
  fundsOutBody,
  fundsOutFinishBody,
  httpAdmin,
  minorOf,
  provisionDfsp,
  provisionHub,
} from '../helpers/admin-client.ts';
import { DfspSim } from '../helpers/dfsp-sim.ts';
import { fspiop } from '../helpers/fspiop-client.ts';
import {
  freshDatabase,
  type NatsServer,
  startNats,
  type TestDatabase,
} from '../helpers/services.ts';
import { type RunningSwitch, startSwitch } from '../helpers/switch.ts';

const NAMES = ['Hub', 'payerfsp', 'payeefsp'];
let nats: NatsServer;
let db: TestDatabase;
let sw: RunningSwitch;
let admin: AdminRequest;
const sim = new DfspSim({ name: 'payerfsp' });
let settlementId = 0;

before(async () => {
  nats = await startNats();
  db = await freshDatabase();
  sw = await startSwitch({ natsUrl: nats.url, databaseUrl: db.url });
  admin = httpAdmin(sw.adminUrl);
  const email = 'ops@example.test';
  const hub = { hubName: 'Hub', currencies: ['USD', 'EUR'], cgsCurrency: 'EUR', email };
  await provisionHub(admin, { ...hub, oracleBase: 'http://oracle.test' });
  const dfsp = { currency: 'USD', netDebitCap: 1000000, email };
  settlementId = await provisionDfsp(admin, {
    ...dfsp,
    name: 'payerfsp',
    fundsIn: '5000',
    fundsInTransferId: randomUUID(),
    endpointBase: await sim.start(),
  });
  await provisionDfsp(admin, {
    ...dfsp,
    name: 'payeefsp',
    fundsIn: '100',
    fundsInTransferId: randomUUID(),
    endpointBase: 'http://payeefsp.test',
  });
});

after(async () => {
  await sw?.stop();
  await sim.stop();
  await nats?.stop();
  await db?.drop();
});

const accountPath = () => `/participants/payerfsp/accounts/${settlementId}`;
const settlement = async () =>
  (await accountOf(admin, 'payerfsp', { ledgerAccountType: 'SETTLEMENT', currency: 'USD' })).value;
const reconciliation = async () =>
  (await accountOf(admin, 'Hub', { ledgerAccountType: 'HUB_RECONCILIATION', currency: 'USD' }))
    .value;
const usdSum = () => currencySumMinor(admin, NAMES, 'USD');
const balances = async () => [await settlement(), await reconciliation(), await usdSum()];

/** GET /transfers/{id} as payerfsp: 202, then the hub's PUT callback carries the state. */
async function hubTransferState(transferId: string): Promise<unknown> {
  const path = `/transfers/${transferId}`;
  sim.received.length = 0;
  const answer = await fspiop(sw.fspiopUrl, {
    method: 'GET',
    path,
    source: 'payerfsp',
    destination: 'Hub',
  });
  assert.equal(answer.status, 202);
  const callback = await sim.waitFor((r) => r.method === 'PUT' && r.path === path);
  assert.equal(callback.headers['fspiop-source'], 'Hub');
  assert.equal(callback.headers['fspiop-destination'], 'payerfsp');
  return (callback.body as { transferState?: string }).transferState;
}

describe('Admin API over HTTP: funds in and out', () => {
  it('records funds in as a committed hub transfer and conserves USD', async () => {
    assert.deepEqual(await balances(), [-5000, 5100, 0n]);
    const transferId = randomUUID();
    const answer = await admin('POST', accountPath(), fundsInBody(transferId, '0.0001', 'USD'));
    assert.deepEqual(answer, { status: 202, body: undefined });
    assert.deepEqual(await balances(), [-5000.0001, 5100.0001, 0n]);
    // The same transferId again is a no-op (idempotent by transferId).
    await expectStatus(admin, 202, 'POST', accountPath(), fundsInBody(transferId, '0.0001', 'USD'));
    assert.deepEqual(await balances(), [-5000.0001, 5100.0001, 0n]);
    assert.equal(await hubTransferState(transferId), 'COMMITTED');
  });

  it('reserves then commits a funds out: DFSP at reserve, hub at commit', async () => {
    const transferId = randomUUID();
    const reserve = await admin('POST', accountPath(), fundsOutBody(transferId, '10', 'USD'));
    assert.deepEqual(reserve, { status: 202, body: undefined });
    // In flight, the reservation is on the DFSP's side only (central-ledger's convention).
    assert.deepEqual(await balances(), [-4990.0001, 5100.0001, 100000n]);
    assert.equal(await hubTransferState(transferId), 'RESERVED');
    const path = `${accountPath()}/transfers/${transferId}`;
    const commit = await admin('PUT', path, fundsOutFinishBody('recordFundsOutCommit'));
    assert.deepEqual(commit, { status: 202, body: undefined });
    assert.deepEqual(await balances(), [-4990.0001, 5090.0001, 0n]);
    assert.equal(await hubTransferState(transferId), 'COMMITTED');
    await expectStatus(admin, 202, 'PUT', path, fundsOutFinishBody('recordFundsOutCommit'));
    const abort = await admin('PUT', path, fundsOutFinishBody('recordFundsOutAbort'));
    assert.deepEqual(errorOf(abort), [400, '3000']);
    assert.deepEqual(await balances(), [-4990.0001, 5090.0001, 0n]);
  });

  it('reserves then aborts a funds out: everything rolls back', async () => {
    const transferId = randomUUID();
    await expectStatus(admin, 202, 'POST', accountPath(), fundsOutBody(transferId, '20.5', 'USD'));
    assert.deepEqual(await balances(), [-4969.5001, 5090.0001, 205000n]);
    const path = `${accountPath()}/transfers/${transferId}`;
    const abort = await admin('PUT', path, fundsOutFinishBody('recordFundsOutAbort'));
    assert.deepEqual(abort, { status: 202, body: undefined });
    assert.deepEqual(await balances(), [-4990.0001, 5090.0001, 0n]);
    assert.equal(await hubTransferState(transferId), 'ABORTED');
    const unknown = `${accountPath()}/transfers/${randomUUID()}`;
    const nothing = await admin('PUT', unknown, fundsOutFinishBody('recordFundsOutCommit'));
    assert.deepEqual(errorOf(nothing), [400, '3208']);
  });

  it('refuses a funds out beyond the settlement balance and changes nothing', async () => {
    const before = await adminSnapshot(admin, NAMES);
    const tooMuch = await admin(
      'POST',
      accountPath(),
      fundsOutBody(randomUUID(), '4990.0002', 'USD'),
    );
    assert.deepEqual(errorOf(tooMuch), [400, '4001']);
    const held = randomUUID();
    await expectStatus(admin, 202, 'POST', accountPath(), fundsOutBody(held, '4000', 'USD'));
    const second = await admin(
      'POST',
      accountPath(),
      fundsOutBody(randomUUID(), '990.0002', 'USD'),
    );
    assert.deepEqual(errorOf(second), [400, '4001']);
    const path = `${accountPath()}/transfers/${held}`;
    await expectStatus(admin, 202, 'PUT', path, fundsOutFinishBody('recordFundsOutAbort'));
    const payee = `/participants/payeefsp/accounts/${settlementId}`;
    const foreign = await admin('POST', payee, fundsOutBody(randomUUID(), '1', 'USD'));
    assert.deepEqual(errorOf(foreign), [400, '3100']);
    const all = randomUUID();
    await expectStatus(admin, 202, 'POST', accountPath(), fundsOutBody(all, '4990.0001', 'USD'));
    assert.deepEqual(await balances(), [0, 5090.0001, 49900001n]);
    const allPath = `${accountPath()}/transfers/${all}`;
    await expectStatus(admin, 202, 'PUT', allPath, fundsOutFinishBody('recordFundsOutAbort'));
    const afterAll = await adminSnapshot(admin, NAMES);
    const withoutTimes = (s: unknown) => JSON.stringify(s).replace(/"changedDate":"[^"]+"/g, '');
    assert.equal(withoutTimes(afterAll), withoutTimes(before));
  });

  it('conserves USD exactly under concurrent funds in to both DFSPs', async () => {
    const payee = await accountOf(admin, 'payeefsp', {
      ledgerAccountType: 'SETTLEMENT',
      currency: 'USD',
    });
    const before = await reconciliation();
    const amounts = Array.from(
      { length: 24 },
      (_, i) => `${i + 1}.${String(i * 37).padStart(4, '0')}`,
    );
    await Promise.all(
      amounts.map((amount, i) => {
        const path = i % 2 ? accountPath() : `/participants/payeefsp/accounts/${payee.id}`;
        return expectStatus(admin, 202, 'POST', path, fundsInBody(randomUUID(), amount, 'USD'));
      }),
    );
    const totalMinor = amounts.reduce((sum, a) => sum + BigInt(a.replace('.', '')), 0n);
    assert.equal(await usdSum(), 0n);
    assert.equal(minorOf(await reconciliation()) - minorOf(before), totalMinor);
  });
});

describe('Admin API over HTTP: restart', () => {
  it('keeps every participant, account, limit, endpoint and balance', async () => {
    const inFlight = randomUUID();
    await expectStatus(admin, 202, 'POST', accountPath(), fundsOutBody(inFlight, '1', 'USD'));
    const before = await adminSnapshot(admin, NAMES);
    await sw.restartWorker();
    assert.deepEqual(await adminSnapshot(admin, NAMES), before);

    const path = `${accountPath()}/transfers/${inFlight}`;
    await expectStatus(admin, 202, 'PUT', path, fundsOutFinishBody('recordFundsOutCommit'));
    await expectStatus(admin, 202, 'POST', accountPath(), fundsInBody(randomUUID(), '1', 'USD'));
    assert.equal(await usdSum(), 0n);
    const added = await expectStatus(admin, 201, 'POST', '/participants', {
      name: 'latefsp',
      currency: 'USD',
    });
    const ids = (
      await Promise.all(NAMES.map((n) => admin('GET', `/participants/${n}/accounts`)))
    ).flatMap((a) => a.body.map((row: { id: number }) => row.id));
    for (const row of added.accounts) assert.ok(!ids.includes(row.id), `fresh id ${row.id}`);
  });
});
