// Given/when/then tables for the Participant actor: onboarding codes (3000, 3003, 3200, 2001),
// the liquidity check (4001 before 4200), and idempotent reserve/commit/release/credit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecideContext, Effect } from '../../actors/actor.ts';
import { decideParticipant } from '../../actors/participant/actor.ts';
import { evolveParticipant } from '../../actors/participant/evolve.ts';
import type { ParticipantCommand } from '../../actors/participant/messages.ts';
import {
  findAccount,
  initialParticipantState,
  type ParticipantState,
} from '../../actors/participant/state.ts';

const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };
const ctx = (actorId: string, nowMs = 1_000): DecideContext => ({ actorId, nowMs, hub });

function run(actorId: string, commands: ParticipantCommand[], from = initialParticipantState) {
  let state: ParticipantState = from;
  let last = decideParticipant(state, commands[0] as ParticipantCommand, ctx(actorId));
  for (const command of commands) {
    last = decideParticipant(state, command, ctx(actorId));
    for (const event of last.events) state = evolveParticipant(state, event);
  }
  return { state, last };
}

const create: ParticipantCommand = {
  kind: 'CreateParticipant',
  participantId: 123456,
  currency: 'USD',
  isProxy: false,
  accountTypes: ['POSITION', 'SETTLEMENT'],
};
const limits: ParticipantCommand = {
  kind: 'SetInitialPositionAndLimits',
  currency: 'USD',
  netDebitCapMinor: 1_000_0000n,
  alarmPercentage: 10,
  initialPositionMinor: 0n,
};
const fundsIn = (amountMinor: bigint, transferId = 'fi-1'): ParticipantCommand => ({
  kind: 'RecordFundsIn',
  transferId,
  accountId: 12345602,
  currency: 'USD',
  amountMinor,
});
const reserve = (transferId: string, amountMinor: bigint): ParticipantCommand => ({
  kind: 'ReserveFunds',
  transferId,
  payerFsp: 'payer',
  payeeFsp: 'payee',
  currency: 'USD',
  amountMinor,
});
const errorOf = (reply: unknown) => (reply as { error: { errorCode: string } }).error.errorCode;
/** The command of the first `send` effect of a decision. */
const sent = (effects: readonly Effect[]): Record<string, unknown> => {
  const [first] = effects;
  if (first?.kind !== 'send') throw new Error('expected a send effect');
  return first.command as Record<string, unknown>;
};

