// Settlement end to end, continued: continuous gross settlement under an IMMEDIATE GROSS model; a
// model created after the participants (their accounts follow it); the settlement report as JSON
// and CSV; and a window close racing commits, where each commit must land in exactly one window.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accountsOf } from '../helpers/onboard.ts';
import type { World } from '../helpers/transfer-world.ts';
import {
  addCurrency,
  balances,
  closeOpenWindow,
  createModel,
  expectBalances,
  invariantsHold,
  netsOf,
  participantIds,
  settlementApi,
  startSettlementWorld,
  stepAll,
  transfer,
  walletIlpPacket,
} from './settlement-fixtures.ts';

const [A, B, C] = ['dfspa', 'dfspb', 'dfspc'] as const;
let world: World;
const ids: Record<string, number> = {};

describe('Settlement API: gross settlement, later models, reports and racing closes', () => {
  before(async () => {
    world = await startSettlementWorld([A, B, C]);
    Object.assign(ids, await participantIds(world, [A, B, C]));
  });

  after(async () => {
    await world?.stop();
  });

  it('settles an IMMEDIATE GROSS currency at each commit, outside the windows', async () => {
    const cgs = { name: 'CGSTZS', delay: 'IMMEDIATE', granularity: 'GROSS' } as const;
    await addCurrency(world, 'TZS', cgs, [A, B]);
    await transfer(world, { payer: A, payee: B, amount: '40', currency: 'TZS' });
    await transfer(world, { payer: A, payee: B, amount: '2', currency: 'USD' });
    await expectBalances(world, A, 'TZS', { POSITION: 0, SETTLEMENT: -99960 });
    await expectBalances(world, B, 'TZS', { POSITION: 0, SETTLEMENT: -100040 });
    const windowId = await closeOpenWindow(world);
    const window = await settlementApi<{ content: { currencyId: string }[] }>(
      world,
      200,
      'GET',
      `/settlementWindows/${windowId}`,
    );
    assert.deepEqual(
      window.content.map((c) => c.currencyId),
      ['USD'],
    );
    const refused = await settlementApi(world, 400, 'POST', '/settlements', {
      settlementModel: 'CGSTZS',
      reason: 'gross',
      settlementWindows: [{ id: windowId }],
    });
    assert.deepEqual(refused.errorInformation, {
      errorCode: '3100',
      errorDescription:
        'Generic validation error - Settlement model CGSTZS settles at once, not in windows',
    });
    await invariantsHold(world, ['TZS']);
  });

  it('opens the accounts of a model created after the participants', async () => {
    await createModel(world, {
      name: 'INTERCHANGEFEE',
      ledgerAccountType: 'INTERCHANGE_FEE',
      settlementAccountType: 'INTERCHANGE_FEE_SETTLEMENT',
    });
    const usd = (await accountsOf(world.switch.adminUrl, C))
      .filter((a) => a.currency === 'USD')
      .map((a) => [a.id, a.ledgerAccountType]);
    const base = (ids[C] ?? 0) * 100;
    assert.deepEqual(usd, [
      [base + 1, 'POSITION'],
      [base + 2, 'SETTLEMENT'],
      [base + 3, 'INTERCHANGE_FEE'],
      [base + 4, 'INTERCHANGE_FEE_SETTLEMENT'],
    ]);
  });

  it('books a wallet-to-wallet interchange fee and settles it under its own model', async () => {
    const ilpPacket = walletIlpPacket(A, B);
    await transfer(world, { payer: A, payee: B, amount: '100', currency: 'USD', ilpPacket });
    await expectBalances(world, A, 'USD', { INTERCHANGE_FEE: 0.6 });
    await expectBalances(world, B, 'USD', { INTERCHANGE_FEE: -0.6 });
    const windowId = await closeOpenWindow(world);
    const fees = await settlementApi(world, 200, 'POST', '/settlements', {
      settlementModel: 'INTERCHANGEFEE',
      reason: 'fees',
      settlementWindows: [{ id: windowId }],
    });
    // A and B hold USD POSITION, SETTLEMENT, then TZS ones, then the fee accounts.
    const feeAccount = (name: string) => (ids[name] ?? 0) * 100 + 5;
    assert.deepEqual(
      fees.participants.map((p) => p.accounts.map((a) => [a.id, a.netSettlementAmount.amount])),
      [[[feeAccount(A), 0.6]], [[feeAccount(B), -0.6]]].sort(
        (x, y) => (x[0]?.[0] ?? 0) - (y[0]?.[0] ?? 0),
      ),
    );
    for (const step of [
      'PS_TRANSFERS_RECORDED',
      'PS_TRANSFERS_RESERVED',
      'PS_TRANSFERS_COMMITTED',
    ]) {
      await stepAll(world, fees.id, step);
    }
    assert.equal((await balances(world, A, 'USD'))['INTERCHANGE_FEE'], 0);
    assert.equal((await balances(world, B, 'USD'))['INTERCHANGE_FEE'], 0);
    assert.equal((await balances(world, world.hubName, 'USD'))['HUB_MULTILATERAL_SETTLEMENT'], 0);
    await stepAll(world, fees.id, 'SETTLED');
    await invariantsHold(world, ['USD']);
  });

  it('reports a settlement per participant as JSON and CSV', async () => {
    await transfer(world, { payer: C, payee: A, amount: '12.5', currency: 'USD' });
    const windowId = await closeOpenWindow(world);
    const s = await settlementApi(world, 200, 'POST', '/settlements', {
      settlementModel: 'DEFAULTDEFERREDNET',
      reason: 'report',
      settlementWindows: [{ id: windowId - 2 }, { id: windowId }],
    });
    const report = await settlementApi<{ participants: unknown[] }>(
      world,
      200,
      'GET',
      `/settlements/${s.id}/report`,
    );
    const row = (name: string, amount: string, direction: string, seq = 1) => ({
      participantId: ids[name],
      participantName: name,
      accountId: (ids[name] ?? 0) * 100 + seq,
      currency: 'USD',
      netSettlementAmount: amount,
      direction,
      state: 'PENDING_SETTLEMENT',
      externalReference: null,
    });
    // Rows come in participantId order.
    const rows = [
      row(A, '10.5', 'NET_RECIPIENT'),
      row(B, '2', 'NET_RECIPIENT'),
      row(C, '12.5', 'NET_SENDER'),
    ].sort((x, y) => (x.participantId ?? 0) - (y.participantId ?? 0));
    assert.deepEqual(report.participants, rows);
    const csv = await fetch(`${world.switch.adminUrl}/v2/settlements/${s.id}/report?format=csv`);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(
      await csv.text(),
      [
        'settlementId,participantId,participantName,accountId,currency,netSettlementAmount,' +
          'direction,state,externalReference',
        ...rows.map((r) =>
          [s.id, r.participantId, r.participantName, r.accountId, 'USD']
            .concat([r.netSettlementAmount, r.direction, 'PENDING_SETTLEMENT', ''])
            .join(','),
        ),
        '',
      ].join('\r\n'),
    );
    await settlementApi(world, 200, 'PUT', `/settlements/${s.id}`, {
      state: 'ABORTED',
      reason: 'r',
    });
  });

  it('puts each commit racing a window close in exactly one window', async () => {
    const names = [A, B, C];
    const transfers = Array.from({ length: 45 }, (_, i) => ({
      payer: names[i % 3] ?? A,
      payee: names[(i + 1 + (i % 2)) % 3] ?? B,
      amount: String(1 + (i % 7)),
      currency: 'USD',
    }));
    // What the 45 commits move, per participant: +amount as payer, -amount as payee.
    const moved: Record<string, number> = { [A]: 0, [B]: 0, [C]: 0 };
    for (const t of transfers) {
      moved[t.payer] = (moved[t.payer] ?? 0) + Number(t.amount);
      moved[t.payee] = (moved[t.payee] ?? 0) - Number(t.amount);
    }
    let committed = 0;
    const sending = Promise.all(
      transfers.map((t) => transfer(world, t).then(() => (committed += 1))),
    );
    while (committed < 10) await new Promise((r) => setTimeout(r, 5));
    const racing = await closeOpenWindow(world);
    await sending;
    const last = await closeOpenWindow(world);

    // Each window's nets sum to zero on their own (netsOf asserts it)...
    const one = await settlementApi(world, 200, 'POST', '/settlements', {
      settlementModel: 'DEFAULTDEFERREDNET',
      reason: 'race',
      settlementWindows: [{ id: racing }],
    });
    netsOf(one);
    await settlementApi(world, 200, 'PUT', `/settlements/${one.id}`, {
      state: 'ABORTED',
      reason: 'r',
    });
    // ...and together they hold every commit once: the nets equal the positions' movement.
    const both = await settlementApi(world, 200, 'POST', '/settlements', {
      settlementModel: 'DEFAULTDEFERREDNET',
      reason: 'race',
      settlementWindows: [{ id: racing }, { id: last }],
    });
    const nets = netsOf(both);
    for (const name of names) assert.equal(nets[`${ids[name]}/USD`]?.[1] ?? 0, moved[name], name);
    await invariantsHold(world, ['USD']);
  });
});
