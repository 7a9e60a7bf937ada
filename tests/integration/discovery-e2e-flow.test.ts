// Discovery end to end over real sockets (issue 5, "Tests"): a payee registers a party, the payer
// looks it up, gets a quote and pays it, as one flow in v1.1 and in v2.0 (with a SubId and a
// Unicode name); then the lookup's edges: party not found (3204), unknown requester, a lookup
// with FSPIOP-Destination, and the Content-Type version negotiated for the requester. One mkondo
// (dev layout) on a real NATS and PostgreSQL; the DFSPs are simulated HTTP servers.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DfspSim } from '../helpers/dfsp-sim.ts';
import {
  accepted,
  dfspCall,
  errorCode,
  expectCallback,
  expectHubError,
  media,
  type PartyInfo,
  partyAnswer,
  quoteAnswer,
  quoteRequest,
} from '../helpers/discovery-e2e.ts';
import { ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { startWorld, type World } from '../helpers/transfer-world.ts';

const PAYER = 'payerfsp';
const PAYEE = 'payeefsp';
const OTHER = 'otherfsp';
const VERSION_REFUSAL = {
  errorCode: '3001',
  errorDescription: 'Unacceptable version requested - otherfsp speaks 1.0 and 1.1',
};

let world: World;
const sim = (name: string): DfspSim => {
  const found = world.sims[name];
  assert.ok(found, name);
  return found;
};
const url = () => world.switch.fspiopUrl;

let counter = 0;
function msisdn(): string {
  counter += 1;
  return `2557${String(Date.now()).slice(-6)}${String(counter).padStart(2, '0')}`;
}

function partyPath(resource: string, party: PartyInfo): string {
  const sub = party.partySubIdOrType ? `/${party.partySubIdOrType}` : '';
  return `/${resource}/${party.partyIdType}/${party.partyIdentifier}${sub}`;
}

/** POST /participants by the owner, and its hub callback. */
async function register(party: PartyInfo, version: string): Promise<void> {
  const path = partyPath('participants', party);
  const body = { fspId: party.fspId, currency: 'USD' };
  await accepted(url(), {
    method: 'POST',
    path,
    resource: 'participants',
    source: party.fspId,
    version,
    body,
  });
  await expectCallback(sim(party.fspId), {
    method: 'PUT',
    path,
    source: 'Hub',
    destination: party.fspId,
    contentType: media('participants', '1.0'),
    body: { fspId: party.fspId },
  });
}

/** GET /parties by the payer, forwarded to the owner, answered, relayed back. */
async function lookup(party: PartyInfo, name: string, version: string) {
  const path = partyPath('parties', party);
  await accepted(url(), { method: 'GET', path, resource: 'parties', source: PAYER, version });
  await expectCallback(sim(party.fspId), {
    method: 'GET',
    path,
    source: PAYER,
    // The payer named no destination: the hub names the owner it found, as the ALS does.
    destination: party.fspId,
    contentType: media('parties', version),
  });
  const answer = partyAnswer(party, name);
  await accepted(url(), {
    method: 'PUT',
    path,
    resource: 'parties',
    source: party.fspId,
    destination: PAYER,
    version,
    body: answer,
  });
  await expectCallback(sim(PAYER), {
    method: 'PUT',
    path,
    source: party.fspId,
    destination: PAYER,
    contentType: media('parties', version),
    body: answer,
  });
}

async function quote(payer: PartyInfo, payee: PartyInfo, version: string, condition: string) {
  const request = quoteRequest({ payer, payee, amount: '25.5', currency: 'USD' });
  const common = { resource: 'quotes', version };
  await accepted(url(), {
    ...common,
    method: 'POST',
    path: '/quotes',
    source: PAYER,
    destination: PAYEE,
    body: request,
  });
  const routing = { source: PAYER, destination: PAYEE, contentType: media('quotes', version) };
  await expectCallback(sim(PAYEE), {
    method: 'POST',
    path: '/quotes',
    ...routing,
    body: request,
    containing: request.quoteId,
  });
  const answer = quoteAnswer('25.5', 'USD', condition);
  const path = `/quotes/${request.quoteId}`;
  await accepted(url(), {
    ...common,
    method: 'PUT',
    path,
    source: PAYEE,
    destination: PAYER,
    body: answer,
  });
  await expectCallback(sim(PAYER), {
    method: 'PUT',
    path,
    source: PAYEE,
    destination: PAYER,
    contentType: media('quotes', version),
    body: answer,
  });
  return request.transactionId;
}

async function transfer(transferId: string, version: string, pair: ReturnType<typeof ilpPair>) {
  const terms = { payerFsp: PAYER, payeeFsp: PAYEE, amount: '25.5', currency: 'USD' };
  const prepare = prepareBody({ ...terms, condition: pair.condition, transferId });
  const common = { resource: 'transfers', version };
  await accepted(url(), {
    ...common,
    method: 'POST',
    path: '/transfers',
    source: PAYER,
    destination: PAYEE,
    body: prepare,
  });
  await expectCallback(sim(PAYEE), {
    method: 'POST',
    path: '/transfers',
    source: PAYER,
    destination: PAYEE,
    contentType: media('transfers', version),
    body: prepare,
    containing: transferId,
  });
  const fulfil = {
    transferState: 'COMMITTED',
    fulfilment: pair.fulfilment,
    completedTimestamp: new Date().toISOString(),
  };
  const path = `/transfers/${transferId}`;
  await accepted(url(), {
    ...common,
    method: 'PUT',
    path,
    source: PAYEE,
    destination: PAYER,
    body: fulfil,
  });
  await expectCallback(sim(PAYER), {
    method: 'PUT',
    path,
    source: PAYEE,
    destination: PAYER,
    contentType: media('transfers', version),
    body: fulfil,
  });
}

describe('discovery end to end: register, lookup, quote, transfer', { timeout: 90_000 }, () => {
  before(async () => {
    world = await startWorld({
      dfsps: [
        { name: PAYER, netDebitCap: '100000', fundsIn: '100000' },
        { name: PAYEE, netDebitCap: '100000', fundsIn: '100000' },
        {
          name: OTHER,
          netDebitCap: '1000',
          fundsIn: '1000',
          // Speaks 1.x only: refuses a 2.0 request as the Mojaloop SDK does (406, 3001).
          refuse: (r) =>
            r.headers['content-type']?.endsWith('version=2.0')
              ? { status: 406, body: { errorInformation: VERSION_REFUSAL } }
              : undefined,
        },
      ],
    });
  });

  after(async () => {
    await world?.stop();
  });

  const flows = [
    { version: '1.1', subId: undefined, name: 'ကောင်းထက်စံ ဒေါ်သန္တာထွန်' },
    { version: '2.0', subId: '30', name: 'Zoë Ångström-Pérez' },
  ];
  for (const { version, subId, name } of flows) {
    const title = `v${version}${subId ? ' with SubId' : ''}, party named ${name}`;
    it(`pays a registered phone number in one flow, ${title}`, async () => {
      const payee: PartyInfo = {
        partyIdType: 'MSISDN',
        partyIdentifier: msisdn(),
        ...(subId ? { partySubIdOrType: subId } : {}),
        fspId: PAYEE,
      };
      const payer: PartyInfo = { partyIdType: 'MSISDN', partyIdentifier: msisdn(), fspId: PAYER };
      const pair = ilpPair();
      await register(payee, version);
      await lookup(payee, name, version);
      const transactionId = await quote(payer, payee, version, pair.condition);
      await transfer(transactionId, version, pair);
    });
  }

  it("answers the requester with the owner's 3001 when the owner refuses the lookup", async () => {
    const party = { partyIdType: 'MSISDN', partyIdentifier: msisdn(), fspId: OTHER };
    await register(party, '1.1');
    const path = partyPath('parties', party);
    await accepted(url(), {
      method: 'GET',
      path,
      resource: 'parties',
      source: PAYER,
      version: '2.0',
    });
    await expectHubError(sim(PAYER), {
      path: `${path}/error`,
      to: PAYER,
      resource: 'parties',
      code: '3001',
    });
    const error = sim(PAYER).received.find((r) => r.path === `${path}/error`);
    assert.deepEqual(error?.body, { errorInformation: VERSION_REFUSAL });
  });

  it('answers 3204 to the requester when nobody owns the party', async () => {
    const path = `/parties/MSISDN/${msisdn()}`;
    await accepted(url(), { method: 'GET', path, resource: 'parties', source: PAYER });
    await expectHubError(sim(PAYER), {
      path: `${path}/error`,
      to: PAYER,
      resource: 'parties',
      code: '3204',
    });
  });

  it('refuses a lookup from an unknown requester synchronously', async () => {
    const path = `/parties/MSISDN/${msisdn()}`;
    const answer = await dfspCall(url(), {
      method: 'GET',
      path,
      resource: 'parties',
      source: 'nobodyfsp',
    });
    assert.equal(answer.status, 400);
    assert.equal(errorCode(answer.body), '3101');
  });

  it('forwards a lookup with FSPIOP-Destination to that DFSP, without the oracle', async () => {
    const party = { partyIdType: 'MSISDN', partyIdentifier: msisdn(), fspId: OTHER };
    const path = partyPath('parties', party);
    await accepted(url(), {
      method: 'GET',
      path,
      resource: 'parties',
      source: PAYER,
      destination: OTHER,
    });
    await expectCallback(sim(OTHER), {
      method: 'GET',
      path,
      source: PAYER,
      destination: OTHER,
      contentType: media('parties', '1.1'),
    });
  });

  /** Looks a party up with the given headers, answers in `answered`, returns what the payer got. */
  async function relayedAnswer(
    lookup: { readonly version?: string; readonly accept: string },
    answered: string,
    name: string,
  ) {
    const party = { partyIdType: 'MSISDN', partyIdentifier: msisdn(), fspId: PAYEE };
    await register(party, '1.1');
    const path = partyPath('parties', party);
    await accepted(url(), { method: 'GET', path, resource: 'parties', source: PAYER, ...lookup });
    await sim(PAYEE).waitFor((r) => r.method === 'GET' && r.path === path);
    const answer = partyAnswer(party, name);
    const put = { path, resource: 'parties', source: PAYEE, destination: PAYER };
    await accepted(url(), { ...put, method: 'PUT', version: answered, body: answer });
    return { path, answer };
  }

  it('relays the payee answer as written: 2.0 to a 1.x requester, as the ALS does', async () => {
    const { path, answer } = await relayedAnswer({ accept: '1.1' }, '2.0', 'Ama Owusu');
    const received = await expectCallback(sim(PAYER), {
      method: 'PUT',
      path,
      source: PAYEE,
      destination: PAYER,
      contentType: media('parties', '2.0'),
      body: answer,
    });
    assert.equal(received.text, JSON.stringify(answer));
  });

  it('names the owner the oracle found as FSPIOP-Destination of the forwarded GET', async () => {
    const { path } = await relayedAnswer({ accept: '1' }, '1.1', 'Kofi Mensah');
    const forwarded = sim(PAYEE).received.find((r) => r.method === 'GET' && r.path === path);
    assert.equal(forwarded?.headers['fspiop-destination'], PAYEE);
    assert.equal(forwarded?.headers['fspiop-source'], PAYER);
  });
});
