// Payer-DFSP conversion through the pure actors (FxTransfer, Transfer, Participant) with every
// message delivered in order: the state machine of fspiop.md §10 and its ledger effects per
// currency (payer → FXP in USD, FXP → payee in EUR), for the happy path, the FXP's error and
// invalid fulfilment, the payee's rejection, both expiries, duplicates and early or stray links.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IndividualReported } from '../../actors/contracts/bulk-transfer.ts';
import type { FxTransferState } from '../../actors/fx-transfer/index.ts';
import type { PrepareFxTransfer } from '../../actors/fx-transfer/messages.ts';
import type { ParticipantState } from '../../actors/participant/state.ts';
import { transferActor } from '../../actors/transfer/index.ts';
import type { TransferState } from '../../actors/transfer/state.ts';
import { FxWorld, START_MS } from './fx-world.ts';
import { BAD_FULFILMENT, CONDITION, FULFILMENT } from './transfer-fixtures.ts';

const CRID = '01J9ZQ4C5W3V6XK8R2M7N0P1AA';
const TID = '01J9ZQ4C5W3V6XK8R2M7N0P1BB';
const USD_100 = 100_0000n;
const EUR_90 = 90_0000n;

function fxPrepare(overrides: Partial<PrepareFxTransfer> = {}): PrepareFxTransfer {
  return {
    kind: 'PrepareFxTransfer',
    commitRequestId: CRID,
    determiningTransferId: TID,
    source: 'payer',
    requestHash: 'fx-hash',
    payerFsp: 'payer',
    fxpFsp: 'fxp',
    sourceCurrency: 'USD',
    sourceAmountMinor: USD_100,
    targetCurrency: 'EUR',
    targetAmountMinor: EUR_90,
    condition: CONDITION,
    expiresAtMs: START_MS + 60_000,
    fxp: { isActive: true, sourceAccountActive: true, targetAccountActive: true },
    relay: { headers: { 'fspiop-source': 'payer' }, body: '{"commitRequestId":"x"}' },
    ...overrides,
  };
}

function fxFulfil(fulfilment = FULFILMENT, requestHash = 'fx-fulfil') {
  return {
    kind: 'FulfilFxTransfer',
    commitRequestId: CRID,
    source: 'fxp',
    requestHash,
    conversionState: 'RESERVED',
    fulfilment,
    completedTimestamp: '2026-05-28T20:26:39.000Z',
    relay: { headers: { 'fspiop-source': 'fxp' }, body: '{"conversionState":"RESERVED"}' },
  };
}

function prepareTransfer(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'PrepareTransfer',
    transferId: TID,
    source: 'payer',
    requestHash: 'tr-hash',
    payerFsp: 'payer',
    payeeFsp: 'payee',
    currency: 'EUR',
    amountMinor: EUR_90,
    condition: CONDITION,
    expiresAtMs: START_MS + 60_000,
    payee: { isActive: true, positionAccountActive: true, positionAccountExists: true },
    relay: { headers: { 'fspiop-source': 'payer' }, body: '{"transferId":"y"}' },
    ...overrides,
  };
}

const payeeFulfil = {
  kind: 'FulfilTransfer',
  transferId: TID,
  source: 'payee',
  destination: 'payer',
  requestHash: 'tr-fulfil',
  version: '2.0',
  transferState: 'COMMITTED',
  fulfilment: FULFILMENT,
  completedTimestamp: '2026-05-28T20:26:40.000Z',
  relay: { headers: { 'fspiop-source': 'payee' }, body: '{"transferState":"COMMITTED"}' },
};

function fxPhase(world: FxWorld): string {
  return world.state<FxTransferState>('fx-transfer', CRID).phase;
}
function transferPhase(world: FxWorld): string {
  return world.state<TransferState>('transfer', TID).phase;
}

