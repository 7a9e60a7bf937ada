// Checks the ISO 20022 schemas the gateway validates with (gateway/iso20022/schemas.ts) against
// the official JSON schemas of the FSPIOP v2.0 ISO binding (@mojaloop/api-snippets): take a valid
// message of each kind, remove each of its fields in turn and spoil each value, and compare the
// verdicts. Whatever the official schema refuses, the gateway refuses; what only the gateway
// refuses is the short, named list of fields the hub needs to act: the FSPs as agents' scheme ids,
// an expiry and an ILP packet to prepare a transfer or answer a quote, a transaction id for a
// quote, a status or an error code in a pacs.002, the party found in an acmt.024. Values in
// fields the hub does not read are relayed as written.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { fspiopToIso, ISO_MESSAGES, type IsoMessageKind } from '../../gateway/iso20022/messages.ts';
import { walletIlpPacket } from '../helpers/ilp-packet.ts';
import { isoSchemaFault } from '../helpers/iso-schema.ts';

const CTX = {
  msgId: '01JBVM14S6SC453EY9XB9GXQB6',
  createdAt: '2026-12-04T10:00:00.000Z',
  source: 'payeefsp',
  destination: 'payerfsp',
  pathId: '01JBVM14S6SC453EY9XB9GXQB5',
};
const CONDITION = 'WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8';
const PACKET = walletIlpPacket('payerfsp', 'payeefsp', CONDITION);
const party = (id: string, fspId: string) => ({
  partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: id, fspId },
  name: 'Jane Doe',
  supportedCurrencies: ['USD'],
});
const money = (amount: string) => ({ currency: 'USD', amount });
const ERROR = { errorInformation: { errorCode: '5100', errorDescription: 'Payee rejection' } };

const SAMPLES: Readonly<Record<IsoMessageKind, { schema: string; body: unknown }>> = {
  'transfers.post': {
    schema: 'Execute_FIToFICustomerCreditTransferV13',
    body: {
      transferId: CTX.pathId,
      payerFsp: 'payerfsp',
      payeeFsp: 'payeefsp',
      amount: money('12.34'),
      ilpPacket: PACKET,
      condition: CONDITION,
      expiration: '2030-01-01T00:00:00.000Z',
    },
  },
  'transfers.put': {
    schema: 'PacsStatus_FIToFIPaymentStatusReportV15',
    body: { transferState: 'COMMITTED', fulfilment: CONDITION, completedTimestamp: CTX.createdAt },
  },
  'transfers.patch': {
    schema: 'PacsStatus_FIToFIPaymentStatusReportV15',
    body: { transferState: 'COMMITTED', completedTimestamp: CTX.createdAt },
  },
  'transfers.error': { schema: 'PacsError_FIToFIPaymentStatusReportV15', body: ERROR },
  'quotes.post': {
    schema: 'TermsRequest_FIToFICustomerCreditProposal',
    body: {
      quoteId: CTX.pathId,
      transactionId: CTX.msgId,
      payee: party('2', 'payeefsp'),
      payer: party('1', 'payerfsp'),
      amountType: 'SEND',
      amount: money('100'),
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
      expiration: '2030-01-01T00:00:00.000Z',
    },
  },
  'quotes.put': {
    schema: 'TermsResponse_FIToFICustomerCreditConfirmation',
    body: {
      transferAmount: money('101'),
      payeeReceiveAmount: money('100'),
      payeeFspFee: money('1'),
      expiration: '2030-01-01T00:00:00.000Z',
      ilpPacket: PACKET,
      condition: CONDITION,
    },
  },
  'quotes.error': { schema: 'PacsError_FIToFIPaymentStatusReportV15', body: ERROR },
  'parties.put': {
    schema: 'GetParties_IdentificationVerificationReportV03',
    body: { party: party('2', 'payeefsp') },
  },
  'parties.error': { schema: 'GetPartiesError_IdentificationVerificationReportV03', body: ERROR },
};

