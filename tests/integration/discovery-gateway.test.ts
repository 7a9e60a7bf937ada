// In-process discovery flow through createFspiopApp with a MemoryRuntime: register -> lookup ->
// quote, 3204, unknown requester, malformed input. A fake participant actor publishes the
// directory entries the gateway reads.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyActor } from '../../actors/actor.ts';
import { ACTORS } from '../../actors/index.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import { createFspiopApp } from '../../gateway/fspiop/app.ts';
import { MemoryRuntime } from '../../runtime/memory.ts';

const fakeParticipant: AnyActor = {
  type: 'participant',
  initial: null,
  decide: (_state, command) => ({ events: [command], effects: [], reply: { kind: 'ok' } }),
  evolve: (_state, event) => event,
  directoryEntry: (state) => state ?? undefined,
};

const ENDPOINTS = {
  FSPIOP_CALLBACK_URL_QUOTES: 'http://dfsp',
  FSPIOP_CALLBACK_URL_PARTIES_GET: 'http://dfsp/parties/{{partyIdType}}/{{partyIdentifier}}',
};

function entry(name: string, isActive = true): ParticipantDirectoryEntry {
  return {
    name,
    isActive,
    currencies: { USD: { positionAccountActive: true } },
    endpoints: ENDPOINTS,
  };
}

async function setup() {
  const runtime = new MemoryRuntime({
    actors: [...ACTORS.filter((a) => a.type !== 'participant'), fakeParticipant],
    hub: { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true },
  });
  for (const e of [entry('payer'), entry('payee'), entry('sleepy', false)]) {
    await runtime.send({ type: 'participant', key: e.name }, e);
  }
  await runtime.settle();
  const app = createFspiopApp({
    bus: runtime,
    directory: runtime,
    hub: { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true },
  });
  return { runtime, app };
}

const DATE = new Date(0).toUTCString();

function headers(
  resource: string,
  source: string,
  version = '1.1',
  extra: Record<string, string> = {},
) {
  return {
    accept: `application/vnd.interoperability.${resource}+json;version=${version.split('.')[0]}`,
    'content-type': `application/vnd.interoperability.${resource}+json;version=${version}`,
    date: DATE,
    'fspiop-source': source,
    ...extra,
  };
}

const QUOTE_ID = '01JBVM14S6SC453EY9XMHZ5ZS2';

function quoteBody(name: string) {
  return {
    quoteId: QUOTE_ID,
    transactionId: '01JBVM14S6SC453EY9XMHZ5ZS3',
    payee: {
      partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '123', partySubIdOrType: '30' },
      name,
    },
    payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '999', fspId: 'payer' } },
    amountType: 'RECEIVE',
    amount: { amount: '100.5', currency: 'USD' },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  };
}

function errorCodeOf(callback: { body?: unknown } | undefined): string | undefined {
  return (callback?.body as { errorInformation?: { errorCode: string } } | undefined)
    ?.errorInformation?.errorCode;
}

