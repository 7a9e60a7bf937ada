import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transferActor } from '../../actors/transfer/index.ts';
import {
  BAD_FULFILMENT,
  CONDITION,
  ctx,
  EXPIRES,
  ID,
  NOW,
  PREPARE_RELAY,
  PREPARED,
  prepare,
  RELEASE,
  RESERVED,
  TERMS,
  when,
} from './transfer-fixtures.ts';

const hubError = (to: string, code: string, description: string, id: string) => ({
  kind: 'callback',
  callback: {
    to,
    params: { transferId: ID },
    resource: 'transfers',
    id: `${ID}/${id}`,
    endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
    method: 'PUT',
    path: `/transfers/${ID}/error`,
    body: { errorInformation: { errorCode: code, errorDescription: description } },
  },
});

describe('Transfer actor: prepare', () => {
  it('records a valid prepare and asks the payer to reserve the amount', () => {
    const result = when([], prepare());
    assert.deepEqual(result.events, [PREPARED]);
    assert.deepEqual(result.effects, [
      {
        kind: 'send',
        to: { type: 'participant', key: 'payerfsp' },
        command: {
          kind: 'ReserveFunds',
          transferId: ID,
          payerFsp: 'payerfsp',
          payeeFsp: 'payeefsp',
          currency: 'USD',
          amountMinor: 1_000_000n,
        },
      },
    ]);
    assert.deepEqual(result.reply, { kind: 'accepted' });
    assert.equal(result.state.phase, 'received');
  });

  const invalid: Array<[string, Parameters<typeof prepare>[0], string]> = [
    ['the source is not the payer', { source: 'other' }, 'FSPIOP-Source header should match Payer'],
    ['the amount is zero', { amountMinor: 0n }, 'Amount must be greater than zero'],
    ['the payee is unknown', { payee: null }, 'Participant payeefsp not found'],
    [
      'the payee is inactive',
      { payee: { isActive: false, positionAccountActive: true } },
      'Participant payeefsp is inactive',
    ],
    ['the condition is not 32 bytes', { condition: 'abc' }, 'Condition must be 32 bytes'],
    [
      'the expiration is past',
      { expiresAtMs: NOW },
      'Expiration date 2026-05-28T20:26:40.000Z is already in the past',
    ],
    [
      'payer and payee are the same',
      { payeeFsp: 'payerfsp' },
      'Payer FSP and Payee FSP should be different, unless on-us tranfers are allowed by the Scheme',
    ],
    [
      'the payee has no account in the currency',
      { payee: { isActive: true, positionAccountActive: false, positionAccountExists: false } },
      'Participant payeefsp USD account not found',
    ],
    [
      'the payee account in the currency is inactive',
      { payee: { isActive: true, positionAccountActive: false, positionAccountExists: true } },
      'Participant payeefsp USD account is inactive',
    ],
  ];
  for (const [title, overrides, reason] of invalid) {
    it(`stores INVALID and sends 3100 to the sender when ${title}`, () => {
      const command = prepare(overrides);
      const result = when([], command);
      const description = `Generic validation error - ${reason}`.slice(0, 128);
      assert.deepEqual(result.effects, [
        // A hub-originated error: the hub's configured version, not the prepare's 1.1.
        hubError(command.source, '3100', description, 'prepare/invalid'),
      ]);
      assert.equal(result.state.phase, 'aborted');
      assert.equal(result.state.phase === 'aborted' && result.state.reason, 'INVALID');
      assert.deepEqual(result.reply, {
        kind: 'rejected',
        error: { errorCode: '3100', errorDescription: description },
      });
    });
  }

  it('accepts payer = payee when on-us transfers are enabled', () => {
    const result = when([], prepare({ payeeFsp: 'payerfsp' }), ctx(NOW, { onUsTransfers: true }));
    assert.equal(result.state.phase, 'received');
  });

  it('ignores a duplicate prepare while the transfer is in flight', () => {
    const result = when([PREPARED, RESERVED], prepare());
    assert.deepEqual(result.events, []);
    assert.deepEqual(result.effects, []);
    assert.deepEqual(result.reply, { kind: 'ignored', reason: 'duplicate in flight' });
  });

  it('answers a modified duplicate with 3106 to the sender', () => {
    const result = when([PREPARED], prepare({ requestHash: 'other' }));
    assert.deepEqual(result.events, []);
    assert.deepEqual(result.effects, [
      hubError('payerfsp', '3106', 'Modified request', `prepare/${NOW}/modified`),
    ]);
  });

  it('resends the committed state to the payer for a duplicate after commit', () => {
    const committed = {
      type: 'TransferCommitted' as const,
      fulfilment: 'f',
      completedTimestamp: '2026-01-01T00:00:00.000Z',
      fulfilHash: 'h',
    };
    const result = when([PREPARED, RESERVED, committed], prepare());
    assert.deepEqual(result.effects, [
      {
        kind: 'callback',
        callback: {
          to: 'payerfsp',
          params: { transferId: ID },
          resource: 'transfers',
          id: `${ID}/prepare/${NOW}/duplicate`,
          endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
          method: 'PUT',
          path: `/transfers/${ID}`,
          body: {
            transferState: 'COMMITTED',
            completedTimestamp: '2026-01-01T00:00:00.000Z',
            fulfilment: 'f',
          },
        },
      },
    ]);
  });
});

