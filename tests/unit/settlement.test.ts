// Given/when/then tables for the Settlement actor (one step at a time, the settlement following
// its slowest account, postings at RESERVED for recipients and COMMITTED for senders, abort until
// commit and its reversal) and for the interchange fee rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecideContext, Effect } from '../../actors/actor.ts';
import type { OpenSettlement } from '../../actors/contracts/window-settlement.ts';
import { decideSettlement } from '../../actors/settlement/actor.ts';
import { evolveSettlement } from '../../actors/settlement/evolve.ts';
import type { SettlementCommand } from '../../actors/settlement/messages.ts';
import type { SettlementState } from '../../actors/settlement/state.ts';
import { transactionFactsOf } from '../../actors/settlement-model/ilp-transaction.ts';
import {
  perMilleRounded,
  walletToWalletP2pFee,
} from '../../actors/settlement-model/interchange-fee.ts';
import { walletIlpPacket } from '../helpers/ilp-packet.ts';

const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };
const ctx: DecideContext = { actorId: '1', nowMs: 5_000, hub };

const open: OpenSettlement = {
  kind: 'OpenSettlement',
  settlementId: 1,
  reason: 'eod',
  model: { name: 'DEFAULT', ledgerAccountType: 'POSITION', autoPositionReset: true },
  windowIds: [1],
  accounts: [
    { participant: 'a', participantId: 7, accountId: 701, currency: 'USD', netMinor: 50_0000n },
    { participant: 'b', participantId: 8, accountId: 801, currency: 'USD', netMinor: -50_0000n },
  ],
};

function run(commands: SettlementCommand[]) {
  let state: SettlementState = { phase: 'absent' };
  const effects: Effect[] = [];
  let reply: unknown;
  for (const command of commands) {
    const decision = decideSettlement(state, command, ctx);
    for (const event of decision.events) state = evolveSettlement(state, event);
    effects.push(...decision.effects);
    reply = decision.reply;
  }
  return { state, effects, reply };
}

const step = (state: string, ...accounts: [number, number][]): SettlementCommand => ({
  kind: 'UpdateSettlementAccounts',
  updates: accounts.map(([participantId, accountId]) => ({
    participantId,
    accountId,
    state,
    reason: state,
  })),
});
const both: [number, number][] = [
  [7, 701],
  [8, 801],
];
const postings = (effects: Effect[]) =>
  effects.flatMap((e) =>
    e.kind === 'send' && (e.command as { kind: string }).kind === 'PostSettlementTransfer'
      ? [[e.to.key, (e.command as { postingId: string; amountMinor: bigint }).amountMinor]]
      : [],
  );

