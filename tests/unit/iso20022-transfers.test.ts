// The transfers messages of the ISO 20022 binding, mapped both ways with no services: each FSPIOP
// body rendered in ISO is valid against the official schema, maps back to itself, and reads the
// same through Mojaloop's own translator (ml-schema-transformer-lib); each message that translator
// renders maps to the FSPIOP body it maps it to. Invalid ISO input fails with 3100 naming the ISO
// field. (The message examples in the official OpenAPI file are not valid against its own schemas,
// numbers where strings are required, so the reference translator's renderings stand in for them.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IsoMappingError } from '../../gateway/iso20022/context.ts';
import { fspiopToIso, isoMessageKind, isoToFspiop } from '../../gateway/iso20022/messages.ts';
import { walletIlpPacket } from '../helpers/ilp-packet.ts';
import { referenceToFspiop, referenceToIso } from '../helpers/iso-reference.ts';
import { isoSchemaFault } from '../helpers/iso-schema.ts';

const CTX = { msgId: '01JBVM14S6SC453EY9XB9GXQB6', createdAt: '2026-12-04T10:00:00.000Z' };
const PACKET = walletIlpPacket('payerfsp', 'payeefsp');
const PREPARE = {
  transferId: '01JBVM14S6SC453EY9XB9GXQB5',
  payerFsp: 'payerfsp',
  payeeFsp: 'payeefsp',
  amount: { currency: 'USD', amount: '12.34' },
  ilpPacket: PACKET,
  condition: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  expiration: '2030-01-01T00:00:00.000Z',
};
const FULFIL = {
  transferState: 'COMMITTED',
  fulfilment: 'WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8',
  completedTimestamp: '2026-12-04T10:00:00.000Z',
};
const PATCH = { transferState: 'COMMITTED', completedTimestamp: '2026-12-04T10:00:00.000Z' };
const ERROR = { errorInformation: { errorCode: '5100', errorDescription: 'Payee rejection' } };

const CASES = [
  {
    kind: 'transfers.post',
    ref: 'transfers.post',
    schema: 'Execute_FIToFICustomerCreditTransferV13',
    body: PREPARE,
  },
  {
    kind: 'transfers.put',
    ref: 'transfers.put',
    schema: 'PacsStatus_FIToFIPaymentStatusReportV15',
    body: FULFIL,
  },
  {
    kind: 'transfers.patch',
    ref: 'transfers.patch',
    schema: 'PacsStatus_FIToFIPaymentStatusReportV15',
    body: PATCH,
  },
  {
    kind: 'transfers.error',
    ref: 'transfers.putError',
    schema: 'PacsError_FIToFIPaymentStatusReportV15',
    body: ERROR,
  },
] as const;

function fault(fn: () => unknown): IsoMappingError {
  try {
    fn();
  } catch (error) {
    if (error instanceof IsoMappingError) return error;
    throw error;
  }
  assert.fail('expected an IsoMappingError');
}

describe('ISO 20022 transfers mappings', () => {
  for (const { kind, ref, schema, body } of CASES) {
    it(`renders ${kind} valid against ${schema} and maps it back unchanged`, () => {
      const iso = fspiopToIso(kind, body, CTX);
      assert.equal(isoSchemaFault(schema, iso), undefined);
      assert.deepEqual(isoToFspiop(kind, iso), body);
    });

    it(`reads ${kind} as Mojaloop's translator does, both ways`, async () => {
      const iso = fspiopToIso(kind, body, CTX);
      const source = { body: iso, headers: {}, params: { ID: PREPARE.transferId } };
      assert.deepEqual(await referenceToFspiop(ref, source), isoToFspiop(kind, iso));
      const headers = { 'fspiop-source': 'payeefsp', 'fspiop-destination': 'payerfsp' };
      const theirs = await referenceToIso(ref, {
        body,
        headers,
        params: { ID: PREPARE.transferId },
      });
      assert.deepEqual(isoToFspiop(kind, theirs), body);
    });
  }

  it('takes the condition from the ILP packet, never from the message', () => {
    const iso = fspiopToIso('transfers.post', { ...PREPARE, condition: 'x'.repeat(43) }, CTX);
    const fspiop = isoToFspiop('transfers.post', iso) as { condition: string };
    assert.equal(fspiop.condition, PREPARE.condition);
  });

  it('names the debtor and creditor from the Transaction in the ILP packet', () => {
    const iso = fspiopToIso('transfers.post', PREPARE, CTX) as {
      CdtTrfTxInf: { Dbtr: unknown; Cdtr: unknown };
    };
    const party = (id: string) => ({
      Id: { PrvtId: { Othr: { Id: id, SchmeNm: { Prtry: 'MSISDN' } } } },
    });
    assert.deepEqual(iso.CdtTrfTxInf.Dbtr, party('1'));
    assert.deepEqual(iso.CdtTrfTxInf.Cdtr, party('2'));
  });

  it('writes an ISO amount in FSPIOP form: 12.50 is 12.5 and 100.00 is 100', () => {
    const iso = fspiopToIso('transfers.post', PREPARE, CTX) as {
      CdtTrfTxInf: { IntrBkSttlmAmt: { ActiveCurrencyAndAmount: string } };
    };
    for (const [sent, read] of [
      ['12.50', '12.5'],
      ['100.00', '100'],
      ['7', '7'],
    ]) {
      iso.CdtTrfTxInf.IntrBkSttlmAmt.ActiveCurrencyAndAmount = sent as string;
      const fspiop = isoToFspiop('transfers.post', iso) as { amount: { amount: string } };
      assert.equal(fspiop.amount.amount, read);
    }
  });

  it('refuses a pacs.008 without an expiry, naming the ISO field (3100)', () => {
    const iso = fspiopToIso('transfers.post', PREPARE, CTX) as { GrpHdr: Record<string, unknown> };
    delete iso.GrpHdr['PmtInstrXpryDtTm'];
    const error = fault(() => isoToFspiop('transfers.post', iso));
    assert.equal(error.code, '3100');
    assert.equal(
      error.message,
      "/requestBody/GrpHdr must have required property 'PmtInstrXpryDtTm'",
    );
  });

  it('refuses a packet that is not an ILP v4 Prepare, and a status outside the binding', () => {
    const iso = fspiopToIso('transfers.post', PREPARE, CTX) as {
      CdtTrfTxInf: { VrfctnOfTerms: { IlpV4PrepPacket: string } };
    };
    iso.CdtTrfTxInf.VrfctnOfTerms.IlpV4PrepPacket = 'AAAA';
    assert.match(fault(() => isoToFspiop('transfers.post', iso)).message, /not an ILP v4 Prepare/);
    const status = {
      GrpHdr: { MsgId: 'm', CreDtTm: CTX.createdAt },
      TxInfAndSts: { TxSts: 'RJCT' },
    };
    const error = fault(() => isoToFspiop('transfers.put', status));
    assert.equal(
      error.message,
      '/requestBody/TxInfAndSts/TxSts must be equal to one of the allowed values',
    );
  });

  it('knows each transfers message by verb and path, and no message outside the binding', () => {
    assert.equal(isoMessageKind('transfers', 'POST', '/transfers'), 'transfers.post');
    assert.equal(isoMessageKind('transfers', 'PATCH', '/transfers/1'), 'transfers.patch');
    assert.equal(isoMessageKind('transfers', 'PUT', '/transfers/1/error'), 'transfers.error');
    assert.equal(isoMessageKind('transactionRequests', 'POST', '/transactionRequests'), undefined);
  });
});
