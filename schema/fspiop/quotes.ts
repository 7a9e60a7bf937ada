// valibot schemas for the quotes resource (fspiop.md §2.3, §9): POST /quotes and the PUT
// /quotes/{ID} answer. Only what the hub routes on is checked strictly; the rest is relayed.

import * as v from 'valibot';
import {
  CorrelationId,
  DateTime,
  ExtensionList,
  IlpCondition,
  IlpPacket,
  Money,
} from './common.ts';
import { Party } from './parties.ts';

export const TransactionType = v.object({
  scenario: v.picklist(['DEPOSIT', 'WITHDRAWAL', 'TRANSFER', 'PAYMENT', 'REFUND']),
  subScenario: v.optional(v.string()),
  initiator: v.picklist(['PAYER', 'PAYEE']),
  initiatorType: v.picklist(['CONSUMER', 'AGENT', 'BUSINESS', 'DEVICE']),
  refundInfo: v.optional(v.object({ originalTransactionId: CorrelationId })),
  balanceOfPayments: v.optional(v.string()),
});

export const QuotesPostRequest = v.object({
  quoteId: CorrelationId,
  transactionId: CorrelationId,
  transactionRequestId: v.optional(CorrelationId),
  payee: Party,
  payer: Party,
  amountType: v.picklist(['SEND', 'RECEIVE']),
  amount: Money,
  fees: v.optional(Money),
  transactionType: TransactionType,
  note: v.optional(v.pipe(v.string(), v.maxLength(128))),
  expiration: v.optional(DateTime),
  extensionList: v.optional(ExtensionList),
});

export const QuotesIDPutResponse = v.object({
  transferAmount: Money,
  payeeReceiveAmount: v.optional(Money),
  payeeFspFee: v.optional(Money),
  payeeFspCommission: v.optional(Money),
  expiration: DateTime,
  ilpPacket: IlpPacket,
  condition: IlpCondition,
  extensionList: v.optional(ExtensionList),
});

export type QuotesPostRequestValue = v.InferOutput<typeof QuotesPostRequest>;
