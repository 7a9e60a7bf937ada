// valibot schemas for the transactionRequests resource: a payee DFSP asking a payer DFSP to pay.

import * as v from 'valibot';
import { CorrelationId, DateTime, ExtensionList, Money } from './common.ts';
import { Party, PartyIdInfo } from './parties.ts';
import { TransactionType } from './quotes.ts';

export const TransactionRequestState = v.picklist(['RECEIVED', 'PENDING', 'ACCEPTED', 'REJECTED']);

export const TransactionRequestsPostRequest = v.object({
  transactionRequestId: CorrelationId,
  payee: Party,
  payer: PartyIdInfo,
  amount: Money,
  transactionType: TransactionType,
  note: v.optional(v.pipe(v.string(), v.maxLength(128))),
  authenticationType: v.optional(v.picklist(['OTP', 'QRCODE', 'U2F'])),
  expiration: v.optional(DateTime),
  extensionList: v.optional(ExtensionList),
});

export const TransactionRequestsIDPutResponse = v.object({
  transactionId: v.optional(CorrelationId),
  transactionRequestState: TransactionRequestState,
  extensionList: v.optional(ExtensionList),
});
