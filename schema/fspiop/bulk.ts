// valibot schemas for the bulk resources (fspiop.md §11): POST /bulkQuotes and its PUT answer,
// POST /bulkTransfers and its PUT answer. At most 1,000 individual quotes or transfers per bulk,
// as the API definition says; an empty bulk is refused. Like quotes.ts, only what the hub acts on
// is checked strictly (ids, amounts, conditions, fulfilments); parties are relayed as sent.

import * as v from 'valibot';
import {
  CorrelationId,
  DateTime,
  ErrorInformation,
  ExtensionList,
  FspId,
  IlpCondition,
  IlpFulfilment,
  IlpPacket,
  Money,
} from './common.ts';
import { Party } from './parties.ts';
import { TransactionType } from './quotes.ts';

/** The API's maxItems for individualQuotes and individualTransfers. */
export const BULK_INDIVIDUALS_MAX = 1000;

const individuals = <S extends v.GenericSchema>(item: S, min: number) =>
  v.pipe(v.array(item), v.minLength(min), v.maxLength(BULK_INDIVIDUALS_MAX));

export const BulkTransferState = v.picklist([
  'RECEIVED',
  'PENDING',
  'ACCEPTED',
  'PROCESSING',
  'COMPLETED',
  'REJECTED',
]);

export const IndividualQuote = v.object({
  quoteId: CorrelationId,
  transactionId: CorrelationId,
  payee: Party,
  amountType: v.picklist(['SEND', 'RECEIVE']),
  amount: Money,
  fees: v.optional(Money),
  transactionType: TransactionType,
  note: v.optional(v.pipe(v.string(), v.maxLength(128))),
  extensionList: v.optional(ExtensionList),
});

export const BulkQuotesPostRequest = v.object({
  bulkQuoteId: CorrelationId,
  payer: Party,
  geoCode: v.optional(v.object({ latitude: v.string(), longitude: v.string() })),
  expiration: v.optional(DateTime),
  individualQuotes: individuals(IndividualQuote, 1),
  extensionList: v.optional(ExtensionList),
});

export const IndividualQuoteResult = v.object({
  quoteId: CorrelationId,
  payee: v.optional(Party),
  transferAmount: v.optional(Money),
  payeeReceiveAmount: v.optional(Money),
  payeeFspFee: v.optional(Money),
  payeeFspCommission: v.optional(Money),
  ilpPacket: v.optional(IlpPacket),
  condition: v.optional(IlpCondition),
  errorInformation: v.optional(ErrorInformation),
  extensionList: v.optional(ExtensionList),
});

export const BulkQuotesIDPutResponse = v.object({
  individualQuoteResults: v.optional(individuals(IndividualQuoteResult, 0)),
  expiration: DateTime,
  extensionList: v.optional(ExtensionList),
});

export const IndividualTransfer = v.object({
  transferId: CorrelationId,
  transferAmount: Money,
  ilpPacket: IlpPacket,
  condition: IlpCondition,
  extensionList: v.optional(ExtensionList),
});

export const BulkTransfersPostRequest = v.object({
  bulkTransferId: CorrelationId,
  bulkQuoteId: CorrelationId,
  payerFsp: FspId,
  payeeFsp: FspId,
  individualTransfers: individuals(IndividualTransfer, 1),
  expiration: DateTime,
  extensionList: v.optional(ExtensionList),
});

export const IndividualTransferResult = v.object({
  transferId: CorrelationId,
  fulfilment: v.optional(IlpFulfilment),
  errorInformation: v.optional(ErrorInformation),
  extensionList: v.optional(ExtensionList),
});

export const BulkTransfersIDPutResponse = v.object({
  completedTimestamp: v.optional(DateTime),
  individualTransferResults: v.optional(individuals(IndividualTransferResult, 0)),
  bulkTransferState: BulkTransferState,
  extensionList: v.optional(ExtensionList),
});

export type BulkTransfersPostRequest = v.InferOutput<typeof BulkTransfersPostRequest>;
export type BulkTransfersIDPutResponse = v.InferOutput<typeof BulkTransfersIDPutResponse>;
