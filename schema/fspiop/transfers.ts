// valibot schemas for the bodies of the FSPIOP transfers resource (POST /transfers,
// PUT /transfers/{ID}, PATCH /transfers/{ID}, PUT /transfers/{ID}/error), identical in v1.1 and
// v2.0 apart from v2.0's closed objects (see common.ts on why extras are tolerated).

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
  TransferState,
} from './common.ts';

export const TransfersPostRequest = v.object({
  transferId: CorrelationId,
  payeeFsp: FspId,
  payerFsp: FspId,
  amount: Money,
  ilpPacket: IlpPacket,
  condition: IlpCondition,
  expiration: DateTime,
  extensionList: v.optional(ExtensionList),
});

export const TransfersIDPutResponse = v.object({
  fulfilment: v.optional(IlpFulfilment),
  completedTimestamp: v.optional(DateTime),
  transferState: TransferState,
  extensionList: v.optional(ExtensionList),
});

export const TransfersIDPatchResponse = v.object({
  completedTimestamp: DateTime,
  transferState: TransferState,
  extensionList: v.optional(ExtensionList),
});

export const TransfersIDErrorPutRequest = v.object({ errorInformation: ErrorInformation });

export type TransfersPostRequest = v.InferOutput<typeof TransfersPostRequest>;
export type TransfersIDPutResponse = v.InferOutput<typeof TransfersIDPutResponse>;
export type TransfersIDPatchResponse = v.InferOutput<typeof TransfersIDPatchResponse>;
export type TransfersIDErrorPutRequest = v.InferOutput<typeof TransfersIDErrorPutRequest>;
