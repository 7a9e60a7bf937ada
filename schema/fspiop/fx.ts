// valibot schemas for the FSPIOP v2.0 foreign-exchange resources (fspiop.md §10): /fxQuotes,
// /fxTransfers and the /services/FXP discovery callback, written from the api-snippets OpenAPI
// definition. fxQuotes are relayed, so only what the hub routes on is checked beyond the
// required fields; fxTransfers move money, so their amounts and condition are checked exactly.
// `expiration` is optional in the definition; the hub requires it on POST /fxTransfers, because
// a conversion that reserves liquidity must be able to time out (3102 when missing).

import * as v from 'valibot';
import {
  Amount,
  CorrelationId,
  Currency,
  DateTime,
  ExtensionList,
  FspId,
  IlpCondition,
  IlpFulfilment,
  Money,
  TransferState,
} from './common.ts';

export const FxMoney = v.object({ currency: Currency, amount: v.optional(Amount) });

export const FxCharge = v.object({
  chargeType: v.pipe(v.string(), v.minLength(1), v.maxLength(32)),
  sourceAmount: v.optional(FxMoney),
  targetAmount: v.optional(FxMoney),
});

export const FxConversion = v.object({
  conversionId: CorrelationId,
  determiningTransferId: v.optional(CorrelationId),
  initiatingFsp: FspId,
  counterPartyFsp: FspId,
  amountType: v.picklist(['SEND', 'RECEIVE']),
  sourceAmount: FxMoney,
  targetAmount: FxMoney,
  expiration: DateTime,
  charges: v.optional(v.pipe(v.array(FxCharge), v.maxLength(16))),
  extensionList: v.optional(ExtensionList),
});

export const FxQuotesPostRequest = v.object({
  conversionRequestId: CorrelationId,
  conversionTerms: FxConversion,
});

export const FxQuotesIDPutResponse = v.object({
  condition: v.optional(IlpCondition),
  conversionTerms: FxConversion,
});

export const FxTransfersPostRequest = v.object({
  commitRequestId: CorrelationId,
  determiningTransferId: v.optional(CorrelationId),
  initiatingFsp: FspId,
  counterPartyFsp: FspId,
  sourceAmount: Money,
  targetAmount: Money,
  condition: IlpCondition,
  expiration: DateTime,
  extensionList: v.optional(ExtensionList),
});

export const FxTransfersIDPutResponse = v.object({
  fulfilment: v.optional(IlpFulfilment),
  completedTimestamp: v.optional(DateTime),
  conversionState: TransferState,
  extensionList: v.optional(ExtensionList),
});

export const FxTransfersIDPatchResponse = v.object({
  completedTimestamp: v.optional(DateTime),
  conversionState: TransferState,
  extensionList: v.optional(ExtensionList),
});

export const ServicesFxpPutResponse = v.object({ providers: v.array(FspId) });

export type FxQuotesPostRequest = v.InferOutput<typeof FxQuotesPostRequest>;
export type FxTransfersPostRequest = v.InferOutput<typeof FxTransfersPostRequest>;
export type FxTransfersIDPutResponse = v.InferOutput<typeof FxTransfersIDPutResponse>;
