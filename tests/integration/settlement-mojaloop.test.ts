// Settlement behaviours Mojaloop's central-settlement has that the golden path relies on, over
// HTTP against real NATS and PostgreSQL: window 1 exists, with its real creation time, before any
// DFSP; an unknown settlement model is a 3100 "not found" (TTK reads that code as "nothing to
// settle"); and a net recipient's reset at PS_TRANSFERS_RESERVED raises its NET_DEBIT_CAP when the
// reset would pass the cap: as central-settlement under requireLiquidityCheck, and here under
// every model, since no position may pass its cap (DESIGN.md §7 invariant 4).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, adminExpect } from '../helpers/onboard.ts';
import { startWorld, type World } from '../helpers/transfer-world.ts';
import {
  addCurrency,
  addDfsps,
  closeOpenWindow,
  expectBalances,
  invariantsHold,
  settlementApi,
  stepAll,
  transfer,
  type WindowAnswer,
} from './settlement-fixtures.ts';

const [A, B] = ['ndcpayer', 'ndcpayee'] as const;
let world: World;
let startedAtMs = 0;

async function netDebitCap(name: string, currency: string): Promise<number> {
  const limits = (await adminExpect(
    world.switch.adminUrl,
    200,
    'GET',
    `/participants/${name}/limits?currency=${currency}`,
  )) as { limit: { value: number } }[];
  return limits[0]?.limit.value ?? Number.NaN;
}

async function setNetDebitCap(name: string, currency: string, value: number): Promise<void> {
  await adminExpect(world.switch.adminUrl, 200, 'PUT', `/participants/${name}/limits`, {
    currency,
    limit: { type: 'NET_DEBIT_CAP', value },
  });
}

/**
 * B receives 500 in one window, which is settled; before its reset B pays 900 and its cap is cut
 * to 600, so the reset (+500) takes B's position from 400 to 900. Answers B's cap afterwards.
 */
async function settleRecipientPastItsCap(currency: string, model: string): Promise<number> {
  await transfer(world, { payer: A, payee: B, amount: '500', currency });
  const windowId = await closeOpenWindow(world);
  const created = await settlementApi(world, 200, 'POST', '/settlements', {
    settlementModel: model,
    reason: 'cap check',
    settlementWindows: [{ id: windowId }],
  });
  await transfer(world, { payer: B, payee: A, amount: '900', currency });
  await setNetDebitCap(B, currency, 600);
  await stepAll(world, created.id, 'PS_TRANSFERS_RECORDED');
  await stepAll(world, created.id, 'PS_TRANSFERS_RESERVED');
  await expectBalances(world, B, currency, { POSITION: 900 });
  const cap = await netDebitCap(B, currency);
  for (const step of ['PS_TRANSFERS_COMMITTED', 'SETTLED']) {
    await stepAll(world, created.id, step);
  }
  await expectBalances(world, A, currency, { POSITION: -900 });
  return cap;
}

describe('Settlement API: what Mojaloop does that the golden path relies on', () => {
  before(async () => {
    startedAtMs = Date.now();
    world = await startWorld({ dfsps: [] });
  });

  after(async () => {
    await world?.stop();
  });

  it('shows window 1 OPEN with its real creation time before any DFSP joined', async () => {
    const open = await settlementApi<WindowAnswer[]>(
      world,
      200,
      'GET',
      '/settlementWindows?state=OPEN',
    );
    assert.deepEqual(
      open.map((w) => [w.id, w.state]),
      [[1, 'OPEN']],
    );
    const one = (await settlementApi(world, 200, 'GET', '/settlementWindows/1')) as {
      createdDate: string;
    };
    const createdMs = Date.parse(one.createdDate);
    assert.ok(createdMs >= startedAtMs - 1000 && createdMs <= Date.now(), one.createdDate);
    world = await addDfsps(world, [A, B]);
  });

  it('answers an unknown settlement model with 3100 "not found", as central-settlement', async () => {
    // A close without a window id (TTK's api-tests "Bad Request - CloseWindow") is a bad request.
    for (const state of ['CLOSE', 'CLOSED']) {
      const bad = await admin(world.switch.adminUrl, 'POST', '/v2/settlementWindows/', {
        state,
        reason: 'TESTING',
      });
      assert.equal(bad.status, 400);
      assert.equal(
        (bad.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode,
        '3101',
      );
    }
    for (const name of ['DEFERREDNETXYZ', '{$requestVariables.settlementModel}']) {
      const answer = await admin(world.switch.adminUrl, 'POST', '/v2/settlements', {
        settlementModel: name,
        reason: 'no such model',
        settlementWindows: [{ id: 1 }],
      });
      assert.equal(answer.status, 400);
      assert.deepEqual(answer.body, {
        errorInformation: {
          errorCode: '3100',
          errorDescription: `Generic validation error - Settlement model not found: ${name}`,
        },
      });
    }
  });

  it('raises a net recipient its cap at RESERVED when its reset would pass it', async () => {
    assert.equal(await settleRecipientPastItsCap('USD', 'DEFAULTDEFERREDNET'), 1100);
    // A model without requireLiquidityCheck: Mojaloop would leave B's position past its cap.
    await addCurrency(world, 'EUR', { name: 'DEFERREDNETEUR', requireLiquidityCheck: false }, [
      A,
      B,
    ]);
    assert.equal(await settleRecipientPastItsCap('EUR', 'DEFERREDNETEUR'), 1100);
    // The net sender's cap is never touched.
    assert.equal(await netDebitCap(A, 'USD'), 100000);
    await invariantsHold(world, ['USD', 'EUR']);
  });
});