/** A conversion fulfilled by the FXP: payer's USD reserved, waiting for its transfer. */
function fulfilledConversion(): FxWorld {
  const world = new FxWorld();
  world.send('fx-transfer', CRID, fxPrepare());
  world.send('fx-transfer', CRID, fxFulfil());
  return world;
}

function positions(world: FxWorld) {
  return {
    payerUSD: world.position('payer', 'USD'),
    fxpUSD: world.position('fxp', 'USD'),
    fxpEUR: world.position('fxp', 'EUR'),
    payeeEUR: world.position('payee', 'EUR'),
  };
}

const ZERO = { payerUSD: 0n, fxpUSD: 0n, fxpEUR: 0n, payeeEUR: 0n };

function assertBalanced(world: FxWorld) {
  assert.deepEqual(world.sums(), { USD: 0n, EUR: 0n });
  assert.deepEqual(world.reservations(), []);
}

describe('payer-DFSP conversion (pure actors)', () => {
  it('reserves the source amount on the payer and forwards the prepare to the FXP', () => {
    const world = new FxWorld();
    world.send('fx-transfer', CRID, fxPrepare());
    assert.equal(fxPhase(world), 'reserved');
    assert.deepEqual(positions(world), { ...ZERO, payerUSD: USD_100 });
    assert.deepEqual(world.trail('fxp'), ['POST /fxTransfers']);
    assert.deepEqual(world.state('transfer', TID), {
      phase: 'absent',
      conversion: {
        commitRequestId: CRID,
        payerFsp: 'payer',
        fxpFsp: 'fxp',
        targetCurrency: 'EUR',
        targetAmountMinor: EUR_90,
        state: 'PENDING',
      },
    });
  });

  it('waits for the dependent transfer once fulfilled, and does not expire', () => {
    const world = fulfilledConversion();
    assert.equal(fxPhase(world), 'fulfilled');
    assert.deepEqual(world.trail('payer'), [`PUT /fxTransfers/${CRID} RESERVED`]);
    world.nowMs = START_MS + 3_600_000;
    world.send('fx-transfer', CRID, { kind: 'ExpireFxTransfer' });
    assert.equal(fxPhase(world), 'fulfilled');
    assert.deepEqual(positions(world), { ...ZERO, payerUSD: USD_100 });
  });

  it('commits both legs when the payee fulfils the dependent transfer', () => {
    const world = fulfilledConversion();
    world.send('transfer', TID, prepareTransfer());
    assert.deepEqual(positions(world), { ...ZERO, payerUSD: USD_100, fxpEUR: EUR_90 });
    assert.deepEqual(world.trail('payee'), ['POST /transfers']);
    world.send('transfer', TID, payeeFulfil);
    assert.equal(transferPhase(world), 'committed');
    assert.equal(fxPhase(world), 'committed');
    assert.deepEqual(positions(world), {
      payerUSD: USD_100,
      fxpUSD: -USD_100,
      fxpEUR: EUR_90,
      payeeEUR: -EUR_90,
    });
    assert.deepEqual(world.trail('fxp'), [
      'POST /fxTransfers',
      `PATCH /fxTransfers/${CRID} COMMITTED`,
    ]);
    // The payer hears COMMITTED only once the conversion's legs are applied.
    assert.deepEqual(world.positionsWhenSent('payer', `/transfers/${TID}`), {
      'payer:USD': USD_100,
      'fxp:USD': -USD_100,
      'fxp:EUR': EUR_90,
      'payee:EUR': -EUR_90,
    });
    assertBalanced(world);
  });

  it('records each leg in its payer side window nets, per currency', () => {
    const world = fulfilledConversion();
    world.send('transfer', TID, prepareTransfer());
    world.send('transfer', TID, payeeFulfil);
    const nets = (name: string) => {
      const state = world.state<ParticipantState>('participant', name);
      return state.phase === 'registered' ? state.settlement?.nets : undefined;
    };
    assert.deepEqual(nets('payer')?.['POSITION']?.['USD'], { payer: USD_100, fxp: -USD_100 });
    assert.deepEqual(nets('fxp')?.['POSITION']?.['EUR'], { fxp: EUR_90, payee: -EUR_90 });
  });

  it('commits the conversion once when the commit is delivered twice', () => {
    const world = fulfilledConversion();
    world.send('transfer', TID, prepareTransfer());
    world.send('transfer', TID, payeeFulfil);
    world.send('fx-transfer', CRID, {
      kind: 'CommitConversion',
      commitRequestId: CRID,
      transferId: TID,
      completedTimestamp: '2026-05-28T20:26:41.000Z',
    });
    assert.equal(world.position('fxp', 'USD'), -USD_100);
    assertBalanced(world);
  });

  it('releases both reservations when the payee rejects the dependent transfer', () => {
    const world = fulfilledConversion();
    world.send('transfer', TID, prepareTransfer());
    world.send('transfer', TID, {
      kind: 'RejectTransfer',
      transferId: TID,
      source: 'payee',
      requestHash: 'tr-error',
      errorInformation: { errorCode: '5101', errorDescription: 'Payee limit' },
      relay: { headers: {}, body: '{"errorInformation":{"errorCode":"5101"}}' },
    });
    assert.equal(transferPhase(world), 'aborted');
    assert.equal(fxPhase(world), 'aborted');
    assert.deepEqual(positions(world), ZERO);
    assert.deepEqual(world.trail('fxp').at(-1), `PATCH /fxTransfers/${CRID} ABORTED`);
    const zero = { 'payer:USD': 0n, 'fxp:USD': 0n, 'fxp:EUR': 0n, 'payee:EUR': 0n };
    assert.deepEqual(world.positionsWhenSent('payer', `/transfers/${TID}/error`), zero);
    assertBalanced(world);
  });

  it('releases both reservations when the dependent transfer expires', () => {
    const world = fulfilledConversion();
    world.send('transfer', TID, prepareTransfer());
    world.nowMs = START_MS + 60_000;
    world.send('transfer', TID, { kind: 'ExpireTransfer' });
    assert.equal(fxPhase(world), 'aborted');
    assert.deepEqual(world.trail('payer').at(-1), `PUT /transfers/${TID}/error 3303`);
    assert.deepEqual(positions(world), ZERO);
    assertBalanced(world);
  });

  it('aborts and releases when the FXP answers with an error', () => {
    const world = new FxWorld();
    world.send('fx-transfer', CRID, fxPrepare());
    world.send('fx-transfer', CRID, {
      kind: 'RejectFxTransfer',
      commitRequestId: CRID,
      source: 'fxp',
      requestHash: 'fx-error',
      errorInformation: { errorCode: '5100', errorDescription: 'Payee rejection' },
      relay: { headers: {}, body: '{"errorInformation":{"errorCode":"5100"}}' },
    });
    assert.equal(fxPhase(world), 'aborted');
    assert.deepEqual(world.trail('payer'), [`PUT /fxTransfers/${CRID}/error 5100`]);
    assert.equal(world.positionsWhenSent('payer', `/fxTransfers/${CRID}/error`)?.['payer:USD'], 0n);
    assert.deepEqual(positions(world), ZERO);
    assertBalanced(world);
  });

  it('aborts on an invalid fulfilment: 3100 to the payer, PATCH ABORTED to the FXP', () => {
    const world = new FxWorld();
    world.send('fx-transfer', CRID, fxPrepare());
    world.send('fx-transfer', CRID, fxFulfil(BAD_FULFILMENT));
    assert.equal(fxPhase(world), 'aborted');
    assert.deepEqual(world.trail('payer'), [`PUT /fxTransfers/${CRID}/error 3100`]);
    assert.deepEqual(world.trail('fxp'), [
      'POST /fxTransfers',
      `PATCH /fxTransfers/${CRID} ABORTED`,
    ]);
    assertBalanced(world);
  });

  it('expires before the fulfil: 3303 to both, released; the transfer is then refused', () => {
    const world = new FxWorld();
    world.send('fx-transfer', CRID, fxPrepare());
    world.nowMs = START_MS + 60_000;
    world.send('fx-transfer', CRID, { kind: 'ExpireFxTransfer' });
    assert.deepEqual(world.trail('payer'), [`PUT /fxTransfers/${CRID}/error 3303`]);
    assert.deepEqual(world.trail('fxp').at(-1), `PUT /fxTransfers/${CRID}/error 3303`);
    world.send('fx-transfer', CRID, fxFulfil());
    assert.deepEqual(world.trail('fxp').at(-1), `PUT /fxTransfers/${CRID}/error 3303`);
    world.nowMs = START_MS + 1_000;
    world.send('transfer', TID, prepareTransfer({ expiresAtMs: START_MS + 120_000 }));
    assert.deepEqual(world.trail('payer').at(-1), `PUT /transfers/${TID}/error 3100`);
    assert.deepEqual(positions(world), ZERO);
    assertBalanced(world);
  });

  it('refuses a dependent transfer sent before the FXP fulfilled; the conversion aborts', () => {
    const world = new FxWorld();
    world.send('fx-transfer', CRID, fxPrepare());
    world.send('transfer', TID, prepareTransfer());
    // Both leave with the release of the payer's reservation.
    assert.deepEqual(world.trail('payer'), [
      `PUT /fxTransfers/${CRID}/error 3100`,
      `PUT /transfers/${TID}/error 3100`,
    ]);
    assert.equal(fxPhase(world), 'aborted');
    assert.deepEqual(positions(world), ZERO);
    assertBalanced(world);
  });

  it('refuses a dependent transfer in another currency from the payer; the conversion aborts', () => {
    const world = fulfilledConversion();
    world.send('transfer', TID, prepareTransfer({ currency: 'USD' }));
    assert.equal(transferPhase(world), 'aborted');
    assert.equal(fxPhase(world), 'aborted');
    assertBalanced(world);
  });

  it('refuses a prepare of the determining transfer by another DFSP, changing nothing', () => {
    const attempts = [
      { payerFsp: 'payee', source: 'payee' },
      { payerFsp: 'payee', source: 'payee', currency: 'USD', amountMinor: 1n },
      { payerFsp: 'payer', source: 'fxp', payeeFsp: 'payee' },
      { payerFsp: 'fxp', source: 'fxp', requestHash: 'fxp-hash' },
    ];
    const world = fulfilledConversion();
    for (const attempt of attempts) {
      const before = world.callbacks.length;
      world.send('transfer', TID, prepareTransfer(attempt));
      const refusals = world.callbacks.slice(before);
      assert.deepEqual(
        refusals.map((c) => `${c.to} ${c.method} ${c.path}`),
        [`${attempt.source} PUT /transfers/${TID}/error`],
      );
      const body = refusals[0]?.body as { errorInformation: { errorCode: string } };
      assert.equal(body.errorInformation.errorCode, '3100');
      assert.equal(transferPhase(world), 'absent');
      assert.equal(fxPhase(world), 'fulfilled');
      assert.deepEqual(positions(world), { ...ZERO, payerUSD: USD_100 });
    }
    assert.deepEqual(world.trail('payer'), [`PUT /fxTransfers/${CRID} RESERVED`]);
    // The payer's own transfer is still accepted, and both legs commit.
    world.send('transfer', TID, prepareTransfer());
    world.send('transfer', TID, payeeFulfil);
    assert.equal(transferPhase(world), 'committed');
    assert.equal(fxPhase(world), 'committed');
    assertBalanced(world);
  });

  it('refuses a dependent transfer whose amount is not the conversion target amount', () => {
    for (const amountMinor of [EUR_90 + 1n, 900_0000n, EUR_90 - 1n]) {
      const world = fulfilledConversion();
      world.send('transfer', TID, prepareTransfer({ amountMinor }));
      assert.equal(transferPhase(world), 'aborted');
      assert.equal(fxPhase(world), 'aborted');
      const body = world.callbacks.find((c) => c.path === `/transfers/${TID}/error`)?.body as {
        errorInformation: { errorCode: string; errorDescription: string };
      };
      assert.equal(body.errorInformation.errorCode, '3100');
      assert.match(body.errorInformation.errorDescription, /does not match the target amount/);
      assert.deepEqual(positions(world), ZERO);
      assertBalanced(world);
    }
  });

  it('books no interchange fee on the FXP for a wallet-to-wallet dependent transfer', () => {
    const world = fulfilledConversion();
    const transaction = {
      scenario: 'TRANSFER',
      initiator: 'PAYER',
      initiatorType: 'CONSUMER',
      payerAccountType: 'Wallet',
      payeeAccountType: 'Wallet',
    };
    world.send('transfer', TID, prepareTransfer({ transaction }));
    const fxp = world.state<ParticipantState>('participant', 'fxp');
    const reservation = fxp.phase === 'registered' ? fxp.reservations[TID] : undefined;
    assert.equal(reservation?.amountMinor, EUR_90);
    assert.equal(reservation?.interchangeFeeMinor, undefined);
  });

  it('aborts a conversion whose determining transfer already exists', () => {
    const world = new FxWorld();
    world.send('transfer', TID, prepareTransfer({ currency: 'USD', payeeFsp: 'fxp' }));
    world.send('fx-transfer', CRID, fxPrepare());
    assert.equal(fxPhase(world), 'aborted');
    assert.deepEqual(world.trail('payer').at(-1), `PUT /fxTransfers/${CRID}/error 3100`);
    // The plain USD transfer keeps its own reservation; the conversion reserved nothing.
    assert.deepEqual(world.position('payer', 'USD'), 90_0000n);
  });

  it('answers duplicates: ignored in flight, resent when final, 3106 when modified', () => {
    const world = new FxWorld();
    world.send('fx-transfer', CRID, fxPrepare());
    world.send('fx-transfer', CRID, fxPrepare());
    assert.deepEqual(world.replies.at(-1)?.reply, {
      kind: 'ignored',
      reason: 'duplicate in flight',
    });
    world.send('fx-transfer', CRID, fxFulfil());
    world.send('fx-transfer', CRID, fxPrepare());
    assert.deepEqual(world.trail('payer').at(-1), `PUT /fxTransfers/${CRID} RESERVED`);
    world.send('fx-transfer', CRID, fxPrepare({ requestHash: 'other' }));
    assert.deepEqual(world.trail('payer').at(-1), `PUT /fxTransfers/${CRID}/error 3106`);
    world.send('fx-transfer', CRID, fxFulfil(FULFILMENT, 'fx-fulfil'));
    assert.deepEqual(world.trail('fxp').at(-1), `PUT /fxTransfers/${CRID} RESERVED`);
    assert.deepEqual(positions(world), { ...ZERO, payerUSD: USD_100 });
  });

  it('refuses an invalid prepare: unknown FXP, same currency, past expiry, wrong source', () => {
    const cases: [Partial<PrepareFxTransfer>, string][] = [
      [{ fxp: null }, 'Participant fxp not found'],
      [{ targetCurrency: 'USD' }, 'different currencies'],
      [{ expiresAtMs: START_MS - 1 }, 'already in the past'],
      [{ source: 'payee' }, 'should match initiatingFsp'],
      [
        { fxp: { isActive: true, sourceAccountActive: true, targetAccountActive: false } },
        'EUR account',
      ],
    ];
    for (const [overrides, reason] of cases) {
      const world = new FxWorld();
      world.send('fx-transfer', CRID, fxPrepare(overrides));
      assert.equal(fxPhase(world), 'aborted');
      const body = world.callbacks.at(-1)?.body as {
        errorInformation: { errorDescription: string };
      };
      assert.match(body.errorInformation.errorDescription, new RegExp(reason));
      assert.deepEqual(positions(world), ZERO);
    }
  });

  it('answers GET from state to the payer and the FXP, 3208 when unknown', () => {
    const world = fulfilledConversion();
    world.send('fx-transfer', CRID, {
      kind: 'GetFxTransfer',
      commitRequestId: CRID,
      source: 'fxp',
    });
    const answer = world.callbacks.at(-1);
    assert.deepEqual(answer?.body, {
      conversionState: 'RESERVED',
      completedTimestamp: '2026-05-28T20:26:39.000Z',
      fulfilment: FULFILMENT,
    });
    const other = '01J9ZQ4C5W3V6XK8R2M7N0P1CC';
    world.send('fx-transfer', other, {
      kind: 'GetFxTransfer',
      commitRequestId: other,
      source: 'payer',
    });
    assert.deepEqual(world.trail('payer').at(-1), `PUT /fxTransfers/${other}/error 3208`);
  });

  it('refuses a source reservation beyond the payer liquidity (4001) and tells the payer', () => {
    const world = new FxWorld();
    world.send('fx-transfer', CRID, fxPrepare({ sourceAmountMinor: 2_000_0000n }));
    assert.equal(fxPhase(world), 'aborted');
    assert.deepEqual(world.trail('payer'), [`PUT /fxTransfers/${CRID}/error 4001`]);
    assert.deepEqual(positions(world), ZERO);
  });
});

