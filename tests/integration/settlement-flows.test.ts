// The Settlement API's other paths end to end: an abort after RESERVED and a re-settlement of the
// same window, and the steps, ids and bodies the API refuses (per account, as central-settlement
// answers them, or as a 3100/3101 for the whole request).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { World } from '../helpers/transfer-world.ts';
import {
  accountIn,
  balances,
  closeOpenWindow,
  invariantsHold,
  netsOf,
  participantIds,
  settlementApi,
  startSettlementWorld,
  stepAll,
  transfer,
} from './settlement-fixtures.ts';

const [A, B, C] = ['dfspa', 'dfspb', 'dfspc'] as const;
let world: World;
const ids: Record<string, number> = {};

function usdSettlement(windowId: number) {
  return settlementApi(world, 200, 'POST', '/settlements', {
    settlementModel: 'DEFAULTDEFERREDNET',
    reason: 'settle',
    settlementWindows: [{ id: windowId }],
  });
}

describe('Settlement API: abort, re-settlement and refusals', () => {
  before(async () => {
    world = await startSettlementWorld([A, B, C]);
    Object.assign(ids, await participantIds(world, [A, B, C]));
  });

  after(async () => {
    await world?.stop();
  });

  it('aborts after RESERVED, undoing the recipients, and settles the window again', async () => {
    await transfer(world, { payer: A, payee: B, amount: '10', currency: 'USD' });
    const windowId = await closeOpenWindow(world);
    const first = await usdSettlement(windowId);
    await stepAll(world, first.id, 'PS_TRANSFERS_RECORDED');
    await stepAll(world, first.id, 'PS_TRANSFERS_RESERVED');
    assert.equal((await balances(world, B, 'USD'))['POSITION'], 0);

    const aborted = await settlementApi(world, 200, 'PUT', `/settlements/${first.id}`, {
      state: 'ABORTED',
      reason: 'bank holiday',
    });
    assert.equal(aborted.state, 'ABORTED');
    assert.deepEqual(
      aborted.settlementWindows.map((w) => [w.id, w.state]),
      [[windowId, 'ABORTED']],
    );
    assert.deepEqual(await balances(world, B, 'USD'), { POSITION: -10, SETTLEMENT: -100000 });
    assert.equal((await balances(world, world.hubName, 'USD'))['HUB_MULTILATERAL_SETTLEMENT'], 0);
    // Once aborted, nothing moves it.
    const again = await settlementApi(world, 400, 'PUT', `/settlements/${first.id}`, {
      state: 'ABORTED',
      reason: 'twice',
    });
    assert.equal(again.errorInformation?.errorCode, '3100');

    const second = await usdSettlement(windowId);
    assert.equal(second.id, first.id + 1);
    assert.deepEqual(netsOf(second), {
      [`${ids[A]}/USD`]: ['PENDING_SETTLEMENT', 10],
      [`${ids[B]}/USD`]: ['PENDING_SETTLEMENT', -10],
    });
    for (const step of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED']) {
      await stepAll(world, second.id, step);
    }
    await stepAll(world, second.id, 'PS_TRANSFERS_COMMITTED');
    // Committed transfers cannot be aborted any more.
    const late = await settlementApi(world, 400, 'PUT', `/settlements/${second.id}`, {
      state: 'ABORTED',
      reason: 'too late',
    });
    assert.equal(late.errorInformation?.errorCode, '3100');
    const settled = await stepAll(world, second.id, 'SETTLED');
    assert.deepEqual(
      settled.settlementWindows.map((w) => [w.id, w.state]),
      [[windowId, 'SETTLED']],
    );
    assert.deepEqual(await balances(world, A, 'USD'), { POSITION: 0, SETTLEMENT: -100000 });
    assert.deepEqual(await balances(world, B, 'USD'), { POSITION: 0, SETTLEMENT: -100000 });
    await invariantsHold(world, ['USD']);
  });

  it('refuses skipped steps per account, unknown settlements and bad bodies', async () => {
    await transfer(world, { payer: C, payee: A, amount: '7', currency: 'USD' });
    const windowId = await closeOpenWindow(world);
    const s = await usdSettlement(windowId);
    const accountId = accountIn(s, ids[C] ?? 0, (ids[C] ?? 0) * 100 + 1).id;
    const skipped = await settlementApi(world, 200, 'PUT', `/settlements/${s.id}`, {
      participants: [
        { id: ids[C], accounts: [{ id: accountId, state: 'PS_TRANSFERS_RESERVED', reason: 'x' }] },
        { id: ids[A], accounts: [{ id: accountId, state: 'PS_TRANSFERS_RECORDED', reason: 'x' }] },
        { id: 999, accounts: [{ id: 99901, state: 'PS_TRANSFERS_RECORDED', reason: 'x' }] },
      ],
    });
    assert.equal(skipped.state, 'PENDING_SETTLEMENT');
    assert.deepEqual(accountIn(skipped, ids[C] ?? 0, accountId).errorInformation, {
      errorCode: '3000',
      errorDescription: 'Generic client error - Participant and account mismatch',
    });
    assert.equal(accountIn(skipped, ids[C] ?? 0, accountId).state, 'PENDING_SETTLEMENT');
    const unknown = await settlementApi(world, 400, 'GET', '/settlements/4242');
    assert.deepEqual(unknown.errorInformation, {
      errorCode: '3100',
      errorDescription: 'Generic validation error - Settlement 4242 not found',
    });
    const open = await settlementApi(world, 400, 'POST', `/settlementWindows/${windowId + 1}`, {
      state: 'OPEN',
      reason: 'no',
    });
    assert.equal(open.errorInformation?.errorCode, '3101');
    const closed = await settlementApi(world, 400, 'POST', `/settlementWindows/${windowId}`, {
      state: 'CLOSED',
      reason: 'again',
    });
    assert.deepEqual(closed.errorInformation, {
      errorCode: '3100',
      errorDescription: `Generic validation error - Settlement window ${windowId} is not OPEN`,
    });
    await stepAll(world, s.id, 'PS_TRANSFERS_RECORDED');
    const aborted = await settlementApi(world, 200, 'PUT', `/settlements/${s.id}`, {
      state: 'ABORTED',
      reason: 'clean up',
    });
    assert.equal(aborted.state, 'ABORTED');
  });
});
