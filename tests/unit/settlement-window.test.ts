// Given/when/then tables for settlement without services: the SettlementWindow actor (close,
// reports, late joins, which contents a settlement takes), the payer's Participant actor
// deciding the window of each commit, and the race of a close with commits: every commit lands
// in exactly one window whatever the order the participant sees them in.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecideContext } from '../../actors/actor.ts';
import type { WindowNets } from '../../actors/contracts/window-participant.ts';
import { decideParticipant } from '../../actors/participant/actor.ts';
import { evolveParticipant } from '../../actors/participant/evolve.ts';
import type { ParticipantCommand } from '../../actors/participant/messages.ts';
import { initialParticipantState, type ParticipantState } from '../../actors/participant/state.ts';
import { decideWindows } from '../../actors/settlement-window/actor.ts';
import { evolveWindows } from '../../actors/settlement-window/evolve.ts';
import type { WindowCommand } from '../../actors/settlement-window/messages.ts';
import type { WindowsState } from '../../actors/settlement-window/state.ts';
import { FUNDED_PARTICIPANT } from './participant-fixtures.ts';

const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };
const ctx = (actorId: string, nowMs = 1_000): DecideContext => ({ actorId, nowMs, hub });

function windows(commands: WindowCommand[], from: WindowsState = { phase: 'absent' }) {
  let state = from;
  let last = decideWindows(state, commands[0] as WindowCommand, ctx('hub'));
  for (const command of commands) {
    last = decideWindows(state, command, ctx('hub'));
    for (const event of last.events) state = evolveWindows(state, event);
  }
  return { state, last };
}

const usd = (nets: Record<string, bigint>): WindowNets => ({ POSITION: { USD: nets } });
const join = (participant: string, windowId = 1): WindowCommand => ({
  kind: 'JoinSettlementWindows',
  participant,
  windowId,
});
const report = (participant: string, windowId: number, nets: WindowNets): WindowCommand => ({
  kind: 'ParticipantWindowClosed',
  participant,
  windowId,
  nets,
});
const close: WindowCommand = { kind: 'CloseSettlementWindow', windowId: 1, reason: 'eod' };

describe('SettlementWindow actor', () => {
  it('closes the OPEN window in one step, opens the next and asks every participant', () => {
    const { state, last } = windows([join('a'), join('b'), close]);
    assert.deepEqual(last.reply, { ok: true, windowId: 2 });
    assert.deepEqual(
      last.effects.map((e) => (e.kind === 'send' ? [e.to.key, e.command] : [])),
      [
        ['a', { kind: 'CloseParticipantWindow', windowId: 1, nextWindowId: 2 }],
        ['b', { kind: 'CloseParticipantWindow', windowId: 1, nextWindowId: 2 }],
      ],
    );
    assert.equal(state.phase === 'running' && state.windows['1']?.state, 'PROCESSING');
    assert.equal(state.phase === 'running' && state.openWindowId, 2);
  });

  it('is CLOSED with content per currency once every participant reported', () => {
    const { state } = windows([
      join('a'),
      join('b'),
      close,
      report('a', 1, usd({ a: 100n, b: -100n })),
      report('b', 1, usd({ b: 30n, a: -30n })),
    ]);
    assert.ok(state.phase === 'running');
    const w = state.windows['1'];
    assert.equal(w?.state, 'CLOSED');
    assert.deepEqual(w?.awaiting, []);
    assert.deepEqual(
      w?.contents.map((c) => [c.id, c.ledgerAccountType, c.currency, c.state, c.nets]),
      [[101, 'POSITION', 'USD', 'CLOSED', { a: 70n, b: -70n }]],
    );
  });

  it('refuses to close a window that is not OPEN, and an unknown one', () => {
    const closedTwice = windows([join('a'), close, close]).last.reply;
    assert.deepEqual(closedTwice, {
      ok: false,
      error: {
        errorCode: '3100',
        errorDescription: 'Generic validation error - Settlement window 1 is not OPEN',
      },
    });
    const unknown = windows([{ ...close, windowId: 9 }]).last.reply;
    assert.equal(
      unknown.ok === false && unknown.error.errorDescription.endsWith('9 not found'),
      true,
    );
  });

  it('moves a participant that joined with a window closed meanwhile to the open one', () => {
    const { last, state } = windows([close, join('late', 1)]);
    assert.deepEqual(last.events, [{ type: 'ParticipantJoined', participant: 'late' }]);
    assert.deepEqual(
      last.effects.map((e) => (e.kind === 'send' ? e.command : undefined)),
      [{ kind: 'CloseParticipantWindow', windowId: 1, nextWindowId: 2 }],
    );
    // Its empty catch-up report changes nothing; a repeated report neither.
    const after = windows([report('late', 1, {})], state);
    assert.deepEqual(after.last.events, []);
  });

  it('adds a late report to its window while not final, else to the open one, losing nothing', () => {
    // b joined with window 1 after it closed (its join raced the close), having paid meanwhile.
    const late = report('b', 1, usd({ b: 40n, c: -40n }));
    const processing = windows([join('a'), close, join('b', 1), late]);
    assert.deepEqual(processing.last.events, [
      {
        type: 'LateNetsReported',
        windowId: 1,
        intoWindowId: 1,
        participant: 'b',
        nets: usd({ b: 40n, c: -40n }),
        atMs: 1_000,
      },
    ]);
    const first = windows([report('a', 1, usd({ a: 10n, b: -10n }))], processing.state).state;
    assert.ok(first.phase === 'running');
    assert.deepEqual(
      first.windows['1']?.contents.map((c) => [c.state, c.nets]),
      [['CLOSED', { a: 10n, b: 30n, c: -40n }]],
    );
    // Window 1 is final now: the same kind of report goes into window 2, with its reason.
    const second = windows(
      [
        report('c', 1, usd({ c: 7n, a: -7n })),
        { ...close, windowId: 2 },
        report('a', 2, usd({ a: 1n, b: -1n })),
        report('b', 2, {}),
      ],
      first,
    ).state;
    assert.ok(second.phase === 'running');
    const w2 = second.windows['2'];
    assert.deepEqual(w2?.lateReports, [{ participant: 'c', windowId: 1, atMs: 1_000 }]);
    assert.deepEqual(
      w2?.contents.map((c) => [c.state, c.nets]),
      [['CLOSED', { a: -6n, b: -1n, c: 7n }]],
    );
    assert.deepEqual(second.windows['1']?.contents[0]?.nets, { a: 10n, b: 30n, c: -40n });
    // Conservation: every content sums to zero, and all reported money is in some content.
    const contents = Object.values(second.windows).flatMap((w) => w.contents);
    for (const c of contents) {
      assert.equal(
        Object.values(c.nets).reduce((x, y) => x + y, 0n),
        0n,
      );
    }
    const owed = (p: string) => contents.reduce((sum, c) => sum + (c.nets[p] ?? 0n), 0n);
    assert.deepEqual([owed('a'), owed('b'), owed('c')], [10n - 7n + 1n, 30n - 1n, -40n + 7n]);
  });

  it('keeps late nets of a window that closes with nobody to await', () => {
    const { state } = windows([report('x', 1, usd({ x: 3n, y: -3n })), close]);
    assert.ok(state.phase === 'running');
    assert.deepEqual(
      state.windows['1']?.contents.map((c) => [c.state, c.nets]),
      [['CLOSED', { x: 3n, y: -3n }]],
    );
  });

  it('takes only CLOSED content of the model for a settlement, once', () => {
    const closed = windows([
      join('a'),
      close,
      report('a', 1, { POSITION: { USD: { a: 5n, b: -5n }, EUR: { a: 1n, b: -1n } } }),
    ]).state;
    const create: WindowCommand = {
      kind: 'CreateSettlement',
      reason: 'r',
      windowIds: [1],
      model: {
        name: 'DEFAULT',
        ledgerAccountType: 'POSITION',
        autoPositionReset: true,
        excludedCurrencies: ['EUR'],
      },
      participants: {
        a: { participantId: 7, accounts: { 'USD/POSITION': 701 } },
        b: { participantId: 8, accounts: { 'USD/POSITION': 801 } },
      },
    };
    const { state, last } = windows([create], closed);
    assert.deepEqual(last.reply, { ok: true, settlementId: 1 });
    const open = last.effects[0];
    assert.ok(open?.kind === 'send');
    assert.deepEqual(open.to, { type: 'settlement', key: '1' });
    assert.deepEqual((open.command as { accounts: unknown }).accounts, [
      { participant: 'a', participantId: 7, accountId: 701, currency: 'USD', netMinor: 5n },
      { participant: 'b', participantId: 8, accountId: 801, currency: 'USD', netMinor: -5n },
    ]);
    assert.ok(state.phase === 'running');
    assert.equal(state.windows['1']?.state, 'PENDING_SETTLEMENT');
    const again = windows([create], state).last.reply;
    assert.equal(again.ok === false && again.error.errorCode, '3100');
  });
});

