// The quotes (pacs.081, pacs.082, pacs.002 error) and parties (acmt.024 and its error) messages of
// the ISO 20022 binding, mapped both ways with no services: renderings valid against the official
// schemas, mapped back unchanged, and in agreement with Mojaloop's own translator on every field
// that translator maps (it maps fewer: no amount type, no charge bearer on pacs.081).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fspiopToIso, type IsoMessageKind, isoToFspiop } from '../../gateway/iso20022/messages.ts';
import { walletIlpPacket } from '../helpers/ilp-packet.ts';
import { referenceToFspiop, referenceToIso } from '../helpers/iso-reference.ts';
import { isoSchemaFault } from '../helpers/iso-schema.ts';

const QUOTE_ID = '01JBVM14S6SC453EY9XB9GXQB5';
const CTX = {
  msgId: '01JBVM14S6SC453EY9XB9GXQB6',
  createdAt: '2026-12-04T10:00:00.000Z',
  source: 'payeefsp',
  destination: 'payerfsp',
  pathId: QUOTE_ID,
};
const CONDITION = 'WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8';
const party = (id: string, fspId: string) => ({
  partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: id, fspId },
  name: 'Jane Doe',
  personalInfo: { complexName: { firstName: 'Jane', lastName: 'Doe' } },
  supportedCurrencies: ['USD'],
});
const QUOTE = {
  quoteId: QUOTE_ID,
  transactionId: '01JBVM14S6SC453EY9XB9GXQB7',
  payee: party('2', 'payeefsp'),
  payer: party('1', 'payerfsp'),
  amountType: 'RECEIVE',
  amount: { currency: 'USD', amount: '100' },
  transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  expiration: '2030-01-01T00:00:00.000Z',
};
const ANSWER = {
  transferAmount: { currency: 'USD', amount: '101' },
  payeeReceiveAmount: { currency: 'USD', amount: '100' },
  payeeFspFee: { currency: 'USD', amount: '1' },
  expiration: '2030-01-01T00:00:00.000Z',
  ilpPacket: walletIlpPacket('payerfsp', 'payeefsp', CONDITION),
  condition: CONDITION,
};
const PARTY = {
  party: {
    ...party('2', 'payeefsp'),
    partyIdInfo: { ...party('2', 'payeefsp').partyIdInfo, partySubIdOrType: 'SAVINGS' },
  },
};
const ERROR = { errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } };

type Case = {
  readonly kind: IsoMessageKind;
  readonly ref: string;
  readonly schema: string;
  readonly body: unknown;
};
const CASES: readonly Case[] = [
  {
    kind: 'quotes.post',
    ref: 'quotes.post',
    schema: 'TermsRequest_FIToFICustomerCreditProposal',
    body: QUOTE,
  },
  {
    kind: 'quotes.put',
    ref: 'quotes.put',
    schema: 'TermsResponse_FIToFICustomerCreditConfirmation',
    body: ANSWER,
  },
  {
    kind: 'quotes.error',
    ref: 'quotes.putError',
    schema: 'PacsError_FIToFIPaymentStatusReportV15',
    body: ERROR,
  },
  {
    kind: 'parties.put',
    ref: 'parties.put',
    schema: 'GetParties_IdentificationVerificationReportV03',
    body: PARTY,
  },
  {
    kind: 'parties.error',
    ref: 'parties.putError',
    schema: 'GetPartiesError_IdentificationVerificationReportV03',
    body: ERROR,
  },
];

/** Every leaf of `part` is in `whole` with the same value. */
function assertWithin(part: unknown, whole: unknown, path = ''): void {
  if (part === null || typeof part !== 'object') {
    assert.deepEqual(whole, part, `at ${path || '/'}`);
    return;
  }
  assert.ok(whole !== null && typeof whole === 'object', `at ${path}: missing`);
  for (const [key, value] of Object.entries(part)) {
    assertWithin(value, (whole as Record<string, unknown>)[key], `${path}/${key}`);
  }
}

describe('ISO 20022 quotes and parties mappings', () => {
  for (const { kind, ref, schema, body } of CASES) {
    it(`renders ${kind} valid against ${schema} and maps it back unchanged`, () => {
      const iso = fspiopToIso(kind, body, CTX);
      assert.equal(isoSchemaFault(schema, iso), undefined);
      assert.deepEqual(isoToFspiop(kind, iso), body);
    });

    it(`reads ${kind} as Mojaloop's translator does, on every field it maps`, async () => {
      const iso = fspiopToIso(kind, body, CTX);
      const params = { ID: QUOTE_ID, Type: 'MSISDN' };
      const theirs = await referenceToFspiop(ref, { body: iso, headers: {}, params });
      const mine = isoToFspiop(kind, iso) as { transactionType?: { initiatorType?: string } };
      if (kind === 'quotes.post') {
        // The reference reads a misspelt path (Dtr.Id.Pty) and so always says BUSINESS.
        const type = (theirs as typeof mine).transactionType;
        assert.equal(type?.initiatorType, 'BUSINESS');
        assert.equal(mine.transactionType?.initiatorType, 'CONSUMER');
        delete type?.initiatorType;
      }
      if (kind === 'parties.error') {
        // acmt.024 carries no description: each side fills in its own catalogue's words.
        const code = (body: unknown) => (body as typeof ERROR).errorInformation.errorCode;
        assert.equal(code(theirs), code(mine));
        return;
      }
      assertWithin(theirs, mine);
    });
  }

  it("renders a quote request as Mojaloop's translator does, the amount type as the charge bearer", async () => {
    const theirs = (await referenceToIso('quotes.post', { body: QUOTE })) as {
      GrpHdr: Record<string, unknown>;
    };
    delete theirs.GrpHdr['MsgId'];
    delete theirs.GrpHdr['CreDtTm'];
    const mine = fspiopToIso('quotes.post', QUOTE, CTX) as { CdtTrfTxInf: Record<string, unknown> };
    assertWithin(theirs, mine);
    assert.equal(mine.CdtTrfTxInf['ChrgBr'], 'DEBT');
  });

  it('reads a pacs.081 whose creditor bears the charges as SEND from a consumer payer', () => {
    const iso = fspiopToIso('quotes.post', QUOTE, CTX) as { CdtTrfTxInf: Record<string, unknown> };
    iso.CdtTrfTxInf['ChrgBr'] = 'CRED';
    const fspiop = isoToFspiop('quotes.post', iso) as typeof QUOTE;
    assert.deepEqual(
      [fspiop.amountType, fspiop.transactionType],
      ['SEND', { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' }],
    );
  });
});