describe('Participant actor: onboarding', () => {
  it('registers the hub implicitly and opens active hub accounts with stable ids', () => {
    const { state, last } = run('Hub', [
      { kind: 'AddHubAccount', ledgerAccountType: 'HUB_RECONCILIATION', currency: 'USD' },
      { kind: 'AddHubAccount', ledgerAccountType: 'HUB_MULTILATERAL_SETTLEMENT', currency: 'USD' },
    ]);
    assert.deepEqual(last.reply, { ok: true });
    assert.equal(state.phase, 'registered');
    if (state.phase !== 'registered') return;
    assert.deepEqual(Object.keys(state.accounts), ['101', '102']);
    assert.equal(findAccount(state, 'USD', 'HUB_RECONCILIATION')?.isActive, true);
  });

  it('answers 3003 for a duplicate hub account, a non-hub type, or a DFSP asking for one', () => {
    const dup = run('Hub', [
      { kind: 'AddHubAccount', ledgerAccountType: 'HUB_RECONCILIATION', currency: 'USD' },
      { kind: 'AddHubAccount', ledgerAccountType: 'HUB_RECONCILIATION', currency: 'USD' },
    ]);
    assert.deepEqual(dup.last.reply, {
      ok: false,
      error: {
        errorCode: '3003',
        errorDescription: 'Add Party information error - Hub account has already been registered.',
      },
    });
    const wrongType = run('Hub', [
      { kind: 'AddHubAccount', ledgerAccountType: 'POSITION', currency: 'USD' },
    ]);
    assert.equal(errorOf(wrongType.last.reply), '3003');
    const unknownType = run('Hub', [
      { kind: 'AddHubAccount', ledgerAccountType: 'NOPE', currency: 'USD' },
    ]);
    assert.equal(errorOf(unknownType.last.reply), '3003');
    const dfsp = run('dfsp1', [
      create,
      { kind: 'AddHubAccount', ledgerAccountType: 'HUB_RECONCILIATION', currency: 'USD' },
    ]);
    assert.match(
      (dfsp.last.reply as { error: { errorDescription: string } }).error.errorDescription,
      /reserved for creation of Hub account types only/,
    );
  });

  it('creates inactive POSITION and SETTLEMENT accounts and refuses the same currency (3000)', () => {
    const { state, last } = run('dfsp1', [create]);
    assert.deepEqual(last.reply, { ok: true });
    if (state.phase !== 'registered') throw new Error('not registered');
    assert.deepEqual(
      Object.values(state.accounts).map((a) => [a.id, a.ledgerAccountType, a.isActive]),
      [
        [12345601, 'POSITION', false],
        [12345602, 'SETTLEMENT', false],
      ],
    );
    const again = run('dfsp1', [create], state);
    assert.deepEqual(again.last.reply, {
      ok: false,
      error: {
        errorCode: '3000',
        errorDescription: 'Generic client error - Participant currency has already been registered',
      },
    });
  });

  it('answers 3200 for commands to an unknown participant', () => {
    const { last } = run('ghost', [{ kind: 'SetEndpoint', endpointType: 'X', value: 'y' }]);
    assert.deepEqual(last.reply, {
      ok: false,
      error: {
        errorCode: '3200',
        errorDescription: 'Generic ID not found - Participant ghost does not exist',
      },
    });
  });

  it('activates accounts with initialPositionAndLimits, only once (2001 after)', () => {
    const { state } = run('dfsp1', [create, limits]);
    if (state.phase !== 'registered') throw new Error('not registered');
    assert.equal(findAccount(state, 'USD', 'POSITION')?.isActive, true);
    assert.equal(findAccount(state, 'USD', 'SETTLEMENT')?.isActive, true);
    assert.equal(state.limits['USD']?.valueMinor, 1_000_0000n);
    const again = run('dfsp1', [limits], state);
    assert.equal(errorOf(again.last.reply), '2001');
  });
});

