// The bulk actors with no services: the FSPIOP gateway in process over the MemoryRuntime, hosting
// the real BulkTransfer, Transfer and Participant actors. A bulk is split into individual
// transfers that each pass the payer's checks on their own (NDC, duplicates), the reserved ones
// reach the payee as one POST, the payee's PUT commits or aborts each one, and the payer gets one
// PUT with every result; expiry, duplicates, GET and the bulk's own checks complete the table.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type BulkIndividual,
  type BulkTransferCommand,
  type BulkTransferState,
  bulkTransferActor,
} from '../../actors/bulk-transfer/index.ts';
import type { Callback } from '../../actors/callback.ts';
import { participantActor } from '../../actors/participant/index.ts';
import { accountValueMinor } from '../../actors/participant/ledger.ts';
import type { ParticipantCommand } from '../../actors/participant/messages.ts';
import { findAccount, type ParticipantState } from '../../actors/participant/state.ts';
import { transferActor } from '../../actors/transfer/index.ts';
import type { TransferState } from '../../actors/transfer/state.ts';
import { createFspiopApp } from '../../gateway/fspiop/app.ts';
import { MemoryRuntime } from '../../runtime/memory.ts';
import { CONDITION, FULFILMENT } from './transfer-fixtures.ts';

const START = Date.parse('2026-05-28T20:26:40.000Z');
const EXPIRATION = '2026-05-28T20:36:40.000Z';
const PAYER = 'payerfsp';
const PAYEE = 'payeefsp';
const OUTSIDER = 'outsiderfsp';
const BULK_ID = '01J9ZQ4C5W3V6XK8R2M7N0P1B0';
const QUOTE_ID = '01J9ZQ4C5W3V6XK8R2M7N0P1Q0';
const ids = ['A', 'B', 'C', 'D'].map((letter) => `01J9ZQ4C5W3V6XK8R2M7N0P1${letter}1`);
const [A, B, C, D] = ids as [string, string, string, string];

/** A currency's POSITION and SETTLEMENT accounts, opened in `seq` order (USD first, then XOF). */
function funded(
  participantId: number,
  limit: bigint,
  currency = 'USD',
  seq = 0,
): ParticipantCommand[] {
  return [
    {
      kind: 'CreateParticipant',
      participantId,
      currency,
      isProxy: false,
      accountTypes: ['POSITION', 'SETTLEMENT'],
    },
    {
      kind: 'SetInitialPositionAndLimits',
      currency,
      netDebitCapMinor: limit,
      alarmPercentage: 10,
      initialPositionMinor: 0n,
    },
    {
      kind: 'RecordFundsIn',
      transferId: `funds-${participantId}-${currency}`,
      accountId: participantId * 100 + seq * 2 + 2,
      currency,
      amountMinor: limit,
    },
  ];
}

