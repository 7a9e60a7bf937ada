// Bulk quotes with no services: the FSPIOP gateway in process over the MemoryRuntime with the
// BulkQuote and Participant actors. The bulk is relayed to the payee as one message and the answer
// back to the payer; resends, modified resends, GET and an unusable payee are answered as quotes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bulkQuoteActor } from '../../actors/bulk-quote/index.ts';
import type { Callback } from '../../actors/callback.ts';
import { participantActor } from '../../actors/participant/index.ts';
import { createFspiopApp } from '../../gateway/fspiop/app.ts';
import { MemoryRuntime } from '../../runtime/memory.ts';
import { CONDITION } from './transfer-fixtures.ts';

const NOW = Date.parse('2026-05-28T20:26:40.000Z');
const ID = '01J9ZQ4C5W3V6XK8R2M7N0P1B0';
const TYPE = 'application/vnd.interoperability.bulkQuotes+json;version=1.1';

async function setup() {
  const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };
  const runtime = new MemoryRuntime({
    actors: [bulkQuoteActor, participantActor],
    hub,
    clock: () => NOW,
  });
  for (const [name, participantId] of [
    ['payerfsp', 5],
    ['payeefsp', 6],
  ] as const) {
    const to = { type: 'participant', key: name };
    await runtime.send(to, {
      kind: 'CreateParticipant',
      participantId,
      currency: 'USD',
      isProxy: false,
      accountTypes: ['POSITION', 'SETTLEMENT'],
    });
    await runtime.send(to, {
      kind: 'SetInitialPositionAndLimits',
      currency: 'USD',
      netDebitCapMinor: 1000_0000n,
      alarmPercentage: 10,
      initialPositionMinor: 0n,
    });
    await runtime.send(to, {
      kind: 'SetEndpoint',
      endpointType: 'FSPIOP_CALLBACK_URL_BULK_QUOTES',
      value: `http://${name}.example`,
    });
  }
  await runtime.settle();
  const app = createFspiopApp({ bus: runtime, directory: runtime, hub, nowMs: () => NOW });
  const call = async (
    method: string,
    path: string,
    source: string,
    destination: string,
    body?: unknown,
  ) => {
    const response = await app.request(path, {
      method,
      headers: {
        ...(method === 'PUT' ? {} : { accept: TYPE }),
        'content-type': TYPE,
        date: new Date(NOW).toUTCString(),
        'fspiop-source': source,
        'fspiop-destination': destination,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await runtime.settle();
    return response.status;
  };
  return { runtime, call };
}

const party = (id: string, fspId: string) => ({
  partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: id, fspId },
});

const REQUEST = {
  bulkQuoteId: ID,
  payer: party('255700000009', 'payerfsp'),
  individualQuotes: [
    {
      quoteId: '01J9ZQ4C5W3V6XK8R2M7N0P1Q1',
      transactionId: '01J9ZQ4C5W3V6XK8R2M7N0P1T1',
      payee: party('255700000001', 'payeefsp'),
      amountType: 'SEND',
      amount: { amount: '10', currency: 'USD' },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    },
  ],
};

const ANSWER = {
  expiration: '2026-05-28T20:36:40.000Z',
  individualQuoteResults: [
    {
      quoteId: '01J9ZQ4C5W3V6XK8R2M7N0P1Q1',
      transferAmount: { amount: '10', currency: 'USD' },
      ilpPacket: 'AYIDBQAAAAAAACcQ',
      condition: CONDITION,
    },
  ],
};

const route = (c: Callback) => [c.to, c.method, c.path, c.relay ? 'relayed' : 'hub'];
const codeOf = (c: Callback | undefined) =>
  (c?.body as { errorInformation?: { errorCode?: string } } | undefined)?.errorInformation
    ?.errorCode;

describe('bulk quotes over the actors', () => {
  it('relays the bulk and its answer as one message each, and GET from the stored answer', async () => {
    const { runtime, call } = await setup();
    assert.equal(await call('POST', '/bulkQuotes', 'payerfsp', 'payeefsp', REQUEST), 202);
    assert.equal(await call('PUT', `/bulkQuotes/${ID}`, 'payeefsp', 'payerfsp', ANSWER), 200);
    assert.equal(await call('GET', `/bulkQuotes/${ID}`, 'payerfsp', 'payeefsp'), 202);
    assert.deepEqual(runtime.callbacks.map(route), [
      ['payeefsp', 'POST', '/bulkQuotes', 'relayed'],
      ['payerfsp', 'PUT', `/bulkQuotes/${ID}`, 'relayed'],
      ['payerfsp', 'PUT', `/bulkQuotes/${ID}`, 'relayed'],
    ]);
    assert.equal(runtime.callbacks[0]?.endpointType, 'FSPIOP_CALLBACK_URL_BULK_QUOTES');
    assert.deepEqual(JSON.parse(runtime.callbacks[2]?.relay?.body ?? ''), ANSWER);
  });

  it('re-forwards an identical resend and refuses a modified one with 3106', async () => {
    const { runtime, call } = await setup();
    await call('POST', '/bulkQuotes', 'payerfsp', 'payeefsp', REQUEST);
    await call('POST', '/bulkQuotes', 'payerfsp', 'payeefsp', REQUEST);
    await call('POST', '/bulkQuotes', 'payerfsp', 'payeefsp', {
      ...REQUEST,
      payer: party('1', 'payerfsp'),
    });
    assert.deepEqual(runtime.callbacks.map(route), [
      ['payeefsp', 'POST', '/bulkQuotes', 'relayed'],
      ['payeefsp', 'POST', '/bulkQuotes', 'relayed'],
      ['payerfsp', 'PUT', `/bulkQuotes/${ID}/error`, 'hub'],
    ]);
    assert.equal(codeOf(runtime.callbacks[2]), '3106');
  });

  it('answers 3209 for an unknown bulk quote and 3201 for a payee without the endpoint', async () => {
    const { runtime, call } = await setup();
    await call('GET', `/bulkQuotes/${ID}`, 'payerfsp', 'nobody');
    assert.equal(codeOf(runtime.callbacks[0]), '3209');
    await call('POST', '/bulkQuotes', 'payerfsp', 'nobody', REQUEST);
    assert.equal(codeOf(runtime.callbacks[1]), '3201');
  });

  it('refuses synchronously a bulk of more than 1,000 quotes', async () => {
    const { runtime, call } = await setup();
    const quote = REQUEST.individualQuotes[0];
    const tooMany = { ...REQUEST, individualQuotes: Array.from({ length: 1001 }, () => quote) };
    assert.equal(await call('POST', '/bulkQuotes', 'payerfsp', 'payeefsp', tooMany), 400);
    assert.equal(runtime.callbacks.length, 0);
  });
});
