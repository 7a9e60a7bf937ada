// The FSPIOP gateway's caller checks in process (MemoryRuntime), with the identity a TLS proxy
// sets in a header (FSPIOP_AUTH=header): a source that is not the caller is refused and nothing
// is published; a registration must name the caller; a DFSP over its request budget gets 503.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyActor } from '../../actors/actor.ts';
import { credentialActor } from '../../actors/credential/index.ts';
import { partyActor } from '../../actors/party/index.ts';
import { transferActor } from '../../actors/transfer/index.ts';
import { createFspiopApp } from '../../gateway/fspiop/app.ts';
import type { FspiopSecurity } from '../../gateway/fspiop/auth.ts';
import { MemoryRuntime } from '../../runtime/memory.ts';
import { rsaPair } from '../helpers/sdk-jws.ts';
import { CONDITION } from './transfer-fixtures.ts';

const NOW = Date.parse('2026-12-04T12:00:00.000Z');
const PAYER_FINGERPRINT = `AB:${'01:'.repeat(30)}CD`;

/** Directory entries only: the refused requests never reach an actor. */
const directoryOnly: AnyActor = {
  type: 'participant',
  initial: {},
  decide: (_state: unknown, command: { entry: unknown }) => ({
    events: [command.entry],
    effects: [],
    reply: null,
  }),
  evolve: (_state: unknown, entry: unknown) => entry,
  directoryEntry: (state: unknown) => state,
};

async function setup(security: Partial<FspiopSecurity> = {}) {
  const hub = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: false };
  const runtime = new MemoryRuntime({
    actors: [transferActor, partyActor, credentialActor, directoryOnly],
    hub,
    clock: () => NOW,
  });
  for (const name of ['payerfsp', 'payeefsp']) {
    const entry = { name, isActive: true, currencies: { USD: {} }, endpoints: {} };
    await runtime.send({ type: 'participant', key: name }, { entry });
  }
  const certificate = { id: 'payer', fingerprint256: PAYER_FINGERPRINT, createdAtMs: NOW };
  await runtime.send(
    { type: 'credential', key: 'payerfsp' },
    { kind: 'AddClientCertificate', certificate },
  );
  await runtime.send(
    { type: 'credential', key: 'payeefsp' },
    {
      kind: 'AddClientCertificate',
      certificate: { id: 'subject:payeefsp', subject: 'payeefsp', createdAtMs: NOW },
    },
  );
  await runtime.settle();
  const settings: FspiopSecurity = {
    authMode: 'header',
    authHeader: 'x-client-identity',
    jwsMode: 'verify-when-registered',
    ...security,
  };
  const app = createFspiopApp({
    bus: runtime,
    directory: runtime,
    hub,
    nowMs: () => NOW,
    security: settings,
  });
  return { runtime, app };
}

function headers(resource: string, source: string, identity: string): Record<string, string> {
  const media = `application/vnd.interoperability.${resource}+json;version=1.1`;
  return {
    accept: media,
    'content-type': media,
    date: new Date(NOW).toUTCString(),
    'fspiop-source': source,
    'x-client-identity': identity,
  };
}

const PREPARE = JSON.stringify({
  transferId: 'b51ec534-ee48-4575-b6a9-ead2955b8069',
  payerFsp: 'payeefsp',
  payeeFsp: 'payerfsp',
  amount: { amount: '10', currency: 'USD' },
  ilpPacket: 'AYIDBQAAAAAAACcQ',
  condition: CONDITION,
  expiration: '2026-12-04T12:10:00.000Z',
});

async function answer(response: Response) {
  const text = await response.text();
  const body = text ? (JSON.parse(text) as { errorInformation?: Record<string, string> }) : {};
  return [
    response.status,
    body.errorInformation?.['errorCode'],
    body.errorInformation?.['errorDescription'],
  ];
}