describe('Participant actor: the window of a commit', () => {
  const setup: ParticipantCommand[] = [
    ...FUNDED_PARTICIPANT,
    { kind: 'ApplySettlementModels', models: [], settlementWindowId: 1 },
  ];
  const pay = (id: string): ParticipantCommand[] => [
    {
      kind: 'ReserveFunds',
      transferId: id,
      payerFsp: 'payer',
      payeeFsp: 'payee',
      currency: 'USD',
      amountMinor: 10_0000n,
    },
    { kind: 'CommitReservation', transferId: id },
  ];
  const closeWindow: ParticipantCommand = {
    kind: 'CloseParticipantWindow',
    windowId: 1,
    nextWindowId: 2,
  };

  function apply(commands: ParticipantCommand[]) {
    let state: ParticipantState = initialParticipantState;
    const reports: unknown[] = [];
    for (const command of commands) {
      const decision = decideParticipant(state, command, ctx('payer'));
      for (const event of decision.events) state = evolveParticipant(state, event);
      for (const e of decision.effects) {
        if (e.kind === 'send' && e.to.type === 'settlementWindow') reports.push(e.command);
      }
    }
    return { state, reports };
  }

  it('records each commit in the window open at the payer, before or after the close', () => {
    for (const at of [0, 1, 2, 3]) {
      const commits = ['t1', 't2', 't3'].flatMap(pay);
      const order = [...commits.slice(0, at * 2), closeWindow, ...commits.slice(at * 2)];
      const { state, reports } = apply([...setup, ...order]);
      const closed = reports.filter(
        (r) => (r as { kind: string }).kind === 'ParticipantWindowClosed',
      ) as { nets: WindowNets }[];
      const before = closed[0]?.nets['POSITION']?.['USD'] ?? {};
      const after = state.phase === 'registered' ? state.settlement?.nets : undefined;
      const afterUsd = after?.['POSITION']?.['USD'] ?? {};
      const amount = (n: number) => BigInt(n) * 10_0000n;
      assert.deepEqual(before, at === 0 ? {} : { payer: amount(at), payee: -amount(at) });
      assert.deepEqual(afterUsd, at === 3 ? {} : { payer: amount(3 - at), payee: -amount(3 - at) });
      // A repeated close reports nothing more.
      const repeat = decideParticipant(state, closeWindow, ctx('payer'));
      assert.deepEqual([repeat.events, repeat.effects], [[], []]);
    }
  });
});
