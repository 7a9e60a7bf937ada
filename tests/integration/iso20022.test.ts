// The ISO 20022 binding end to end over real sockets (issue 15): DFSPs of both API types in one
// hub. An ISO payer pays an FSPIOP payee and the reverse, each side receiving every message in its
// own type, valid against its own official definition (the ISO JSON schemas of
// @mojaloop/api-snippets; the FSPIOP valibot schemas the conformance test checks against the
// FSPIOP OpenAPI). Between two ISO DFSPs a message goes as written, byte for byte. The hub's own
// errors reach an ISO DFSP as pacs.002, and invalid ISO input is refused synchronously and changes
// nothing. One mkondo (dev layout) on a real NATS and PostgreSQL; invariants checked at the end.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as v from 'valibot';
import { derivedMsgId } from '../../gateway/iso20022/context.ts';
import { fspiopToIso } from '../../gateway/iso20022/messages.ts';
import { QuotesPostRequest } from '../../schema/fspiop/quotes.ts';
import { TransfersIDPutResponse, TransfersPostRequest } from '../../schema/fspiop/transfers.ts';
import type { Received } from '../helpers/dfsp-sim.ts';
import { dfspCall } from '../helpers/discovery-e2e.ts';
import { type Answer, errorCodeOf, fspiop, ilpPair } from '../helpers/fspiop-client.ts';
import { walletIlpPacket } from '../helpers/ilp-packet.ts';
import { checkInvariants } from '../helpers/invariants.ts';
import { isoSchemaFault } from '../helpers/iso-schema.ts';
import { admin, positionOf } from '../helpers/onboard.ts';
import { sleep, startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

const ISO_PAYER = 'isopayer';
const ISO_PAYEE = 'isopayee';
const FSP_PAYER = 'fsppayer';
const FSP_PAYEE = 'fsppayee';
const LEARNER = 'isolearner';
const ISO_MEDIA = 'application/vnd.interoperability.iso20022.transfers+json;version=2.0';
const FSPIOP_MEDIA = 'application/vnd.interoperability.transfers+json;version=2.0';

let world: World;
const sim = (name: string) => {
  const found = world.sims[name];
  assert.ok(found, name);
  return found;
};

const ulid = () => derivedMsgId(randomUUID());

function send(
  method: 'POST' | 'PUT',
  path: string,
  route: { source: string; destination: string; iso: boolean },
  body: unknown,
): Promise<Answer> {
  const resource = path.split('/')[1] ?? 'transfers';
  const media = (route.iso ? ISO_MEDIA : FSPIOP_MEDIA).replace('transfers', resource);
  return fspiop(world.switch.fspiopUrl, {
    method,
    path,
    source: route.source,
    destination: route.destination,
    version: '2.0',
    body,
    headers: {
      'content-type': media,
      accept: method === 'POST' ? media.replace('version=2.0', 'version=2') : undefined,
    },
  });
}

function pacs008(payer: string, payee: string, amount: string, id: string, condition: string) {
  return {
    GrpHdr: {
      MsgId: ulid(),
      CreDtTm: new Date().toISOString(),
      NbOfTxs: '1',
      SttlmInf: { SttlmMtd: 'CLRG' },
      PmtInstrXpryDtTm: new Date(Date.now() + 60_000).toISOString(),
    },
    CdtTrfTxInf: {
      PmtId: { TxId: id },
      IntrBkSttlmAmt: { Ccy: 'USD', ActiveCurrencyAndAmount: amount },
      ChrgBr: 'SHAR',
      Dbtr: { Id: { PrvtId: { Othr: { Id: '1', SchmeNm: { Prtry: 'MSISDN' } } } } },
      DbtrAgt: { FinInstnId: { Othr: { Id: payer } } },
      CdtrAgt: { FinInstnId: { Othr: { Id: payee } } },
      Cdtr: { Id: { PrvtId: { Othr: { Id: '2', SchmeNm: { Prtry: 'MSISDN' } } } } },
      VrfctnOfTerms: { IlpV4PrepPacket: walletIlpPacket(payer, payee, condition) },
    },
  };
}

function pacs002(fulfilment: string) {
  return {
    GrpHdr: { MsgId: ulid(), CreDtTm: new Date().toISOString() },
    TxInfAndSts: {
      ExctnConf: fulfilment,
      PrcgDt: { DtTm: new Date().toISOString() },
      TxSts: 'COMM',
    },
  };
}

const at = (method: string, path: string) => (r: Received) =>
  r.method === method && r.path === path;

async function positions(names: readonly string[]): Promise<number[]> {
  return Promise.all(names.map((name) => positionOf(world.switch.adminUrl, name, 'USD')));
}

async function expectPositions(names: readonly string[], expected: number[]): Promise<void> {
  await waitUntil('positions', async () => {
    const now = await positions(names);
    return now.every((value, i) => value === expected[i]);
  }).catch(() => undefined);
  assert.deepEqual(await positions(names), expected);
}

describe('ISO 20022 and FSPIOP DFSPs in one hub', { timeout: 120_000 }, () => {
  before(async () => {
    const dfsp = (name: string) => ({ name, netDebitCap: '1000', fundsIn: '1000' });
    world = await startWorld({
      dfsps: [ISO_PAYER, ISO_PAYEE, FSP_PAYER, FSP_PAYEE, LEARNER].map(dfsp),
    });
    for (const name of [ISO_PAYER, ISO_PAYEE]) {
      const path = `/participants/${name}/apiType`;
      const answer = await admin(world.switch.adminUrl, 'PUT', path, { apiType: 'ISO20022' });
      assert.deepEqual(answer.body, { apiType: 'iso20022', source: 'set' });
    }
  });

  after(async () => {
    await world?.stop();
  });

  it('an ISO payer pays an FSPIOP payee, each side reading its own API type', async () => {
    const before = await positions([ISO_PAYER, FSP_PAYEE]);
    const pair = ilpPair();
    const id = ulid();
    const route = { source: ISO_PAYER, destination: FSP_PAYEE, iso: true };
    const prepare = pacs008(ISO_PAYER, FSP_PAYEE, '12.50', id, pair.condition);
    assert.equal((await send('POST', '/transfers', route, prepare)).status, 202);

    const forwarded = await sim(FSP_PAYEE).waitFor(at('POST', '/transfers'));
    assert.equal(forwarded.headers['content-type'], FSPIOP_MEDIA);
    assert.equal(forwarded.headers['fspiop-source'], ISO_PAYER);
    assert.equal(forwarded.headers['fspiop-signature'], undefined);
    const body = v.parse(TransfersPostRequest, forwarded.body);
    assert.deepEqual(
      { id: body.transferId, amount: body.amount, condition: body.condition },
      { id, amount: { currency: 'USD', amount: '12.5' }, condition: pair.condition },
    );

    const fulfil = {
      transferState: 'COMMITTED',
      fulfilment: pair.fulfilment,
      completedTimestamp: new Date().toISOString(),
    };
    const back = { source: FSP_PAYEE, destination: ISO_PAYER, iso: false };
    assert.equal((await send('PUT', `/transfers/${id}`, back, fulfil)).status, 200);
    const toPayer = await sim(ISO_PAYER).waitFor(at('PUT', `/transfers/${id}`));
    assert.equal(toPayer.headers['content-type'], ISO_MEDIA);
    assert.equal(
      isoSchemaFault('PacsStatus_FIToFIPaymentStatusReportV15', toPayer.body),
      undefined,
    );
    const status = toPayer.body as { TxInfAndSts: { TxSts: string; ExctnConf: string } };
    assert.deepEqual(
      [status.TxInfAndSts.TxSts, status.TxInfAndSts.ExctnConf],
      ['COMM', pair.fulfilment],
    );
    await expectPositions(
      [ISO_PAYER, FSP_PAYEE],
      [(before[0] ?? 0) + 12.5, (before[1] ?? 0) - 12.5],
    );
  });

  it('an FSPIOP payer pays an ISO payee, which gets a valid pacs.008 and answers pacs.002', async () => {
    const before = await positions([FSP_PAYER, ISO_PAYEE]);
    const pair = ilpPair();
    const id = ulid();
    const prepare = {
      transferId: id,
      payerFsp: FSP_PAYER,
      payeeFsp: ISO_PAYEE,
      amount: { currency: 'USD', amount: '7' },
      ilpPacket: walletIlpPacket(FSP_PAYER, ISO_PAYEE, pair.condition),
      condition: pair.condition,
      expiration: new Date(Date.now() + 60_000).toISOString(),
    };
    const route = { source: FSP_PAYER, destination: ISO_PAYEE, iso: false };
    assert.equal((await send('POST', '/transfers', route, prepare)).status, 202);

    const forwarded = await sim(ISO_PAYEE).waitFor(at('POST', '/transfers'));
    assert.equal(forwarded.headers['content-type'], ISO_MEDIA);
    assert.equal(forwarded.headers['fspiop-source'], FSP_PAYER);
    assert.equal(
      isoSchemaFault('Execute_FIToFICustomerCreditTransferV13', forwarded.body),
      undefined,
    );
    const iso = forwarded.body as ReturnType<typeof pacs008>;
    assert.equal(iso.CdtTrfTxInf.PmtId.TxId, id);
    assert.deepEqual(iso.CdtTrfTxInf.IntrBkSttlmAmt, { Ccy: 'USD', ActiveCurrencyAndAmount: '7' });

    const back = { source: ISO_PAYEE, destination: FSP_PAYER, iso: true };
    assert.equal(
      (await send('PUT', `/transfers/${id}`, back, pacs002(pair.fulfilment))).status,
      200,
    );
    const toPayer = await sim(FSP_PAYER).waitFor(at('PUT', `/transfers/${id}`));
    assert.equal(toPayer.headers['content-type'], FSPIOP_MEDIA);
    const fulfil = v.parse(TransfersIDPutResponse, toPayer.body);
    assert.deepEqual([fulfil.transferState, fulfil.fulfilment], ['COMMITTED', pair.fulfilment]);
    await expectPositions([FSP_PAYER, ISO_PAYEE], [(before[0] ?? 0) + 7, (before[1] ?? 0) - 7]);
  });

  it('relays messages between two ISO DFSPs as written, bytes and signature header', async () => {
    const pair = ilpPair();
    const id = ulid();
    const text = JSON.stringify(pacs008(ISO_PAYER, ISO_PAYEE, '1', id, pair.condition));
    const signature = JSON.stringify({ signature: 'sig', protectedHeader: 'hdr' });
    const answer = await fspiop(world.switch.fspiopUrl, {
      method: 'POST',
      path: '/transfers',
      source: ISO_PAYER,
      destination: ISO_PAYEE,
      body: text,
      headers: { 'content-type': ISO_MEDIA, accept: ISO_MEDIA, 'fspiop-signature': signature },
    });
    assert.equal(answer.status, 202);
    const forwarded = await sim(ISO_PAYEE).waitFor(
      (r) => r.method === 'POST' && r.text.includes(id),
    );
    assert.equal(forwarded.text, text);
    assert.equal(forwarded.headers['content-type'], ISO_MEDIA);
    assert.equal(forwarded.headers['fspiop-signature'], signature);

    const fulfil = JSON.stringify(pacs002(pair.fulfilment));
    const back = { source: ISO_PAYEE, destination: ISO_PAYER, iso: true };
    assert.equal((await send('PUT', `/transfers/${id}`, back, fulfil)).status, 200);
    const toPayer = await sim(ISO_PAYER).waitFor(at('PUT', `/transfers/${id}`));
    assert.equal(toPayer.text, fulfil);
  });

  it("renders the hub's own error to an ISO payer as a pacs.002 (4001 beyond its liquidity)", async () => {
    const pair = ilpPair();
    const id = ulid();
    const route = { source: ISO_PAYER, destination: FSP_PAYEE, iso: true };
    const prepare = pacs008(ISO_PAYER, FSP_PAYEE, '5000', id, pair.condition);
    assert.equal((await send('POST', '/transfers', route, prepare)).status, 202);
    const error = await sim(ISO_PAYER).waitFor(at('PUT', `/transfers/${id}/error`));
    assert.equal(error.headers['content-type'], ISO_MEDIA);
    assert.equal(error.headers['fspiop-source'], world.hubName);
    assert.equal(isoSchemaFault('PacsError_FIToFIPaymentStatusReportV15', error.body), undefined);
    const reason = (error.body as { TxInfAndSts: { StsRsnInf: { Rsn: { Prtry: string } } } })
      .TxInfAndSts.StsRsnInf.Rsn.Prtry;
    assert.equal(reason, '4001');
  });

  it('refuses invalid ISO input with 3100 naming the ISO field, and changes nothing', async () => {
    const before = await positions([ISO_PAYER, FSP_PAYEE]);
    const received = sim(FSP_PAYEE).received.length;
    const pair = ilpPair();
    const id = ulid();
    const prepare = pacs008(ISO_PAYER, FSP_PAYEE, '1', id, pair.condition);
    const route = { source: ISO_PAYER, destination: FSP_PAYEE, iso: true };
    const broken = { ...prepare, GrpHdr: { ...prepare.GrpHdr, PmtInstrXpryDtTm: 'tomorrow' } };
    const answer = await send('POST', '/transfers', route, broken);
    assert.equal(answer.status, 400);
    assert.equal(errorCodeOf(answer), '3100');
    const description = (answer.body as { errorInformation: { errorDescription: string } })
      .errorInformation.errorDescription;
    assert.match(description, /\/requestBody\/GrpHdr\/PmtInstrXpryDtTm must match pattern/);
    const fspiopBody = { transferState: 'COMMITTED' };
    const wrongType = await send('PUT', `/transfers/${id}`, route, fspiopBody);
    assert.equal(errorCodeOf(wrongType), '3100');
    await sleep(300);
    assert.equal(sim(FSP_PAYEE).received.length, received);
    assert.deepEqual(await positions([ISO_PAYER, FSP_PAYEE]), before);
  });

  it('carries a quote from an ISO payer (pacs.081) to an FSPIOP payee and back (pacs.082)', async () => {
    const quoteId = ulid();
    const party = (id: string, fspId: string) => ({
      partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: id, fspId },
    });
    const request = {
      quoteId,
      transactionId: ulid(),
      payee: party('2', FSP_PAYEE),
      payer: party('1', ISO_PAYER),
      amountType: 'SEND',
      amount: { currency: 'USD', amount: '10' },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    };
    const ctx = { msgId: ulid(), createdAt: new Date().toISOString() };
    const route = { source: ISO_PAYER, destination: FSP_PAYEE, iso: true };
    const pacs081 = fspiopToIso('quotes.post', request, ctx);
    assert.equal((await send('POST', '/quotes', route, pacs081)).status, 202);
    const forwarded = await sim(FSP_PAYEE).waitFor(at('POST', '/quotes'));
    assert.equal(forwarded.headers['content-type'], FSPIOP_MEDIA.replace('transfers', 'quotes'));
    assert.deepEqual(v.parse(QuotesPostRequest, forwarded.body), request);

    const pair = ilpPair();
    const answer = {
      transferAmount: { currency: 'USD', amount: '10' },
      expiration: new Date(Date.now() + 60_000).toISOString(),
      ilpPacket: walletIlpPacket(ISO_PAYER, FSP_PAYEE, pair.condition),
      condition: pair.condition,
    };
    // Over node:http: fetch would add a wildcard Accept, which a quotes callback may not carry.
    const put = await dfspCall(world.switch.fspiopUrl, {
      method: 'PUT',
      path: `/quotes/${quoteId}`,
      resource: 'quotes',
      source: FSP_PAYEE,
      destination: ISO_PAYER,
      version: '2.0',
      body: answer,
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const toPayer = await sim(ISO_PAYER).waitFor(at('PUT', `/quotes/${quoteId}`));
    assert.equal(toPayer.headers['content-type'], ISO_MEDIA.replace('transfers', 'quotes'));
    const schema = 'TermsResponse_FIToFICustomerCreditConfirmation';
    assert.equal(isoSchemaFault(schema, toPayer.body), undefined);
    const terms = toPayer.body as { CdtTrfTxInf: { PmtId: { TxId: string } } };
    assert.equal(terms.CdtTrfTxInf.PmtId.TxId, quoteId);
  });

  it('learns ISO 20022 for a participant with no API type from its first ISO request', async () => {
    const typeOf = async () =>
      (await admin(world.switch.adminUrl, 'GET', `/participants/${LEARNER}/apiType`)).body as {
        source?: string;
      };
    assert.deepEqual(await typeOf(), { apiType: 'fspiop', source: 'default' });
    const pair = ilpPair();
    const id = ulid();
    const route = { source: LEARNER, destination: FSP_PAYEE, iso: true };
    const prepare = pacs008(LEARNER, FSP_PAYEE, '3', id, pair.condition);
    assert.equal((await send('POST', '/transfers', route, prepare)).status, 202);
    await waitUntil('learned API type', async () => (await typeOf()).source === 'learned');
    assert.deepEqual(await typeOf(), { apiType: 'iso20022', source: 'learned' });

    await sim(FSP_PAYEE).waitFor((r) => r.method === 'POST' && r.text.includes(id));
    const fulfil = {
      transferState: 'COMMITTED',
      fulfilment: pair.fulfilment,
      completedTimestamp: new Date().toISOString(),
    };
    const back = { source: FSP_PAYEE, destination: LEARNER, iso: false };
    assert.equal((await send('PUT', `/transfers/${id}`, back, fulfil)).status, 200);
    const toPayer = await sim(LEARNER).waitFor(at('PUT', `/transfers/${id}`));
    assert.equal(toPayer.headers['content-type'], ISO_MEDIA);
  });

  it('keeps the DESIGN.md §7 invariants', async () => {
    const violations = await checkInvariants({
      databaseUrl: world.databaseUrl,
      adminUrl: world.switch.adminUrl,
      names: world.names,
      currency: world.currency,
    });
    assert.deepEqual(violations, []);
  });
});
