// The BulkTransfer actor's messages. From the gateway: the bulk's header (PrepareBulkTransfer),
// then its individuals in chunks of at most BULK_CHUNK_INDIVIDUALS (AddBulkIndividuals), so that
// no command carries a whole bulk of 1,000; the payee's PUT /bulkTransfers/{ID} (FulfilBulkTransfer)
// or PUT …/error (RejectBulkTransfer); GET. From its individuals' Transfer actors: their outcomes
// (IndividualReported). From the runtime: the bulk's expiry and an undelivered forward.

import type { ExtensionList, FspiopError } from '../../schema/fspiop/errors.ts';
import type { IndividualReported } from '../contracts/bulk-transfer.ts';
import type { ForwardFailed } from '../contracts/forward-failure.ts';
import type { TransactionFacts } from '../settlement-model/interchange-fee.ts';
import type { PayeeFacts } from '../transfer/messages.ts';

export { BULK_TRANSFER_ACTOR_TYPE } from '../contracts/bulk-transfer.ts';

/** Individuals per AddBulkIndividuals command (and per split step of the bulk actor). */
export const BULK_CHUNK_INDIVIDUALS = 100;

export type Money = { readonly amount: string; readonly currency: string };

export type BulkTerms = {
  readonly bulkTransferId: string;
  readonly bulkQuoteId: string;
  readonly payerFsp: string;
  readonly payeeFsp: string;
  /** The expiration as the payer wrote it (forwarded to the payee unchanged) and in ms. */
  readonly expiration: string;
  readonly expiresAtMs: number;
  readonly extensionList?: ExtensionList;
};

/** One individual transfer as the payer sent it, with its amount in minor units. */
export type BulkIndividual = {
  readonly transferId: string;
  readonly transferAmount: Money;
  readonly amountMinor: bigint;
  readonly ilpPacket: string;
  readonly condition: string;
  readonly extensionList?: ExtensionList;
  /** The ILP packet's transaction facts, decoded by the gateway, for interchange fees. */
  readonly transaction?: TransactionFacts;
};

/**
 * The payee's facts per currency of the bulk's individuals. An individual may be in any
 * currency (central-ledger checks each individual like a single transfer, with the payee's
 * position account in that individual's currency), so each one is stamped with the facts of its
 * own currency: an individual in a currency the payee holds no account in fails alone.
 */
export type PayeeByCurrency = Readonly<Record<string, PayeeFacts>>;

export type PrepareBulkTransfer = BulkTerms & {
  readonly kind: 'PrepareBulkTransfer';
  /** FSPIOP-Source of the request. */
  readonly source: string;
  /** sha256 of the exact body text: the bulk's duplicate check. */
  readonly requestHash: string;
  readonly individualCount: number;
  readonly chunkCount: number;
  readonly payee: PayeeFacts;
  /** The payee's facts in each currency the individuals use (see PayeeByCurrency). */
  readonly payeeByCurrency: PayeeByCurrency;
  /** The payer's request headers (lower-case), kept for the POST forwarded to the payee. */
  readonly headers: Readonly<Record<string, string>>;
};

export type AddBulkIndividuals = {
  readonly kind: 'AddBulkIndividuals';
  /** The hash of the request the chunk belongs to: a chunk of another request is ignored. */
  readonly requestHash: string;
  readonly chunkIndex: number;
  readonly individuals: readonly BulkIndividual[];
};

export type IndividualTransferResult = {
  readonly transferId: string;
  readonly fulfilment?: string;
  readonly errorInformation?: FspiopError;
  readonly extensionList?: ExtensionList;
};

/** PUT /bulkTransfers/{ID} from the payee. */
export type FulfilBulkTransfer = {
  readonly kind: 'FulfilBulkTransfer';
  readonly source: string;
  readonly destination?: string;
  readonly requestHash: string;
  readonly bulkTransferState: string;
  readonly completedTimestamp?: string;
  readonly results: readonly IndividualTransferResult[];
};

/** PUT /bulkTransfers/{ID}/error from the payee: it declines the whole bulk. */
export type RejectBulkTransfer = {
  readonly kind: 'RejectBulkTransfer';
  readonly source: string;
  readonly destination?: string;
  readonly requestHash: string;
  readonly errorInformation: FspiopError;
};

export type GetBulkTransfer = { readonly kind: 'GetBulkTransfer'; readonly source: string };

export type ExpireBulkTransfer = { readonly kind: 'ExpireBulkTransfer' };

export type BulkTransferCommand =
  | PrepareBulkTransfer
  | AddBulkIndividuals
  | IndividualReported
  | FulfilBulkTransfer
  | RejectBulkTransfer
  | GetBulkTransfer
  | ExpireBulkTransfer
  | ForwardFailed;

export type BulkTransferReply =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly error: FspiopError };
