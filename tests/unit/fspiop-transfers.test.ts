// In-process tests of the FSPIOP gateway's transfer routes over the MemoryRuntime: header and
// body validation answered synchronously, and the prepare → fulfil flow through the Transfer
// actor and a tiny fake Participant actor that follows the position command contract.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyActor } from '../../actors/actor.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import { transferActor } from '../../actors/transfer/index.ts';
import { createFspiopApp } from '../../gateway/fspiop/app.ts';
import { MemoryRuntime } from '../../runtime/memory.ts';
import { CONDITION, FULFILMENT } from './transfer-fixtures.ts';

type FakeState = { entry?: ParticipantDirectoryEntry; log: string[] };
type FakeCommand = { kind: string; transferId?: string; entry?: ParticipantDirectoryEntry };

const fakeParticipant: AnyActor = {
  type: 'participant',
  initial: { log: [] },
  decide: (_state: FakeState, command: FakeCommand) => {
    const events = [{ command }];
    if (command.kind !== 'ReserveFunds') return { events, effects: [], reply: null };
    const to = { type: 'transfer', key: command.transferId ?? '' };
    return {
      events,
      effects: [
        { kind: 'send', to, command: { kind: 'FundsReserved', transferId: command.transferId } },
      ],
      reply: null,
    };
  },
  evolve: (state: FakeState, event: { command: FakeCommand }) =>
    event.command.kind === 'Setup' && event.command.entry
      ? { ...state, entry: event.command.entry }
      : { ...state, log: [...state.log, `${event.command.kind}:${event.command.transferId}`] },
  directoryEntry: (state: FakeState) => state.entry,
};

const NOW = Date.parse('2026-05-28T20:26:40.000Z');
const TRANSFER_ID = 'b51ec534-ee48-4575-b6a9-ead2955b8069';
const CT = 'application/vnd.interoperability.transfers+json;version=1.1';

async function setup() {
  const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: false };
  const runtime = new MemoryRuntime({
    actors: [transferActor, fakeParticipant],
    hub,
    clock: () => NOW,
  });
  for (const name of ['payerfsp', 'payeefsp']) {
    const entry = {
      name,
      isActive: true,
      currencies: { USD: { positionAccountActive: true } },
      endpoints: {},
    };
    await runtime.send({ type: 'participant', key: name }, { kind: 'Setup', entry });
  }
  await runtime.settle();
  const app = createFspiopApp({ bus: runtime, directory: runtime, hub, nowMs: () => NOW });
  return { runtime, app };
}

function headers(source: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    accept: CT,
    'content-type': CT,
    date: new Date(NOW).toUTCString(),
    'fspiop-source': source,
    ...extra,
  };
}

const PREPARE = {
  transferId: TRANSFER_ID,
  payerFsp: 'payerfsp',
  payeeFsp: 'payeefsp',
  amount: { amount: '100.5', currency: 'USD' },
  ilpPacket: 'AYIDBQAAAAAAACcQ',
  condition: CONDITION,
  expiration: '2026-05-28T20:36:40.000Z',
};

async function errorOf(response: Response) {
  const body = (await response.json()) as {
    errorInformation: { errorCode: string; errorDescription: string };
  };
  return [response.status, body.errorInformation.errorCode, body.errorInformation.errorDescription];
}