describe('Participant actor: position checks', () => {
  const funded = run('payer', [create, limits, fundsIn(500_0000n)]).state;

  it('rejects with 4001 when liquidity cover is short, before looking at the NDC', () => {
    const { last, state } = run('payer', [reserve('t1', 600_0000n)], funded);
    assert.deepEqual(last.effects, [
      {
        kind: 'send',
        to: { type: 'transfer', key: 't1' },
        command: {
          kind: 'ReservationRejected',
          transferId: 't1',
          error: { errorCode: '4001', errorDescription: 'Payer FSP insufficient liquidity' },
        },
      },
    ]);
    const redelivered = run('payer', [reserve('t1', 600_0000n)], state);
    assert.deepEqual(redelivered.last.effects, last.effects);
    assert.deepEqual(redelivered.last.events, []);
  });

  it('rejects with 4200 when the net debit cap is short', () => {
    const lowCap = run(
      'payer',
      [{ kind: 'AdjustLimit', currency: 'USD', netDebitCapMinor: 100_0000n }],
      funded,
    ).state;
    const { last } = run('payer', [reserve('t2', 200_0000n)], lowCap);
    assert.equal((sent(last.effects).error as { errorCode: string }).errorCode, '4200');
  });

  it('rejects an inactive participant or account with 3100', () => {
    const inactive = run(
      'payer',
      [{ kind: 'SetParticipantActive', isActive: false }],
      funded,
    ).state;
    const { last } = run('payer', [reserve('t3', 1n)], inactive);
    assert.deepEqual(sent(last.effects).error, {
      errorCode: '3100',
      errorDescription: 'Generic validation error - Participant payer is inactive',
    });
    const absent = run('nobody', [reserve('t3', 1n)]);
    assert.equal(sent(absent.last.effects).kind, 'ReservationRejected');
  });

  it('reserves once, answers a redelivery again, commits once and ignores a late release', () => {
    const reserved = run('payer', [reserve('t4', 100_0000n), reserve('t4', 100_0000n)], funded);
    assert.deepEqual(reserved.last.events, []);
    assert.deepEqual(sent(reserved.last.effects), {
      kind: 'FundsReserved',
      transferId: 't4',
    });
    const position = (s: ParticipantState) =>
      s.phase === 'registered' ? findAccount(s, 'USD', 'POSITION') : undefined;
    assert.equal(position(reserved.state)?.reservedMinor, 100_0000n);
    const committed = run(
      'payer',
      [
        { kind: 'CommitReservation', transferId: 't4' },
        { kind: 'CommitReservation', transferId: 't4' },
        { kind: 'ReleaseReservation', transferId: 't4' },
      ],
      reserved.state,
    );
    assert.equal(position(committed.state)?.postedMinor, 100_0000n);
    assert.equal(position(committed.state)?.reservedMinor, 0n);
  });

  it('releases a reservation on abort, once', () => {
    const reserved = run('payer', [reserve('t5', 100_0000n)], funded).state;
    const released = run(
      'payer',
      [
        { kind: 'ReleaseReservation', transferId: 't5' },
        { kind: 'ReleaseReservation', transferId: 't5' },
      ],
      reserved,
    ).state;
    if (released.phase !== 'registered') throw new Error('not registered');
    const account = findAccount(released, 'USD', 'POSITION');
    assert.deepEqual([account?.postedMinor, account?.reservedMinor], [0n, 0n]);
  });

  it('credits the payee position once per transfer', () => {
    const credit: ParticipantCommand = {
      kind: 'CreditPosition',
      transferId: 't6',
      currency: 'USD',
      amountMinor: 30_0000n,
    };
    const { state } = run('payer', [credit, credit], funded);
    if (state.phase !== 'registered') throw new Error('not registered');
    assert.equal(findAccount(state, 'USD', 'POSITION')?.postedMinor, -30_0000n);
  });
});

describe('Participant actor: funds in and out', () => {
  const ready = run('dfsp1', [create, limits]).state;

  it('posts funds in on SETTLEMENT, mirrors it on the hub and records a hub transfer', () => {
    const { state, last } = run('dfsp1', [fundsIn(50_0000n), fundsIn(50_0000n)], ready);
    assert.deepEqual(last, { events: [], effects: [], reply: { ok: true } });
    if (state.phase !== 'registered') throw new Error('not registered');
    assert.equal(findAccount(state, 'USD', 'SETTLEMENT')?.postedMinor, -50_0000n);
    const first = decideParticipant(ready, fundsIn(50_0000n), ctx('dfsp1'));
    assert.deepEqual(
      first.effects.map((e) =>
        e.kind === 'send' ? [e.to, (e.command as { kind: string }).kind] : [],
      ),
      [
        [{ type: 'transfer', key: 'fi-1' }, 'RecordHubTransfer'],
        [{ type: 'participant', key: 'Hub' }, 'PostHubReconciliation'],
      ],
    );
  });

  it('refuses a funds out beyond the settlement balance with 4001', () => {
    const funded = run('dfsp1', [fundsIn(50_0000n)], ready).state;
    const { last } = run(
      'dfsp1',
      [
        {
          kind: 'ReserveFundsOut',
          transferId: 'fo-1',
          accountId: 12345602,
          currency: 'USD',
          amountMinor: 60_0000n,
        },
      ],
      funded,
    );
    assert.equal(errorOf(last.reply), '4001');
  });
});