describe('discovery gateway (in process)', () => {
  it('registers a party with SubId, looks it up and quotes it in v1.1 and v2.0', async () => {
    for (const version of ['1.1', '2.0']) {
      const { runtime, app } = await setup();
      const register = await app.request('/participants/MSISDN/123/30', {
        method: 'POST',
        headers: headers('participants', 'payee', version),
        body: JSON.stringify({ fspId: 'payee', currency: 'USD' }),
      });
      assert.equal(register.status, 202);
      await runtime.settle();
      assert.equal(
        runtime.callbacks.at(-1)?.endpointType,
        'FSPIOP_CALLBACK_URL_PARTICIPANT_SUB_ID_PUT',
      );
      assert.deepEqual(runtime.callbacks.at(-1)?.body, { fspId: 'payee' });

      const lookup = await app.request('/parties/MSISDN/123/30', {
        headers: headers('parties', 'payer', version),
      });
      assert.equal(lookup.status, 202);
      await runtime.settle();
      const forward = runtime.callbacks.at(-1);
      assert.equal(forward?.to, 'payee');
      assert.equal(forward?.method, 'GET');
      assert.equal(forward?.path, '/parties/MSISDN/123/30');
      assert.equal(forward?.relay?.headers['fspiop-destination'], undefined, 'relayed as sent');

      const body = JSON.stringify(quoteBody('Ĵõsé မြန်မာ'));
      const quote = await app.request('/quotes', {
        method: 'POST',
        headers: headers('quotes', 'payer', version, { 'fspiop-destination': 'payee' }),
        body,
      });
      assert.equal(quote.status, 202);
      await runtime.settle();
      const forwarded = runtime.callbacks.at(-1);
      assert.equal(forwarded?.to, 'payee');
      assert.equal(forwarded?.path, '/quotes');
      assert.equal(forwarded?.relay?.body, body);
    }
  });

  it('answers 3204 to the requester when nobody owns the party', async () => {
    const { runtime, app } = await setup();
    const lookup = await app.request('/parties/MSISDN/555', {
      headers: headers('parties', 'payer'),
    });
    assert.equal(lookup.status, 202);
    await runtime.settle();
    const error = runtime.callbacks.at(-1);
    assert.equal(error?.to, 'payer');
    assert.equal(error?.path, '/parties/MSISDN/555/error');
    assert.equal(errorCodeOf(error), '3204');
  });

  it('refuses an unknown requester synchronously with 3101', async () => {
    const { app } = await setup();
    const lookup = await app.request('/parties/MSISDN/555', {
      headers: headers('parties', 'nobody'),
    });
    assert.equal(lookup.status, 400);
    const body = (await lookup.json()) as {
      errorInformation: { errorCode: string; errorDescription: string };
    };
    assert.equal(body.errorInformation.errorCode, '3101');
    assert.match(body.errorInformation.errorDescription, /fspiop-source/);
  });

  it('forwards a lookup straight to FSPIOP-Destination', async () => {
    const { runtime, app } = await setup();
    const lookup = await app.request('/parties/MSISDN/777', {
      headers: headers('parties', 'payer', '1.1', { 'fspiop-destination': 'payee' }),
    });
    assert.equal(lookup.status, 202);
    await runtime.settle();
    assert.equal(runtime.callbacks.at(-1)?.to, 'payee');
  });

  it('refuses a quote to an inactive payee with 3201 and a modified resend with 3106', async () => {
    const { runtime, app } = await setup();
    const send = (destination: string, name: string) =>
      app.request('/quotes', {
        method: 'POST',
        headers: headers('quotes', 'payer', '1.1', { 'fspiop-destination': destination }),
        body: JSON.stringify(quoteBody(name)),
      });
    assert.equal((await send('sleepy', 'A')).status, 202);
    await runtime.settle();
    const refused = runtime.callbacks.at(-1);
    assert.equal(refused?.to, 'payer');
    assert.equal(errorCodeOf(refused), '3201');
    assert.equal((await send('sleepy', 'B')).status, 202);
    await runtime.settle();
    const modified = runtime.callbacks.at(-1);
    assert.equal(errorCodeOf(modified), '3106');
  });

  it('rejects a quote without FSPIOP-Destination (3102) and a body without quoteId (3100)', async () => {
    const { app } = await setup();
    const noDestination = await app.request('/quotes', {
      method: 'POST',
      headers: headers('quotes', 'payer'),
      body: JSON.stringify(quoteBody('A')),
    });
    assert.equal(noDestination.status, 400);
    const e1 = (await noDestination.json()) as { errorInformation: { errorCode: string } };
    assert.equal(e1.errorInformation.errorCode, '3102');
    const { quoteId: _omit, ...rest } = quoteBody('A');
    const noId = await app.request('/quotes', {
      method: 'POST',
      headers: headers('quotes', 'payer', '1.1', { 'fspiop-destination': 'payee' }),
      body: JSON.stringify(rest),
    });
    assert.equal(noId.status, 400);
    const e2 = (await noId.json()) as {
      errorInformation: { errorCode: string; errorDescription: string };
    };
    assert.equal(e2.errorInformation.errorCode, '3100');
    assert.match(e2.errorInformation.errorDescription, /quoteId/);
  });
});