describe('FSPIOP gateway: transfers', () => {
  it('runs prepare and fulfil through the actors and relays both messages', async () => {
    const { runtime, app } = await setup();
    const text = JSON.stringify(PREPARE);
    const posted = await app.request('/transfers', {
      method: 'POST',
      headers: headers('payerfsp', { traceparent: 't' }),
      body: text,
    });
    assert.equal(posted.status, 202);
    await runtime.settle();
    assert.equal(runtime.callbacks.length, 1);
    assert.equal(runtime.callbacks[0]?.to, 'payeefsp');
    assert.equal(runtime.callbacks[0]?.relay?.body, text);
    assert.equal(runtime.callbacks[0]?.relay?.headers['fspiop-source'], 'payerfsp');
    assert.equal(runtime.callbacks[0]?.relay?.headers['traceparent'], 't');
    const fulfil = JSON.stringify({
      transferState: 'COMMITTED',
      fulfilment: FULFILMENT,
      completedTimestamp: '2026-05-28T20:26:39.900Z',
    });
    const put = await app.request(`/transfers/${TRANSFER_ID}`, {
      method: 'PUT',
      headers: headers('payeefsp', { 'fspiop-destination': 'payerfsp' }),
      body: fulfil,
    });
    assert.equal(put.status, 200);
    await runtime.settle();
    assert.deepEqual(
      runtime.callbacks.map((c) => [c.to, c.method, c.endpointType]),
      [
        ['payeefsp', 'POST', 'FSPIOP_CALLBACK_URL_TRANSFER_POST'],
        ['payerfsp', 'PUT', 'FSPIOP_CALLBACK_URL_TRANSFER_PUT'],
      ],
    );
    assert.equal(runtime.callbacks[1]?.relay?.body, fulfil);
    const payer = await runtime.get<FakeState>({ type: 'participant', key: 'payerfsp' });
    assert.deepEqual(payer?.log, [
      `ReserveFunds:${TRANSFER_ID}`,
      `CommitReservation:${TRANSFER_ID}`,
    ]);
    const payee = await runtime.get<FakeState>({ type: 'participant', key: 'payeefsp' });
    assert.deepEqual(payee?.log, [`CreditPosition:${TRANSFER_ID}`]);
    const got = await app.request(`/transfers/${TRANSFER_ID}`, { headers: headers('payerfsp') });
    assert.equal(got.status, 202);
    await runtime.settle();
    assert.deepEqual(runtime.callbacks[2]?.body, {
      transferState: 'COMMITTED',
      completedTimestamp: '2026-05-28T20:26:39.900Z',
      fulfilment: FULFILMENT,
    });
  });

  it('stamps null payee facts for an unknown payee, so the actor answers 3100', async () => {
    const { runtime, app } = await setup();
    const body = JSON.stringify({ ...PREPARE, payeeFsp: 'nobody' });
    assert.equal(
      (await app.request('/transfers', { method: 'POST', headers: headers('payerfsp'), body }))
        .status,
      202,
    );
    await runtime.settle();
    assert.deepEqual(runtime.callbacks[0]?.body, {
      errorInformation: {
        errorCode: '3100',
        errorDescription: 'Generic validation error - Participant nobody not found',
      },
    });
  });

  it('rejects bad headers synchronously and publishes nothing', async () => {
    const { runtime, app } = await setup();
    const body = JSON.stringify(PREPARE);
    const cases: Array<[Record<string, string>, unknown[]]> = [
      [
        { date: '' },
        [400, '3102', "Missing mandatory element - /header must have required property 'date'"],
      ],
      [{ date: '12345' }, [400, '3101', 'Malformed syntax - Invalid date header']],
      [
        { 'content-type': CT.replace('1.1', '3.0') },
        [
          406,
          '3001',
          'Unacceptable version requested - Client supplied a protocol version which is not supported by the server',
        ],
      ],
      [{ accept: 'testAcceptText' }, [400, '3101', 'Malformed syntax - Invalid accept header']],
      [
        { 'fspiop-source': '' },
        [
          400,
          '3102',
          "Missing mandatory element - /header must have required property 'fspiop-source'",
        ],
      ],
    ];
    for (const [change, expected] of cases) {
      const h = Object.fromEntries(
        Object.entries({ ...headers('payerfsp'), ...change }).filter(([, v]) => v !== ''),
      );
      assert.deepEqual(
        await errorOf(await app.request('/transfers', { method: 'POST', headers: h, body })),
        expected,
      );
    }
    await runtime.settle();
    assert.equal(runtime.callbacks.length, 0);
  });

  it('rejects bad bodies, stale timestamps and unknown paths with FSPIOP errors', async () => {
    const { app } = await setup();
    const post = (body: string) =>
      app.request('/transfers', { method: 'POST', headers: headers('payerfsp'), body });
    assert.deepEqual(await errorOf(await post('{bad')), [
      400,
      '3101',
      'Malformed syntax - request body is not valid JSON',
    ]);
    const { condition: _c, ...noCondition } = PREPARE;
    assert.deepEqual(await errorOf(await post(JSON.stringify(noCondition))), [
      400,
      '3100',
      "Generic validation error - /requestBody must have required property 'condition'",
    ]);
    const badAmount = { ...PREPARE, amount: { amount: '10.12345', currency: 'USD' } };
    assert.deepEqual((await errorOf(await post(JSON.stringify(badAmount)))).slice(0, 2), [
      400,
      '3100',
    ]);
    const big = await post(JSON.stringify({ ...PREPARE, ilpPacket: 'A'.repeat(6 * 1024 * 1024) }));
    assert.deepEqual((await errorOf(big)).slice(0, 2), [400, '3104']);
    const stale = JSON.stringify({
      transferState: 'COMMITTED',
      fulfilment: FULFILMENT,
      completedTimestamp: '2026-05-28T20:00:00.000Z',
    });
    const put = await app.request(`/transfers/${TRANSFER_ID}`, {
      method: 'PUT',
      headers: headers('payeefsp'),
      body: stale,
    });
    assert.deepEqual(await errorOf(put), [
      400,
      '3100',
      'Generic validation error - completedTimestamp is too old',
    ]);
    const missingId = await app.request('/transfers/', {
      method: 'PUT',
      headers: headers('payeefsp'),
      body: stale,
    });
    assert.deepEqual((await errorOf(missingId)).slice(0, 2), [404, '3002']);
  });
});