// A conversion's ledger entries live under `fx:<commitRequestId>` on the participant, so a
// transfer whose transferId equals a commitRequestId neither shares its reservation nor skips
// its own liquidity check (before, it was answered FundsReserved from the conversion's slot).
describe('a transfer and a conversion with the same id', () => {
  const plainTransfer = (amountMinor: bigint) =>
    prepareTransfer({
      transferId: CRID,
      requestHash: 'plain-hash',
      payeeFsp: 'fxp',
      currency: 'USD',
      amountMinor,
    });
  const plainFulfil = {
    ...payeeFulfil,
    transferId: CRID,
    source: 'fxp',
    requestHash: 'plain-fulfil',
  };

  it('conversion first: the transfer gets its own liquidity check and reservation', () => {
    const world = new FxWorld();
    world.send('fx-transfer', CRID, fxPrepare());
    world.send('transfer', CRID, plainTransfer(1_000_000_0000n));
    assert.equal(world.state<TransferState>('transfer', CRID).phase, 'aborted');
    assert.deepEqual(world.trail('payer').at(-1), `PUT /transfers/${CRID}/error 4001`);
    assert.deepEqual(positions(world), { ...ZERO, payerUSD: USD_100 });
    // A transfer within liquidity reserves beside the conversion, and each commits its own.
    const world2 = new FxWorld();
    world2.send('fx-transfer', CRID, fxPrepare());
    world2.send('fx-transfer', CRID, fxFulfil());
    world2.send('transfer', CRID, plainTransfer(5_0000n));
    assert.deepEqual(positions(world2), { ...ZERO, payerUSD: USD_100 + 5_0000n });
    world2.send('transfer', CRID, plainFulfil);
    assert.equal(world2.state<TransferState>('transfer', CRID).phase, 'committed');
    assert.deepEqual(positions(world2), { ...ZERO, payerUSD: USD_100 + 5_0000n, fxpUSD: -5_0000n });
    world2.send('transfer', TID, prepareTransfer());
    world2.send('transfer', TID, payeeFulfil);
    assert.deepEqual(positions(world2), {
      payerUSD: USD_100 + 5_0000n,
      fxpUSD: -USD_100 - 5_0000n,
      fxpEUR: EUR_90,
      payeeEUR: -EUR_90,
    });
    assertBalanced(world2);
  });

  it('transfer first: the conversion reserves its own source amount', () => {
    const world = new FxWorld();
    world.send('transfer', CRID, plainTransfer(5_0000n));
    world.send('fx-transfer', CRID, fxPrepare());
    assert.deepEqual(positions(world), { ...ZERO, payerUSD: USD_100 + 5_0000n });
    // The plain transfer's abort releases only its own reservation.
    world.nowMs = START_MS + 60_000;
    world.send('transfer', CRID, { kind: 'ExpireTransfer' });
    assert.deepEqual(positions(world), { ...ZERO, payerUSD: USD_100 });
    assert.equal(fxPhase(world), 'reserved');
    world.nowMs = START_MS + 1_000;
    world.send('fx-transfer', CRID, fxFulfil());
    world.send('transfer', TID, prepareTransfer());
    world.send('transfer', TID, payeeFulfil);
    assert.deepEqual(positions(world), {
      payerUSD: USD_100,
      fxpUSD: -USD_100,
      fxpEUR: EUR_90,
      payeeEUR: -EUR_90,
    });
    assertBalanced(world);
  });

  it('a conversion beyond the payer liquidity is refused although the transfer reserved', () => {
    const world = new FxWorld();
    world.send('transfer', CRID, plainTransfer(5_0000n));
    world.send('fx-transfer', CRID, fxPrepare({ sourceAmountMinor: 2_000_0000n }));
    assert.equal(fxPhase(world), 'aborted');
    assert.deepEqual(world.trail('payer').at(-1), `PUT /fxTransfers/${CRID}/error 4001`);
    assert.deepEqual(positions(world), { ...ZERO, payerUSD: 5_0000n });
  });
});

