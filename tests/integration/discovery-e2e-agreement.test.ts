// Discovery and agreement end to end over real sockets (issue 5, "Tests"): an external oracle
// over HTTP registered through the Admin /oracles route; quotes to an inactive or unknown payee
// (3201), a modified resend (3106), a relayed quote error and GET /quotes; transaction requests
// accepted and rejected; an authorization round trip. One mkondo (dev layout) on a real NATS
// and PostgreSQL; DFSPs and the oracle are simulated HTTP servers.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DfspSim } from '../helpers/dfsp-sim.ts';
import {
  accepted,
  type DfspCall,
  expectCallback,
  expectHubError,
  media,
  type PartyInfo,
  quoteAnswer,
  quoteRequest,
  transactionRequest,
} from '../helpers/discovery-e2e.ts';
import { ilpPair } from '../helpers/fspiop-client.ts';
import { adminExpect } from '../helpers/onboard.ts';
import { type OracleSim, startOracleSim } from '../helpers/oracle-sim.ts';
import { sleep, startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

const PAYER = 'payerfsp';
const PAYEE = 'payeefsp';
const DORMANT = 'dormantfsp';

let world: World;
let oracle: OracleSim;
const sim = (name: string): DfspSim => {
  const found = world.sims[name];
  assert.ok(found, name);
  return found;
};
const url = () => world.switch.fspiopUrl;
const payer: PartyInfo = { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: PAYER };
const payee: PartyInfo = { partyIdType: 'MSISDN', partyIdentifier: '255700000002', fspId: PAYEE };

function quotesCall(source: string, destination: string, rest: Partial<DfspCall>): DfspCall {
  return { method: 'POST', path: '/quotes', resource: 'quotes', source, destination, ...rest };
}

/** POST /quotes from the payer to `to`; resolves once the switch accepted it. */
async function postQuote(to: string, quoteId = randomUUID()) {
  const request = quoteRequest({ payer, payee, amount: '10', currency: 'USD', quoteId });
  await accepted(url(), quotesCall(PAYER, to, { body: request }));
  return request;
}

/** A quote forwarded to the payee and answered by it, as the payer received the answer. */
async function answeredQuote() {
  const request = await postQuote(PAYEE);
  await sim(PAYEE).waitFor((r) => r.method === 'POST' && r.text.includes(request.quoteId));
  const answer = quoteAnswer('10', 'USD', ilpPair().condition);
  const path = `/quotes/${request.quoteId}`;
  await accepted(url(), quotesCall(PAYEE, PAYER, { method: 'PUT', path, body: answer }));
  await sim(PAYER).waitFor((r) => r.method === 'PUT' && r.path === path);
  return { request, answer, path };
}

describe('discovery end to end: oracles, quotes, transaction requests', { timeout: 90_000 }, () => {
  before(async () => {
    oracle = await startOracleSim();
    world = await startWorld({
      dfsps: [
        { name: PAYER, netDebitCap: '100000', fundsIn: '100000' },
        { name: PAYEE, netDebitCap: '100000', fundsIn: '100000' },
        { name: DORMANT, netDebitCap: '1000', fundsIn: '1000' },
      ],
    });
    await adminExpect(world.switch.adminUrl, 200, 'PUT', `/participants/${DORMANT}`, {
      isActive: false,
    });
  });

  after(async () => {
    await world?.stop();
    await oracle?.close();
  });

  it('registers and looks up BUSINESS parties through an external oracle over HTTP', async () => {
    const adminUrl = world.switch.adminUrl;
    const endpoint = { value: oracle.url, endpointType: 'URL' };
    const terms = { oracleIdType: 'BUSINESS', endpoint, currency: 'USD', isDefault: true };
    await adminExpect(adminUrl, 201, 'POST', '/oracles', { ...terms, external: true });
    const listed = (await adminExpect(adminUrl, 200, 'GET', '/oracles?type=BUSINESS')) as {
      oracleId: string;
    }[];
    assert.deepEqual(
      listed.map(({ oracleId: _id, ...rest }) => rest),
      [{ ...terms, external: true }],
    );
    // The gateway reads oracles from the directory: wait until a probe reaches the oracle.
    const probe = { method: 'GET', resource: 'participants', source: PAYER } as const;
    await waitUntil('oracle in use', async () => {
      await accepted(url(), { ...probe, path: '/participants/BUSINESS/probe' });
      await sleep(100);
      return oracle.requests.some((r) => r.url.startsWith('/participants/BUSINESS/probe'));
    });

    const id = `shop-${randomUUID().slice(0, 8)}`;
    const path = `/participants/BUSINESS/${id}`;
    const body = { fspId: PAYEE, currency: 'USD' };
    await accepted(url(), { method: 'POST', path, resource: 'participants', source: PAYEE, body });
    await expectCallback(sim(PAYEE), {
      method: 'PUT',
      path,
      source: 'Hub',
      destination: PAYEE,
      contentType: media('participants', '1.0'),
      body: { fspId: PAYEE },
    });
    assert.deepEqual(
      oracle.requests.find((r) => r.method === 'POST'),
      { method: 'POST', url: path, body },
    );

    const parties = `/parties/BUSINESS/${id}`;
    await accepted(url(), { method: 'GET', path: parties, resource: 'parties', source: PAYER });
    await expectCallback(sim(PAYEE), {
      method: 'GET',
      path: parties,
      source: PAYER,
      destination: PAYEE, // the owner the oracle found, as the ALS names it
      contentType: media('parties', '1.1'),
    });
    assert.ok(oracle.requests.some((r) => r.method === 'GET' && r.url === path));

    const unknown = `/parties/BUSINESS/nobody-${id}`;
    await accepted(url(), { method: 'GET', path: unknown, resource: 'parties', source: PAYER });
    await expectHubError(sim(PAYER), {
      path: `${unknown}/error`,
      to: PAYER,
      resource: 'parties',
      code: '3204',
    });
  });

  for (const [what, to] of [
    ['an inactive', DORMANT],
    ['an unknown', 'ghostfsp'],
  ] as const) {
    it(`answers 3201 to the payer for a quote to ${what} payee`, async () => {
      const request = await postQuote(to);
      await expectHubError(sim(PAYER), {
        path: `/quotes/${request.quoteId}/error`,
        to: PAYER,
        resource: 'quotes',
        code: '3201',
      });
      assert.equal(sim(DORMANT).received.length, 0);
    });
  }

  it('re-forwards an identical quote resend and refuses a modified one (3106)', async () => {
    const request = await postQuote(PAYEE);
    const forwarded = (r: { method: string; text: string }) =>
      r.method === 'POST' && r.text.includes(request.quoteId);
    await sim(PAYEE).waitFor(forwarded);
    await accepted(url(), quotesCall(PAYER, PAYEE, { body: request }));
    await waitUntil('resend', () => sim(PAYEE).received.filter(forwarded).length === 2);
    const modified = { ...request, amount: { amount: '11', currency: 'USD' } };
    await accepted(url(), quotesCall(PAYER, PAYEE, { body: modified }));
    await expectHubError(sim(PAYER), {
      path: `/quotes/${request.quoteId}/error`,
      to: PAYER,
      resource: 'quotes',
      code: '3106',
    });
    assert.equal(sim(PAYEE).received.filter(forwarded).length, 2);
  });

  it("relays the payee's quote error to the payer unchanged", async () => {
    const request = await postQuote(PAYEE);
    await sim(PAYEE).waitFor((r) => r.method === 'POST' && r.text.includes(request.quoteId));
    const path = `/quotes/${request.quoteId}/error`;
    const error = { errorInformation: { errorCode: '5101', errorDescription: 'Payee rejected' } };
    await accepted(url(), quotesCall(PAYEE, PAYER, { method: 'PUT', path, body: error }));
    await expectCallback(sim(PAYER), {
      method: 'PUT',
      path,
      source: PAYEE,
      destination: PAYER,
      contentType: media('quotes', '1.1'),
      body: error,
    });
  });

  it('answers GET /quotes/{ID} with the stored answer, and 3205 for an unknown one', async () => {
    const { answer, path } = await answeredQuote();
    const before = sim(PAYER).received.filter((r) => r.path === path).length;
    await accepted(url(), quotesCall(PAYER, PAYEE, { method: 'GET', path }));
    await waitUntil(
      'GET answer',
      () => sim(PAYER).received.filter((r) => r.path === path).length > before,
    );
    const resent = sim(PAYER)
      .received.filter((r) => r.path === path)
      .at(-1);
    assert.deepEqual(
      {
        method: resent?.method,
        source: resent?.headers['fspiop-source'],
        destination: resent?.headers['fspiop-destination'],
        body: resent?.body,
      },
      { method: 'PUT', source: PAYEE, destination: PAYER, body: answer },
    );
    const unknown = `/quotes/${randomUUID()}`;
    // Without FSPIOP-Destination the hub has nobody to ask: 3205 (with one, it forwards the GET).
    await accepted(url(), { method: 'GET', path: unknown, resource: 'quotes', source: PAYER });
    await expectHubError(sim(PAYER), {
      path: `${unknown}/error`,
      to: PAYER,
      resource: 'quotes',
      code: '3205',
    });
  });

  for (const state of ['ACCEPTED', 'REJECTED'] as const) {
    it(`relays a transaction request and the payer's ${state} answer`, async () => {
      const request = transactionRequest(payer, payee, '7');
      const common = { resource: 'transactionRequests' };
      const post = { ...common, method: 'POST', path: '/transactionRequests' } as const;
      await accepted(url(), { ...post, source: PAYEE, destination: PAYER, body: request });
      await expectCallback(sim(PAYER), {
        method: 'POST',
        path: '/transactionRequests',
        source: PAYEE,
        destination: PAYER,
        contentType: media('transactionRequests', '1.1'),
        body: request,
        containing: request.transactionRequestId,
      });
      const path = `/transactionRequests/${request.transactionRequestId}`;
      const answer = {
        ...(state === 'ACCEPTED' ? { transactionId: randomUUID() } : {}),
        transactionRequestState: state,
      };
      const put = { ...common, method: 'PUT', path } as const;
      await accepted(url(), { ...put, source: PAYER, destination: PAYEE, body: answer });
      await expectCallback(sim(PAYEE), {
        method: 'PUT',
        path,
        source: PAYER,
        destination: PAYEE,
        contentType: media('transactionRequests', '1.1'),
        body: answer,
      });
    });
  }

  it('relays an OTP authorization request and its answer', async () => {
    const id = randomUUID();
    const path = `/authorizations/${id}?authenticationType=OTP&retriesLeft=2&amount=7&currency=USD`;
    const common = { resource: 'authorizations' };
    await accepted(url(), { ...common, method: 'GET', path, source: PAYER, destination: PAYEE });
    await expectCallback(sim(PAYEE), {
      method: 'GET',
      path,
      source: PAYER,
      destination: PAYEE,
      contentType: media('authorizations', '1.1'),
    });
    const answer = {
      authenticationInfo: { authentication: 'OTP', authenticationValue: '1234' },
      responseType: 'ENTERED',
    };
    const putPath = `/authorizations/${id}`;
    await accepted(url(), {
      ...common,
      method: 'PUT',
      path: putPath,
      source: PAYEE,
      destination: PAYER,
      body: answer,
    });
    await expectCallback(sim(PAYER), {
      method: 'PUT',
      path: putPath,
      source: PAYEE,
      destination: PAYER,
      contentType: media('authorizations', '1.1'),
      body: answer,
    });
  });
});