/** Fields only the gateway requires, by message: what the hub cannot act without. */
const HUB_ONLY_REQUIRED: Readonly<Partial<Record<IsoMessageKind, readonly string[]>>> = {
  'transfers.post': [
    'GrpHdr/PmtInstrXpryDtTm',
    'CdtTrfTxInf/DbtrAgt/FinInstnId/Othr',
    'CdtTrfTxInf/CdtrAgt/FinInstnId/Othr',
    'CdtTrfTxInf/VrfctnOfTerms',
  ],
  'transfers.put': ['TxInfAndSts', 'TxInfAndSts/TxSts'],
  'transfers.patch': ['TxInfAndSts', 'TxInfAndSts/TxSts'],
  'transfers.error': ['TxInfAndSts', 'TxInfAndSts/StsRsnInf', 'TxInfAndSts/StsRsnInf/Rsn'],
  'quotes.post': [
    'CdtTrfTxInf/PmtId/EndToEndId',
    'CdtTrfTxInf/DbtrAgt/FinInstnId/Othr',
    'CdtTrfTxInf/CdtrAgt/FinInstnId/Othr',
  ],
  'quotes.put': ['GrpHdr/PmtInstrXpryDtTm', 'CdtTrfTxInf/VrfctnOfTerms'],
  'quotes.error': ['TxInfAndSts', 'TxInfAndSts/StsRsnInf', 'TxInfAndSts/StsRsnInf/Rsn'],
  'parties.put': ['Rpt/UpdtdPtyAndAcctId', 'Rpt/UpdtdPtyAndAcctId/Agt/FinInstnId/Othr'],
};

type Json = Record<string, unknown>;

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Object.entries(value as Json).flatMap(([k, child]) =>
    leafPaths(child, [...prefix, k]),
  );
  return prefix.length === 0 ? children : [prefix, ...children];
}

function edited(body: unknown, path: string[], change: (parent: Json, key: string) => void) {
  const copy = structuredClone(body) as Json;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Json;
  change(parent, path.at(-1) ?? '');
  return copy;
}

const SPOILED: readonly unknown[] = ['', 'x'.repeat(300), 12, 'not-a-value-!'];

describe('ISO 20022 schemas at the edge against the official ones', () => {
  for (const [kind, sample] of Object.entries(SAMPLES) as [
    IsoMessageKind,
    (typeof SAMPLES)[IsoMessageKind],
  ][]) {
    const schema = ISO_MESSAGES[kind].schema;
    const iso = fspiopToIso(kind, sample.body, CTX);
    const ours = (body: unknown) => v.safeParse(schema, body).success;
    const official = (body: unknown) => isoSchemaFault(sample.schema, body) === undefined;

    it(`${kind}: a field the official schema requires, the gateway requires`, () => {
      assert.equal(official(iso), true);
      assert.equal(ours(iso), true);
      const onlyOurs: string[] = [];
      for (const path of leafPaths(iso)) {
        const without = edited(iso, path, (parent, key) => delete parent[key]);
        const [o, m] = [official(without), ours(without)];
        assert.ok(o || !m, `${path.join('/')}: the official schema requires it, the gateway not`);
        if (o && !m) onlyOurs.push(path.join('/'));
      }
      assert.deepEqual(onlyOurs, HUB_ONLY_REQUIRED[kind] ?? [], JSON.stringify(onlyOurs));
    });

    it(`${kind}: a value the official schema refuses, the gateway refuses`, () => {
      for (const path of leafPaths(iso)) {
        for (const bad of SPOILED) {
          const spoiled = edited(iso, path, (parent, key) => {
            parent[key] = bad;
          });
          if (official(spoiled)) continue;
          if (ours(spoiled)) {
            assert.fail(`${path.join('/')} = ${JSON.stringify(bad)} passes the gateway`);
          }
        }
      }
    });
  }
});