describe('Settlement actor', () => {
  it('moves recipients at RESERVED and senders at COMMITTED, against the hub', () => {
    const reserved = run([
      open,
      step('PS_TRANSFERS_RECORDED', ...both),
      step('PS_TRANSFERS_RESERVED', ...both),
    ]);
    assert.equal(reserved.state.phase === 'open' && reserved.state.state, 'PS_TRANSFERS_RESERVED');
    assert.deepEqual(postings(reserved.effects), [
      ['b', 50_0000n],
      ['Hub', -50_0000n],
    ]);
    const committed = run([
      open,
      step('PS_TRANSFERS_RECORDED', ...both),
      step('PS_TRANSFERS_RESERVED', ...both),
      step('PS_TRANSFERS_COMMITTED', ...both),
      step('SETTLED', [7, 701]),
    ]);
    assert.equal(committed.state.phase === 'open' && committed.state.state, 'SETTLING');
    assert.deepEqual(postings(committed.effects).slice(2), [
      ['a', -50_0000n],
      ['Hub', 50_0000n],
    ]);
  });

  it('refuses a skipped step per account and changes nothing', () => {
    const { state, reply } = run([open, step('PS_TRANSFERS_RESERVED', [7, 701])]);
    assert.deepEqual(reply, {
      ok: true,
      refused: [
        {
          participantId: 7,
          accountId: 701,
          error: {
            errorCode: '3000',
            errorDescription: 'Generic client error - State change not allowed',
          },
        },
      ],
    });
    assert.equal(state.phase === 'open' && state.state, 'PENDING_SETTLEMENT');
  });

  it('refuses an account a step ahead of the settlement, as central-settlement', () => {
    const ahead = run([
      open,
      step('PS_TRANSFERS_RECORDED', [7, 701]),
      step('PS_TRANSFERS_RESERVED', [7, 701]),
    ]);
    assert.equal(
      (ahead.reply as { refused: { error: { errorDescription: string } }[] }).refused[0]?.error
        .errorDescription,
      'Generic client error - State change not allowed',
    );
    const caughtUp = run([
      open,
      step('PS_TRANSFERS_RECORDED', [7, 701]),
      step('PS_TRANSFERS_RECORDED', [8, 801]),
      step('PS_TRANSFERS_RESERVED', [7, 701]),
    ]);
    assert.deepEqual(caughtUp.reply, { ok: true, refused: [] });
  });

  it('asks the recipient, and only the recipient, to raise its cap if its reset passes it', () => {
    const { effects } = run([
      open,
      step('PS_TRANSFERS_RECORDED', ...both),
      step('PS_TRANSFERS_RESERVED', ...both),
      step('PS_TRANSFERS_COMMITTED', ...both),
    ]);
    const raising = effects.map(
      (e) => e.kind === 'send' && [e.to.key, 'raiseNetDebitCap' in (e.command as object)],
    );
    assert.deepEqual(raising, [
      ['b', true],
      ['Hub', false],
      ['a', false],
      ['Hub', false],
    ]);
  });

  it('aborts until commit, reversing the recipients and releasing the windows', () => {
    const { state, effects } = run([
      open,
      step('PS_TRANSFERS_RECORDED', ...both),
      step('PS_TRANSFERS_RESERVED', ...both),
      { kind: 'AbortSettlement', reason: 'holiday' },
    ]);
    assert.equal(state.phase === 'open' && state.state, 'ABORTED');
    assert.deepEqual(postings(effects).slice(2), [
      ['b', -50_0000n],
      ['Hub', 50_0000n],
    ]);
    assert.deepEqual(effects.at(-1), {
      kind: 'send',
      to: { type: 'settlementWindow', key: 'hub' },
      command: { kind: 'ReleaseSettlementWindows', settlementId: 1 },
    });
    const late = run([
      open,
      step('PS_TRANSFERS_RECORDED', ...both),
      step('PS_TRANSFERS_RESERVED', ...both),
      step('PS_TRANSFERS_COMMITTED', [7, 701]),
      { kind: 'AbortSettlement', reason: 'late' },
    ]);
    assert.equal((late.reply as { ok: boolean }).ok, false);
  });
});

describe('Interchange fee rule', () => {
  const p2p = {
    scenario: 'TRANSFER',
    initiator: 'PAYER',
    initiatorType: 'CONSUMER',
    payerAccountType: 'Wallet',
    payeeAccountType: 'Wallet',
  };

  it('charges 0.6 % of a wallet-to-wallet P2P transfer, rounded to the currency', () => {
    // 10.01 USD -> 0.06006 -> 0.06; 100 JPY -> 0.6 -> 1; 12.345 KWD -> 0.07407 -> 0.074.
    assert.deepEqual(walletToWalletP2pFee(p2p, 10_0100n, 'USD'), {
      ledgerAccountType: 'INTERCHANGE_FEE',
      amountMinor: 600n,
    });
    assert.equal(perMilleRounded(100_0000n, 6n, 'JPY'), 1_0000n);
    assert.equal(perMilleRounded(12_3450n, 6n, 'KWD'), 740n);
    assert.equal(perMilleRounded(75_0000n, 6n, 'USD'), 4500n);
  });

  it('charges nothing for other scenarios, account types or a fee that rounds to zero', () => {
    assert.equal(
      walletToWalletP2pFee({ ...p2p, scenario: 'PAYMENT' }, 100_0000n, 'USD'),
      undefined,
    );
    assert.equal(
      walletToWalletP2pFee({ ...p2p, payeeAccountType: 'Bank' }, 100_0000n, 'USD'),
      undefined,
    );
    assert.equal(walletToWalletP2pFee(p2p, 8000n, 'USD'), undefined);
  });
});

describe('Transaction facts from an ILP packet', () => {
  it('reads scenario, initiator and both account types from a Prepare', () => {
    assert.deepEqual(transactionFactsOf(walletIlpPacket('payerfsp', 'payeefsp')), {
      scenario: 'TRANSFER',
      initiator: 'PAYER',
      initiatorType: 'CONSUMER',
      payerAccountType: 'Wallet',
      payeeAccountType: 'Wallet',
    });
  });

  it('yields nothing for a packet that is not a Prepare or is cut short', () => {
    const packet = Buffer.from(walletIlpPacket('a', 'b'), 'base64url');
    assert.equal(transactionFactsOf(Buffer.from('not ilp').toString('base64')), undefined);
    assert.equal(transactionFactsOf(packet.subarray(0, 40).toString('base64')), undefined);
    assert.equal(transactionFactsOf(''), undefined);
  });
});