describe('FSPIOP callers authenticated by a TLS proxy header', () => {
  it('refuses a spoofed FSPIOP-Source and publishes nothing', async () => {
    const { runtime, app } = await setup();
    const spoofed = await app.request('/transfers', {
      method: 'POST',
      headers: {
        ...headers('transfers', 'payeefsp', PAYER_FINGERPRINT),
        'fspiop-destination': 'payerfsp',
      },
      body: PREPARE,
    });
    assert.deepEqual(await answer(spoofed), [
      400,
      '3000',
      'Generic client error - FSPIOP-Source payeefsp is not the authenticated participant',
    ]);
    const anonymous = await app.request('/transfers', {
      method: 'POST',
      headers: { ...headers('transfers', 'payeefsp', ''), 'fspiop-destination': 'payerfsp' },
      body: PREPARE,
    });
    assert.deepEqual(await answer(anonymous), [
      400,
      '3000',
      'Generic client error - no authenticated client identity',
    ]);
    await runtime.settle();
    assert.equal(runtime.events.filter((e) => e.ref.type === 'transfer').length, 0);
    assert.equal(runtime.callbacks.length, 0);
  });

  it('accepts the subject a proxy passes as a DN, for the participant it names', async () => {
    const { app } = await setup();
    const response = await app.request('/transfers', {
      method: 'POST',
      headers: {
        ...headers('transfers', 'payeefsp', 'CN=payeefsp,O=Payee Bank'),
        'fspiop-destination': 'payerfsp',
      },
      body: PREPARE,
    });
    assert.equal(response.status, 202);
  });

  it('refuses a party registration that names another DFSP as owner', async () => {
    const { runtime, app } = await setup();
    const response = await app.request('/participants/MSISDN/255700000001', {
      method: 'POST',
      headers: headers('participants', 'payerfsp', PAYER_FINGERPRINT.toLowerCase()),
      body: JSON.stringify({ fspId: 'payeefsp', currency: 'USD' }),
    });
    assert.deepEqual(await answer(response), [
      400,
      '3000',
      'Generic client error - fspId payeefsp is not the sender payerfsp',
    ]);
    await runtime.settle();
    assert.equal(runtime.events.filter((e) => e.ref.type === 'party').length, 0);
  });

  it('answers 503/2003 at once to a DFSP over its request budget, not to others', async () => {
    const { app } = await setup({ ratePerSecond: 1, burst: 2 });
    const send = (source: string, identity: string) =>
      app.request('/transfers/b51ec534-ee48-4575-b6a9-ead2955b8069', {
        method: 'GET',
        headers: headers('transfers', source, identity),
      });
    assert.equal((await send('payerfsp', PAYER_FINGERPRINT)).status, 202);
    assert.equal((await send('payerfsp', PAYER_FINGERPRINT)).status, 202);
    assert.deepEqual(await answer(await send('payerfsp', PAYER_FINGERPRINT)), [
      503,
      '2003',
      'Service currently unavailable - payerfsp is over its request budget',
    ]);
    assert.equal((await send('payeefsp', 'payeefsp')).status, 202);
  });
});

// Mojaloop signs only messages with a body: the SDK's signer refuses a request without one and its
// GET/DELETE helpers never sign; its inbound validator skips GET (fspiop.md §13). Bodiless requests
// are authenticated by the client certificate alone, also with JWS_VERIFY=required.
describe('FSPIOP-Signature on requests without a body', () => {
  it('is not asked of GET and DELETE; their source must still be the caller; bodies must be signed', async () => {
    const { runtime, app } = await setup({ jwsMode: 'required' });
    const key = { kid: 'payer-1', publicKeyPem: rsaPair().publicKey, createdAtMs: NOW };
    await runtime.send({ type: 'credential', key: 'payerfsp' }, { kind: 'AddJwsKey', key });
    await runtime.settle();
    const request = (method: string, path: string, source: string, body?: string) =>
      app.request(path, {
        method,
        headers: headers(path.split('/')[1] ?? '', source, PAYER_FINGERPRINT),
        ...(body === undefined ? {} : { body }),
      });
    const transfer = '/transfers/b51ec534-ee48-4575-b6a9-ead2955b8069';
    assert.equal((await request('GET', transfer, 'payerfsp')).status, 202);
    const party = '/participants/MSISDN/255700000001';
    assert.equal((await request('DELETE', party, 'payerfsp')).status, 202);
    assert.deepEqual(await answer(await request('GET', transfer, 'payeefsp')), [
      400,
      '3000',
      'Generic client error - FSPIOP-Source payeefsp is not the authenticated participant',
    ]);
    const registration = JSON.stringify({ fspId: 'payerfsp', currency: 'USD' });
    assert.deepEqual(await answer(await request('POST', party, 'payerfsp', registration)), [
      400,
      '3105',
      'Invalid signature - FSPIOP-Signature is required: payerfsp signs',
    ]);
  });
});