// A bulk individual refused by the dependent rules reports to its bulk like any refused
// individual (else the bulk waits forever), whoever sent it.
describe('a dependent transfer as a bulk individual', () => {
  const BULK = '01J9ZQ4C5W3V6XK8R2M7N0P1DD';
  const ctx = {
    actorId: TID,
    nowMs: START_MS,
    hub: { hubName: 'Hub', onUsTransfers: false, confirmToPayee: false },
  };

  function refuse(overrides: Record<string, unknown>) {
    const linked = fulfilledConversion().state<TransferState>('transfer', TID);
    const command = prepareTransfer({ bulkTransferId: BULK, ...overrides });
    // biome-ignore lint/suspicious/noExplicitAny: the fixture is a PrepareTransfer.
    const decision = transferActor.decide(linked, command as any, ctx);
    const reports = decision.effects.flatMap((e) =>
      e.kind === 'send' && e.to.type === 'bulkTransfer'
        ? [{ key: e.to.key, ...(e.command as IndividualReported) }]
        : [],
    );
    return { linked, decision, reports };
  }

  it('the payer individual: recorded under its bulk, reported ABORTED, the conversion aborted', () => {
    const { linked, decision, reports } = refuse({ amountMinor: 1n });
    assert.deepEqual(
      reports.map((r) => [
        r.key,
        r.kind,
        r.transferId,
        r.outcome.state,
        'error' in r.outcome ? r.outcome.error.errorCode : undefined,
      ]),
      [[BULK, 'IndividualReported', TID, 'ABORTED', '3100']],
    );
    assert.ok(decision.effects.some((e) => e.kind === 'send' && e.to.key === CRID));
    assert.ok(
      !decision.effects.some((e) => e.kind === 'callback'),
      'the bulk reports, not the individual',
    );
    const after = decision.events.reduce(transferActor.evolve, linked);
    assert.equal(after.phase === 'aborted' ? after.terms.bulkTransferId : undefined, BULK);
  });

  it('another DFSP individual: reported ABORTED, nothing recorded, the conversion untouched', () => {
    const { decision, reports } = refuse({ payerFsp: 'payee', source: 'payee' });
    assert.deepEqual(
      reports.map((r) => [
        r.key,
        r.outcome.state,
        'error' in r.outcome ? r.outcome.error.errorCode : undefined,
      ]),
      [[BULK, 'ABORTED', '3100']],
    );
    assert.deepEqual(decision.events, []);
    assert.equal(decision.effects.length, 1);
  });
});
