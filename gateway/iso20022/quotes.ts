// The quotes resource in the ISO 20022 binding: POST /quotes is a pacs.081 terms request, PUT
// /quotes/{ID} a pacs.082 terms response. pacs.081 has no amount type and no initiator; as in
// Mojaloop's translator, the charge bearer carries the amount type (SEND ⇔ CRED, RECEIVE ⇔ DEBT)
// and a transaction request id means the payee initiated. The initiator is a CONSUMER when its
// party is a person (`PrvtId`), else a BUSINESS (the reference means the same, but reads a
// misspelt path and so always answers BUSINESS). pacs.082's condition is the executionCondition of its ILP packet, and its debtor and
// creditor come from the Transaction in that packet when the hub renders an FSPIOP answer.

import { fspiopAmountOf, type IsoContext, IsoMappingError } from './context.ts';
import { ilpPrepareOf } from './ilp.ts';
import { type FspiopParty, fspiopPartyOf, isoPartyOf } from './party.ts';
import type { Pacs081, Pacs082 } from './schemas.ts';

type Money = { readonly currency: string; readonly amount: string };

export type FspiopQuoteRequest = {
  readonly quoteId: string;
  readonly transactionId: string;
  readonly transactionRequestId?: string;
  readonly payee: FspiopParty;
  readonly payer: FspiopParty;
  readonly amountType: string;
  readonly amount: Money;
  readonly transactionType: {
    readonly scenario: string;
    readonly initiator: string;
    readonly initiatorType: string;
  };
  readonly expiration?: string;
};

export type FspiopQuoteResponse = {
  readonly transferAmount: Money;
  readonly payeeReceiveAmount?: Money;
  readonly payeeFspFee?: Money;
  readonly expiration: string;
  readonly ilpPacket: string;
  readonly condition: string;
};

const money = (amount: { Ccy: string; [k: string]: string }, key: string): Money => ({
  currency: amount.Ccy,
  amount: fspiopAmountOf(amount[key] ?? ''),
});

export function pacs081ToFspiop(iso: Pacs081): FspiopQuoteRequest {
  const tx = iso.CdtTrfTxInf;
  const expiration = iso.GrpHdr.PmtInstrXpryDtTm;
  const payeeInitiated = tx.PmtId.InstrId !== undefined;
  return {
    quoteId: tx.PmtId.TxId,
    transactionId: tx.PmtId.EndToEndId,
    ...(tx.PmtId.InstrId === undefined ? {} : { transactionRequestId: tx.PmtId.InstrId }),
    payee: fspiopPartyOf(tx.Cdtr, tx.CdtrAgt, tx.CdtrAcct),
    payer: fspiopPartyOf(tx.Dbtr, tx.DbtrAgt, tx.DbtrAcct),
    amountType: tx.ChrgBr === 'DEBT' ? 'RECEIVE' : 'SEND',
    amount: money(tx.IntrBkSttlmAmt, 'ActiveCurrencyAndAmount'),
    transactionType: {
      scenario: (tx.Purp as { Prtry?: string } | undefined)?.Prtry ?? 'TRANSFER',
      initiator: payeeInitiated ? 'PAYEE' : 'PAYER',
      initiatorType: 'PrvtId' in (payeeInitiated ? tx.Cdtr : tx.Dbtr).Id ? 'CONSUMER' : 'BUSINESS',
    },
    ...(expiration === undefined ? {} : { expiration }),
  };
}

export function fspiopToPacs081(body: FspiopQuoteRequest, ctx: IsoContext): object {
  const payee = isoPartyOf(body.payee);
  const payer = isoPartyOf(body.payer);
  return {
    GrpHdr: {
      MsgId: ctx.msgId,
      CreDtTm: ctx.createdAt,
      NbOfTxs: '1',
      SttlmInf: { SttlmMtd: 'CLRG' },
      ...(body.expiration === undefined ? {} : { PmtInstrXpryDtTm: body.expiration }),
    },
    CdtTrfTxInf: {
      PmtId: {
        TxId: body.quoteId,
        EndToEndId: body.transactionId,
        ...(body.transactionRequestId === undefined ? {} : { InstrId: body.transactionRequestId }),
      },
      IntrBkSttlmAmt: { Ccy: body.amount.currency, ActiveCurrencyAndAmount: body.amount.amount },
      ChrgBr: body.amountType === 'SEND' ? 'CRED' : 'DEBT',
      Dbtr: payer.party,
      DbtrAgt: payer.agent,
      ...(payer.account === undefined ? {} : { DbtrAcct: payer.account }),
      Cdtr: payee.party,
      CdtrAgt: payee.agent,
      ...(payee.account === undefined ? {} : { CdtrAcct: payee.account }),
      Purp: { Prtry: body.transactionType.scenario },
    },
  };
}

export function pacs082ToFspiop(iso: Pacs082): FspiopQuoteResponse {
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
    transferAmount: money(tx.IntrBkSttlmAmt, 'ActiveCurrencyAndAmount'),
    ...(tx.InstdAmt === undefined
      ? {}
      : { payeeReceiveAmount: money(tx.InstdAmt, 'ActiveOrHistoricCurrencyAndAmount') }),
    ...(tx.ChrgsInf === undefined
      ? {}
      : { payeeFspFee: money(tx.ChrgsInf.Amt, 'ActiveOrHistoricCurrencyAndAmount') }),
    expiration: iso.GrpHdr.PmtInstrXpryDtTm,
    ilpPacket: packet,
    condition: prepare.condition,
  };
}

export function fspiopToPacs082(body: FspiopQuoteResponse, ctx: IsoContext): object {
  const transaction = ilpPrepareOf(body.ilpPacket)?.transaction;
  // The payee answers: the hop's source is the payee FSP, its destination the payer FSP.
  const payer = isoPartyOf(withFsp(transaction?.payer, ctx.destination));
  const payee = isoPartyOf(withFsp(transaction?.payee, ctx.source));
  const historic = (m: Money) => ({ Ccy: m.currency, ActiveOrHistoricCurrencyAndAmount: m.amount });
  return {
    GrpHdr: {
      MsgId: ctx.msgId,
      CreDtTm: ctx.createdAt,
      NbOfTxs: '1',
      SttlmInf: { SttlmMtd: 'CLRG' },
      PmtInstrXpryDtTm: body.expiration,
    },
    CdtTrfTxInf: {
      PmtId: { TxId: ctx.pathId ?? '' },
      IntrBkSttlmAmt: {
        Ccy: body.transferAmount.currency,
        ActiveCurrencyAndAmount: body.transferAmount.amount,
      },
      ...(body.payeeReceiveAmount === undefined
        ? {}
        : { InstdAmt: historic(body.payeeReceiveAmount) }),
      ChrgBr: 'SHAR',
      ...(body.payeeFspFee === undefined
        ? {}
        : { ChrgsInf: { Amt: historic(body.payeeFspFee), Agt: payee.agent } }),
      Dbtr: payer.party,
      DbtrAgt: payer.agent,
      Cdtr: payee.party,
      CdtrAgt: payee.agent,
      VrfctnOfTerms: { IlpV4PrepPacket: body.ilpPacket },
    },
  };
}

function withFsp(
  party: { partyIdInfo?: FspiopParty['partyIdInfo'] } | undefined,
  fspId: string | undefined,
): FspiopParty {
  const info = party?.partyIdInfo ?? {};
  return { partyIdInfo: { ...info, fspId: info.fspId ?? fspId ?? '' } };
}
