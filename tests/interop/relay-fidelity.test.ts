// Relay fidelity with end-to-end JWS (issue 20 item 3): a payer and a payee sign every message
// with @mojaloop/sdk-standard-components, as sdk-scheme-adapter does, and exchange a quote and a
// transfer through a real mkondo in FSPIOP 1.0, 1.1 and 2.0. The receiver must get the bytes and
// the headers the sender wrote (Content-Type, Accept, Date, FSPIOP-*), and the signature must
// validate there with the same library. Mojaloop's services relay these messages as written; a
// relabelled version or a rewritten body breaks the sender's signature.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DfspSim, type Received } from '../helpers/dfsp-sim.ts';
import { quoteAnswer, quoteRequest } from '../helpers/discovery-e2e.ts';
import { ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { waitQuiescent } from '../helpers/invariants.ts';
import { onboardDfsp, onboardHub, positionOf } from '../helpers/onboard.ts';
import {
  freshDatabase,
  type NatsServer,
  startNats,
  type TestDatabase,
} from '../helpers/services.ts';
import { type RunningSwitch, startSwitch } from '../helpers/switch.ts';
import {
  deliver,
  dfspKeys,
  type SignedRequest,
  signedRequest,
  ulid,
  validateAtReceiver,
} from './signed-dfsp.ts';

const CURRENCY = 'USD';
const keys = { payerfsp: dfspKeys(), payeefsp: dfspKeys() };
const publicKeys = { payerfsp: keys.payerfsp.publicKey, payeefsp: keys.payeefsp.publicKey };

let nats: NatsServer;
let db: TestDatabase;
let hub: RunningSwitch;
const payer = new DfspSim({ name: 'payerfsp' });
const payee = new DfspSim({ name: 'payeefsp' });

type Dfsp = keyof typeof keys;

/** Sends one signed message from `source` to `destination` and answers what was sent. */
async function send(
  source: Dfsp,
  destination: Dfsp,
  message: {
    method: 'POST' | 'PUT';
    path: string;
    resource: string;
    version: string;
    body: object;
  },
): Promise<SignedRequest> {
  const request = signedRequest({
    privateKey: keys[source].privateKey,
    method: message.method,
    url: `${hub.fspiopUrl}${message.path}`,
    resource: message.resource,
    version: message.version,
    source,
    destination,
    body: message.body as Record<string, unknown>,
  });
  const response = await deliver(request);
  assert.equal(response.status, message.method === 'POST' ? 202 : 200, response.text);
  return request;
}

/** The receiver got the sender's bytes and headers, and the signature holds there. */
function assertRelayedAsWritten(sent: SignedRequest, received: Received): void {
  assert.equal(received.text, sent.body, 'body bytes');
  const relayed = Object.fromEntries(
    Object.keys(sent.headers).map((name) => [name, received.headers[name]]),
  );
  assert.deepEqual(relayed, sent.headers, 'headers the sender wrote');
  assert.doesNotThrow(() => validateAtReceiver(publicKeys, received.headers, received.body));
}

/** The message `sent` as it reached `sim` (found by method, path and its body text). */
function arrival(sim: DfspSim, sent: SignedRequest): Promise<Received> {
  const path = new URL(sent.url).pathname;
  const id = JSON.parse(sent.body) as Record<string, unknown>;
  const key = String(id['quoteId'] ?? id['transferId'] ?? id['fulfilment'] ?? id['condition']);
  return sim.waitFor(
    (r) => r.method === sent.method && r.path === path && r.text.includes(key),
    15_000,
  );
}

describe('relayed messages keep the sender’s bytes, headers and JWS', { timeout: 120_000 }, () => {
  before(async () => {
    [nats, db] = await Promise.all([startNats(), freshDatabase()]);
    hub = await startSwitch({ natsUrl: nats.url, databaseUrl: db.url });
    await Promise.all([payer.start(), payee.start()]);
    await onboardHub({ adminUrl: hub.adminUrl, currency: CURRENCY });
    for (const sim of [payer, payee]) {
      const name = sim === payer ? 'payerfsp' : 'payeefsp';
      await onboardDfsp({
        adminUrl: hub.adminUrl,
        name,
        currency: CURRENCY,
        netDebitCap: '10000',
        fundsIn: '5000',
        endpointBase: sim.url,
      });
    }
  });

  after(async () => {
    await Promise.all([payer.stop(), payee.stop()]);
    await hub?.stop();
    await nats?.stop();
    await db?.drop();
  });

  for (const [version, newId] of [
    ['1.0', randomUUID],
    ['1.1', ulid],
    ['2.0', ulid],
  ] as const) {
    test(`a signed ${version} quote and transfer reach each side as written`, async () => {
      const payerBefore = await positionOf(hub.adminUrl, 'payerfsp', CURRENCY);
      const { fulfilment, condition } = ilpPair();
      const quoteId = newId();
      const transactionId = newId();
      const quote = {
        ...quoteRequest({
          payer: { partyIdType: 'MSISDN', partyIdentifier: '255711111111', fspId: 'payerfsp' },
          payee: { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'payeefsp' },
          amount: '12',
          currency: CURRENCY,
          quoteId,
        }),
        transactionId,
      };
      const m = (method: 'POST' | 'PUT', path: string, resource: string, body: object) => ({
        method,
        path,
        resource,
        version,
        body,
      });

      const quoteSent = await send('payerfsp', 'payeefsp', m('POST', '/quotes', 'quotes', quote));
      assertRelayedAsWritten(quoteSent, await arrival(payee, quoteSent));

      const terms = quoteAnswer('12', CURRENCY, condition);
      const answerPath = `/quotes/${quoteId}`;
      const answerSent = await send('payeefsp', 'payerfsp', m('PUT', answerPath, 'quotes', terms));
      assertRelayedAsWritten(answerSent, await arrival(payer, answerSent));

      const prepare = {
        ...prepareBody({
          payerFsp: 'payerfsp',
          payeeFsp: 'payeefsp',
          amount: '12',
          currency: CURRENCY,
          condition,
        }),
        transferId: transactionId,
      };
      const prepareSent = await send(
        'payerfsp',
        'payeefsp',
        m('POST', '/transfers', 'transfers', prepare),
      );
      assertRelayedAsWritten(prepareSent, await arrival(payee, prepareSent));

      const fulfil = {
        transferState: 'COMMITTED',
        fulfilment,
        completedTimestamp: new Date().toISOString(),
      };
      const fulfilPath = `/transfers/${transactionId}`;
      const fulfilSent = await send(
        'payeefsp',
        'payerfsp',
        m('PUT', fulfilPath, 'transfers', fulfil),
      );
      assertRelayedAsWritten(fulfilSent, await arrival(payer, fulfilSent));

      await waitQuiescent(db.url);
      const payerAfter = await positionOf(hub.adminUrl, 'payerfsp', CURRENCY);
      assert.equal(payerAfter, payerBefore + 12);
    });
  }
});