describe('Transfer actor: reservation outcome', () => {
  it('forwards the payer POST to the payee once funds are reserved', () => {
    const result = when([PREPARED], { kind: 'FundsReserved', transferId: ID });
    assert.deepEqual(result.events, [RESERVED]);
    assert.deepEqual(result.effects, [
      {
        kind: 'callback',
        callback: {
          to: 'payeefsp',
          params: { transferId: ID },
          resource: 'transfers',
          id: `${ID}/prepare`,
          endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
          method: 'POST',
          path: '/transfers',
          relay: PREPARE_RELAY,
          onFailure: { actor: { type: 'transfer', key: ID }, sender: 'payerfsp' },
          deliverByMs: EXPIRES,
        },
      },
    ]);
    assert.deepEqual(result.state, {
      phase: 'reserved',
      terms: TERMS,
      prepareHash: 'hash-prepare',
    });
  });

  for (const code of ['4001', '4200']) {
    it(`aborts and relays ${code} to the payer when the reservation is rejected`, () => {
      const error = { errorCode: code, errorDescription: 'Payer error' };
      const result = when([PREPARED], { kind: 'ReservationRejected', transferId: ID, error });
      assert.deepEqual(result.effects, [hubError('payerfsp', code, 'Payer error', 'rejected')]);
      assert.equal(result.state.phase === 'aborted' && result.state.reason, 'ABORTED_REJECTED');
    });
  }

  it('releases a reservation that arrives after the transfer expired', () => {
    const expired = when([PREPARED], { kind: 'ExpireTransfer' }, ctx(EXPIRES));
    const result = when([PREPARED, ...expired.events], { kind: 'FundsReserved', transferId: ID });
    assert.deepEqual(result.events, []);
    assert.deepEqual(result.effects, [RELEASE]);
  });

  it('ignores a redelivered FundsReserved', () => {
    const result = when([PREPARED, RESERVED], { kind: 'FundsReserved', transferId: ID });
    assert.deepEqual([result.events, result.effects], [[], []]);
  });
});

describe('Transfer actor: expiry', () => {
  it('sets a timer at the expiration of an unfinished transfer only', () => {
    assert.deepEqual(transferActor.nextTimer?.(when([], prepare()).state), {
      atMs: EXPIRES,
      command: { kind: 'ExpireTransfer' },
    });
    const invalid = when([], prepare({ condition: BAD_FULFILMENT.slice(0, 3) })).state;
    assert.equal(transferActor.nextTimer?.(invalid), undefined);
  });

  it('sends 3303 to the payer only when it expires before reservation', () => {
    const result = when([PREPARED], { kind: 'ExpireTransfer' }, ctx(EXPIRES));
    assert.deepEqual(result.effects, [
      hubError('payerfsp', '3303', 'Transfer expired', 'expired/payer'),
    ]);
    assert.equal(result.state.phase === 'aborted' && result.state.reason, 'EXPIRED_PREPARED');
  });

  it('sends 3303 to both and releases the reservation when it expires reserved', () => {
    const result = when([PREPARED, RESERVED], { kind: 'ExpireTransfer' }, ctx(EXPIRES + 5));
    assert.deepEqual(result.effects, [
      hubError('payerfsp', '3303', 'Transfer expired', 'expired/payer'),
      hubError('payeefsp', '3303', 'Transfer expired', 'expired/payee'),
      RELEASE,
    ]);
    assert.equal(result.state.phase === 'aborted' && result.state.reason, 'EXPIRED_RESERVED');
  });

  it('ignores a timer that fires early, twice, or for a final transfer', () => {
    const early = when([PREPARED, RESERVED], { kind: 'ExpireTransfer' }, ctx(EXPIRES - 1));
    assert.deepEqual(early.reply, { kind: 'ignored', reason: 'not yet expired' });
    const first = when([PREPARED, RESERVED], { kind: 'ExpireTransfer' }, ctx(EXPIRES));
    const again = when([PREPARED, RESERVED, ...first.events], { kind: 'ExpireTransfer' });
    assert.deepEqual([again.events, again.effects], [[], []]);
    assert.equal(CONDITION.length, 43);
  });
});