async function setup() {
  let now = START;
  const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };
  const runtime = new MemoryRuntime({
    actors: [bulkTransferActor, transferActor, participantActor],
    hub,
    clock: () => now,
  });
  const plans: Array<[string, number]> = [
    [PAYER, 5],
    [PAYEE, 6],
    [OUTSIDER, 7],
  ];
  for (const [name, id] of plans) {
    for (const command of funded(id, 1000_0000n)) {
      await runtime.send({ type: 'participant', key: name }, command);
    }
  }
  await runtime.settle();
  const app = createFspiopApp({ bus: runtime, directory: runtime, hub, nowMs: () => now });
  const call = async (method: string, path: string, source: string, body?: unknown) => {
    const resource = path.split('/')[1] ?? '';
    const type = `application/vnd.interoperability.${resource}+json;version=1.1`;
    const response = await app.request(path, {
      method,
      headers: {
        accept: type,
        'content-type': type,
        date: new Date(now).toUTCString(),
        'fspiop-source': source,
        ...(source === PAYEE ? { 'fspiop-destination': PAYER } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await runtime.settle();
    return response.status;
  };
  const position = async (name: string, currency = 'USD') => {
    const state = await runtime.get<ParticipantState>({ type: 'participant', key: name });
    assert.ok(state && state.phase !== 'absent');
    const account = findAccount(state, currency, 'POSITION');
    assert.ok(account);
    return { valueMinor: accountValueMinor(account), reserved: Object.keys(state.reservations) };
  };
  const transfer = (id: string) => runtime.get<TransferState>({ type: 'transfer', key: id });
  const to = (dfsp: string, path: string): Callback[] =>
    runtime.callbacks.filter((c) => c.to === dfsp && c.path === path);
  return {
    runtime,
    call,
    position,
    transfer,
    to,
    advance: (ms: number) => {
      now += ms;
      runtime.fireTimers(now);
      return runtime.settle();
    },
  };
}

const individual = (transferId: string, amount: string, currency = 'USD') => ({
  transferId,
  transferAmount: { amount, currency },
  ilpPacket: 'AYIDBQAAAAAAACcQ',
  condition: CONDITION,
});

function bulkBody(individuals: unknown[], overrides: Record<string, unknown> = {}) {
  return {
    bulkTransferId: BULK_ID,
    bulkQuoteId: QUOTE_ID,
    payerFsp: PAYER,
    payeeFsp: PAYEE,
    individualTransfers: individuals,
    expiration: EXPIRATION,
    ...overrides,
  };
}

function codeOf(callback: Callback | undefined): string | undefined {
  const body = callback?.body as { errorInformation?: { errorCode?: string } } | undefined;
  return body?.errorInformation?.errorCode;
}

const error = (code: string, description: string) => ({
  errorCode: code,
  errorDescription: description,
});

describe('bulk transfers over the actors', () => {
  it('fails individuals alone, forwards the rest as one POST, and reports every result once', async () => {
    const world = await setup();
    // D already exists as a single transfer: its individual fails with 3106, D is untouched.
    const single = { ...individual(D, '100'), amount: { amount: '100', currency: 'USD' } };
    const { transferAmount: _t, ...singleBody } = single;
    const prepared = { ...singleBody, payerFsp: PAYER, payeeFsp: PAYEE, expiration: EXPIRATION };
    assert.equal(await world.call('POST', '/transfers', PAYER, prepared), 202);
    const bulk = bulkBody([
      individual(A, '300'),
      individual(B, '300'),
      individual(C, '500'),
      individual(D, '100'),
    ]);
    assert.equal(await world.call('POST', '/bulkTransfers', PAYER, bulk), 202);
    const [forward] = world.to(PAYEE, '/bulkTransfers');
    assert.ok(forward?.relay);
    assert.equal(forward.relay.headers['fspiop-source'], PAYER);
    const sent = JSON.parse(forward.relay.body ?? '') as {
      individualTransfers: { transferId: string }[];
    };
    assert.deepEqual(
      sent.individualTransfers.map((t) => t.transferId),
      [A, B],
    );
    assert.deepEqual((await world.position(PAYER)).reserved.sort(), [A, B, D].sort());

    const answer = {
      bulkTransferState: 'COMPLETED',
      completedTimestamp: '2026-05-28T20:26:39.900Z',
      individualTransferResults: [
        { transferId: A, fulfilment: FULFILMENT },
        { transferId: B, errorInformation: error('5100', 'Payee rejected the transfer') },
      ],
    };
    assert.equal(await world.call('PUT', `/bulkTransfers/${BULK_ID}`, PAYEE, answer), 200);
    const [result] = world.to(PAYER, `/bulkTransfers/${BULK_ID}`);
    const body = result?.body as {
      bulkTransferState: string;
      individualTransferResults: Array<{
        transferId: string;
        fulfilment?: string;
        errorInformation?: { errorCode: string; errorDescription: string };
      }>;
    };
    assert.equal(body.bulkTransferState, 'COMPLETED');
    assert.deepEqual(
      body.individualTransferResults.map((r) => [
        r.transferId,
        r.fulfilment ?? r.errorInformation?.errorCode,
      ]),
      [
        [A, FULFILMENT],
        [B, '5100'],
        [C, '4001'],
        [D, '3106'],
      ],
    );
    assert.equal(
      body.individualTransferResults[3]?.errorInformation?.errorDescription,
      'Modified request - Individual transfer prepare duplicate',
    );
    // The payer heard of no individual on its own: one PUT for the whole bulk.
    assert.equal(world.runtime.callbacks.filter((c) => c.to === PAYER).length, 1);
    // The payee's copy holds only the individuals it was sent.
    const [copy] = world.to(PAYEE, `/bulkTransfers/${BULK_ID}`);
    assert.ok(copy);
    const copied = (copy.body as typeof body).individualTransferResults;
    assert.deepEqual(
      copied.map((r) => r.transferId),
      [A, B],
    );
    assert.equal(world.to(PAYEE, `/bulkTransfers/${BULK_ID}`).length, 1);
    assert.deepEqual(await world.position(PAYER), { valueMinor: 400_0000n, reserved: [D] });
    assert.deepEqual(await world.position(PAYEE), { valueMinor: -300_0000n, reserved: [] });
    assert.equal((await world.transfer(D))?.phase, 'reserved');
    assert.equal((await world.transfer(A))?.phase, 'committed');
    assert.equal((await world.transfer(B))?.phase, 'aborted');
  });

  it('checks each individual against the payee account in its own currency', async () => {
    const world = await setup();
    // The payer holds USD and XOF; the payee holds USD only. B, in XOF, must fail on its own
    // before any reservation: were it reserved and forwarded, the payee's fulfil would credit an
    // XOF position the payee does not have.
    for (const command of funded(5, 1000_0000n, 'XOF', 1)) {
      await world.runtime.send({ type: 'participant', key: PAYER }, command);
    }
    await world.runtime.settle();
    const bulk = bulkBody([
      individual(A, '300'),
      individual(B, '200', 'XOF'),
      individual(C, '100'),
    ]);
    assert.equal(await world.call('POST', '/bulkTransfers', PAYER, bulk), 202);
    const [forward] = world.to(PAYEE, '/bulkTransfers');
    const sent = JSON.parse(forward?.relay?.body ?? '') as {
      individualTransfers: { transferId: string }[];
    };
    assert.deepEqual(
      sent.individualTransfers.map((t) => t.transferId),
      [A, C],
    );
    // Reservations are the participant's, across currencies: B holds none, XOF is untouched.
    assert.deepEqual(await world.position(PAYER, 'XOF'), { valueMinor: 0n, reserved: [A, C] });
    assert.equal((await world.transfer(B))?.phase, 'aborted');
    // The payee answers for B as well: an individual it was not sent is not committed.
    const answer = {
      bulkTransferState: 'COMPLETED',
      completedTimestamp: '2026-05-28T20:26:39.900Z',
      individualTransferResults: [A, B, C].map((transferId) => ({
        transferId,
        fulfilment: FULFILMENT,
      })),
    };
    assert.equal(await world.call('PUT', `/bulkTransfers/${BULK_ID}`, PAYEE, answer), 200);
    const [result] = world.to(PAYER, `/bulkTransfers/${BULK_ID}`);
    const body = result?.body as {
      bulkTransferState: string;
      individualTransferResults: Array<{
        transferId: string;
        fulfilment?: string;
        errorInformation?: { errorCode: string; errorDescription: string };
      }>;
    };
    assert.equal(body.bulkTransferState, 'COMPLETED');
    assert.deepEqual(
      body.individualTransferResults.map((r) => [
        r.transferId,
        r.fulfilment ?? r.errorInformation?.errorCode,
      ]),
      [
        [A, FULFILMENT],
        [B, '3100'],
        [C, FULFILMENT],
      ],
    );
    assert.equal(
      body.individualTransferResults[1]?.errorInformation?.errorDescription,
      `Generic validation error - Participant ${PAYEE} XOF account not found`,
    );
    assert.deepEqual(await world.position(PAYER), { valueMinor: 400_0000n, reserved: [] });
    assert.deepEqual(await world.position(PAYER, 'XOF'), { valueMinor: 0n, reserved: [] });
    assert.deepEqual(await world.position(PAYEE), { valueMinor: -400_0000n, reserved: [] });
    assert.equal((await world.transfer(A))?.phase, 'committed');
    assert.equal((await world.transfer(C))?.phase, 'committed');
    // The payee's partition still takes commands: a later single transfer credits it.
    const payee = await world.runtime.get<ParticipantState>({ type: 'participant', key: PAYEE });
    assert.equal(payee?.phase, 'registered');
  });

  it('expires the bulk as a whole: reservations released, 3303 to both', async () => {
    const world = await setup();
    const bulk = bulkBody([individual(A, '10'), individual(B, '20')]);
    assert.equal(await world.call('POST', '/bulkTransfers', PAYER, bulk), 202);
    assert.equal(world.to(PAYEE, '/bulkTransfers').length, 1);
    assert.equal((await world.position(PAYER)).valueMinor, 30_0000n);
    await world.advance(Date.parse(EXPIRATION) - START);
    const [result] = world.to(PAYER, `/bulkTransfers/${BULK_ID}`);
    const body = result?.body as {
      bulkTransferState: string;
      individualTransferResults: Array<{ errorInformation: { errorCode: string } }>;
    };
    assert.equal(body.bulkTransferState, 'COMPLETED');
    assert.deepEqual(
      body.individualTransferResults.map((r) => r.errorInformation.errorCode),
      ['3303', '3303'],
    );
    const [toPayee] = world.to(PAYEE, `/bulkTransfers/${BULK_ID}/error`);
    assert.deepEqual(toPayee?.body, { errorInformation: error('3303', 'Transfer expired') });
    assert.deepEqual(await world.position(PAYER), { valueMinor: 0n, reserved: [] });
    // A late answer from the payee is refused as expired.
    const late = { bulkTransferState: 'COMPLETED', individualTransferResults: [] };
    assert.equal(await world.call('PUT', `/bulkTransfers/${BULK_ID}`, PAYEE, late), 200);
    assert.equal(world.to(PAYEE, `/bulkTransfers/${BULK_ID}/error`).length, 2);
  });

  it('answers a resent bulk from its state, and refuses a modified one with 3106', async () => {
    const world = await setup();
    const bulk = bulkBody([individual(A, '10')]);
    await world.call('POST', '/bulkTransfers', PAYER, bulk);
    await world.call('PUT', `/bulkTransfers/${BULK_ID}/error`, PAYEE, {
      errorInformation: error('5100', 'no thanks'),
    });
    const results = () => world.to(PAYER, `/bulkTransfers/${BULK_ID}/error`);
    assert.deepEqual(results()[0]?.body, { errorInformation: error('5100', 'no thanks') });
    assert.equal(await world.call('POST', '/bulkTransfers', PAYER, bulk), 202);
    assert.equal(results().length, 2);
    assert.deepEqual(results()[1]?.body, results()[0]?.body);
    const modified = bulkBody([individual(A, '11')]);
    assert.equal(await world.call('POST', '/bulkTransfers', PAYER, modified), 202);
    assert.equal(codeOf(results()[2]), '3106');
    assert.equal(world.to(PAYEE, '/bulkTransfers').length, 1);
    assert.deepEqual(await world.position(PAYER), { valueMinor: 0n, reserved: [] });
  });

  it('answers GET from stored state: 3210 unknown, 3000 to an outsider', async () => {
    const world = await setup();
    await world.call('GET', `/bulkTransfers/${BULK_ID}`, PAYER);
    assert.equal(codeOf(world.to(PAYER, `/bulkTransfers/${BULK_ID}/error`)[0]), '3210');
    await world.call('POST', '/bulkTransfers', PAYER, bulkBody([individual(A, '10')]));
    await world.call('GET', `/bulkTransfers/${BULK_ID}`, OUTSIDER);
    assert.equal(codeOf(world.to(OUTSIDER, `/bulkTransfers/${BULK_ID}/error`)[0]), '3000');
    await world.call('GET', `/bulkTransfers/${BULK_ID}`, PAYEE);
    assert.deepEqual(world.to(PAYEE, `/bulkTransfers/${BULK_ID}`)[0]?.body, {
      bulkTransferState: 'ACCEPTED',
    });
  });

  it('refuses a bulk that fails its own checks as a whole, creating no individual', async () => {
    const world = await setup();
    const past = bulkBody([individual(A, '10')], { expiration: '2026-05-28T20:00:00.000Z' });
    assert.equal(await world.call('POST', '/bulkTransfers', PAYER, past), 202);
    const [refused] = world.to(PAYER, `/bulkTransfers/${BULK_ID}/error`);
    assert.deepEqual(refused?.body, {
      errorInformation: error(
        '3100',
        'Generic validation error - Expiration date 2026-05-28T20:00:00.000Z is already in the past',
      ),
    });
    assert.equal(await world.transfer(A), undefined);
  });

  it('refuses synchronously a bulk that names one transferId twice', async () => {
    const world = await setup();
    const twice = bulkBody([individual(A, '10'), individual(A, '10')]);
    assert.equal(await world.call('POST', '/bulkTransfers', PAYER, twice), 400);
    assert.equal(world.runtime.callbacks.length, 0);
  });
});

describe('the bulk actor on its own', () => {
  const ctx = {
    actorId: BULK_ID,
    nowMs: START,
    hub: { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true },
  };
  const apply = (state: BulkTransferState, command: BulkTransferCommand) => {
    const decision = bulkTransferActor.decide(state, command, ctx);
    return { decision, state: decision.events.reduce(bulkTransferActor.evolve, state) };
  };
  const one = (transferId: string): BulkIndividual => ({
    ...individual(transferId, '1'),
    amountMinor: 1_0000n,
  });
  const chunk = (chunkIndex: number, individuals: BulkIndividual[]): BulkTransferCommand => ({
    kind: 'AddBulkIndividuals',
    requestHash: 'h',
    chunkIndex,
    individuals,
  });

  it('drops a chunk that repeats a transferId instead of reaching its assertion', () => {
    const facts = { isActive: true, positionAccountActive: true, positionAccountExists: true };
    const header: BulkTransferCommand = {
      kind: 'PrepareBulkTransfer',
      bulkTransferId: BULK_ID,
      bulkQuoteId: QUOTE_ID,
      payerFsp: PAYER,
      payeeFsp: PAYEE,
      expiration: EXPIRATION,
      expiresAtMs: Date.parse(EXPIRATION),
      source: PAYER,
      requestHash: 'h',
      individualCount: 3,
      chunkCount: 3,
      payee: facts,
      payeeByCurrency: { USD: facts },
      headers: {},
    };
    let { state } = apply(bulkTransferActor.initial, header);
    ({ state } = apply(state, chunk(0, [one(A)])));
    for (const repeated of [chunk(1, [one(A)]), chunk(1, [one(B), one(B)])]) {
      const { decision } = apply(state, repeated);
      assert.equal(decision.reply.kind, 'ignored');
      assert.deepEqual(decision.events, []);
      assert.deepEqual(decision.effects, []);
    }
    const { decision } = apply(state, chunk(1, [one(B)]));
    assert.equal(decision.reply.kind, 'accepted');
    assert.equal(decision.events.length, 1);
  });
});
