// The transfers resource in the ISO 20022 binding, both ways: POST /transfers is a pacs.008, PUT
// and PATCH /transfers/{ID} a pacs.002 status report (`TxSts` COMM/RESV/RECV/ABOR for COMMITTED,
// RESERVED, RECEIVED, ABORTED). The binding carries no condition: it is the executionCondition of
// the ILP v4 Prepare in `VrfctnOfTerms.IlpV4PrepPacket`. Rendering FSPIOP in ISO, the debtor and
// creditor come from the Transaction inside that packet (else the FSPs stand for them), and the
// charge bearer is SHAR, the binding's default.

import { fspiopAmountOf, type IsoContext, IsoMappingError } from './context.ts';
import { ilpPrepareOf } from './ilp.ts';
import { isoPartyId } from './parties-id.ts';
import type { Pacs002Status, Pacs008 } from './schemas.ts';

const TO_ISO_STATE = {
  COMMITTED: 'COMM',
  RESERVED: 'RESV',
  RECEIVED: 'RECV',
  ABORTED: 'ABOR',
} as const;
type FspiopState = keyof typeof TO_ISO_STATE;
type IsoState = (typeof TO_ISO_STATE)[FspiopState];
const TO_FSPIOP_STATE = Object.fromEntries(
  Object.entries(TO_ISO_STATE).map(([fspiop, iso]) => [iso, fspiop]),
) as Record<IsoState, FspiopState>;

export type FspiopTransferPrepare = {
  readonly transferId: string;
  readonly payerFsp: string;
  readonly payeeFsp: string;
  readonly amount: { readonly currency: string; readonly amount: string };
  readonly ilpPacket: string;
  readonly condition: string;
  readonly expiration: string;
};

export type FspiopTransferState = {
  readonly transferState: string;
  readonly fulfilment?: string;
  readonly completedTimestamp?: string;
};

/** pacs.008 ⇒ the FSPIOP POST /transfers body. */
export function pacs008ToFspiop(iso: Pacs008): FspiopTransferPrepare {
  const tx = iso.CdtTrfTxInf;
  const packet = tx.VrfctnOfTerms.IlpV4PrepPacket;
  const prepare = ilpPrepareOf(packet);
  if (prepare === undefined) {
    throw new IsoMappingError(
      '3100',
      '/requestBody/CdtTrfTxInf/VrfctnOfTerms/IlpV4PrepPacket is not an ILP v4 Prepare packet',
    );
  }
  return {
    transferId: tx.PmtId.TxId,
    payerFsp: tx.DbtrAgt.FinInstnId.Othr.Id,
    payeeFsp: tx.CdtrAgt.FinInstnId.Othr.Id,
    amount: {
      currency: tx.IntrBkSttlmAmt.Ccy,
      amount: fspiopAmountOf(tx.IntrBkSttlmAmt.ActiveCurrencyAndAmount),
    },
    ilpPacket: packet,
    condition: prepare.condition,
    expiration: iso.GrpHdr.PmtInstrXpryDtTm,
  };
}

/** The FSPIOP POST /transfers body ⇒ pacs.008. */
export function fspiopToPacs008(body: FspiopTransferPrepare, ctx: IsoContext): object {
  const transaction = ilpPrepareOf(body.ilpPacket)?.transaction;
  return {
    GrpHdr: {
      MsgId: ctx.msgId,
      CreDtTm: ctx.createdAt,
      NbOfTxs: '1',
      SttlmInf: { SttlmMtd: 'CLRG' },
      PmtInstrXpryDtTm: body.expiration,
    },
    CdtTrfTxInf: {
      PmtId: { TxId: body.transferId },
      IntrBkSttlmAmt: { Ccy: body.amount.currency, ActiveCurrencyAndAmount: body.amount.amount },
      ChrgBr: 'SHAR',
      Dbtr: { Id: isoPartyId(transaction?.payer?.partyIdInfo, body.payerFsp) },
      DbtrAgt: { FinInstnId: { Othr: { Id: body.payerFsp } } },
      CdtrAgt: { FinInstnId: { Othr: { Id: body.payeeFsp } } },
      Cdtr: { Id: isoPartyId(transaction?.payee?.partyIdInfo, body.payeeFsp) },
      VrfctnOfTerms: { IlpV4PrepPacket: body.ilpPacket },
    },
  };
}

/** pacs.002 status ⇒ the FSPIOP PUT (or PATCH) /transfers/{ID} body. */
export function pacs002StatusToFspiop(iso: Pacs002Status): FspiopTransferState {
  const status = iso.TxInfAndSts;
  // PrcgDt is a date or a date-time; only a date-time is a completedTimestamp.
  const completedTimestamp = (status.PrcgDt as { DtTm?: string } | undefined)?.DtTm;
  return {
    transferState: TO_FSPIOP_STATE[status.TxSts],
    ...(status.ExctnConf === undefined ? {} : { fulfilment: status.ExctnConf }),
    ...(completedTimestamp === undefined ? {} : { completedTimestamp }),
  };
}

/** The FSPIOP PUT or PATCH /transfers/{ID} body (or a GET result) ⇒ pacs.002 status. */
export function fspiopToPacs002Status(body: FspiopTransferState, ctx: IsoContext): object {
  const state = TO_ISO_STATE[body.transferState as FspiopState];
  if (state === undefined) {
    throw new IsoMappingError('3100', `transferState ${body.transferState} has no ISO status`);
  }
  return {
    GrpHdr: { MsgId: ctx.msgId, CreDtTm: ctx.createdAt },
    TxInfAndSts: {
      ...(body.fulfilment === undefined ? {} : { ExctnConf: body.fulfilment }),
      ...(body.completedTimestamp === undefined
        ? {}
        : { PrcgDt: { DtTm: body.completedTimestamp } }),
      TxSts: state,
    },
  };
}
