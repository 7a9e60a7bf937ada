// The Transfer actor's messages. Commands come from the FSPIOP gateway (prepare, fulfil, reject,
// get), from the payer's Participant actor (reservation outcome, hub transfers) and from the
// runtime's timer (expiry). Everything the actor decides on travels inside the command: the
// gateway stamps the payee's directory facts on PrepareTransfer, so a replay decides the same.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { ForwardFailed } from '../contracts/forward-failure.ts';
import type {
  CommitReservation,
  CreditPosition,
  ReleaseReservation,
  ReserveFunds,
} from '../participant/messages.ts';
import type { TransactionFacts } from '../settlement-model/interchange-fee.ts';
import type { TransferTerms } from './state.ts';

export const TRANSFER_ACTOR_TYPE = 'transfer';

export type ExtensionList = { readonly extension: readonly { key: string; value: string }[] };

/** The original request of a relayed message: lower-case headers and the exact body text. */
export type Relay = { readonly headers: Readonly<Record<string, string>>; readonly body: string };

/**
 * The payee as the participant directory showed it to the gateway when the prepare arrived,
 * or null when the directory did not know it.
 */
export type PayeeFacts = {
  readonly isActive: boolean;
  /** Whether the payee's POSITION account in the transfer currency exists and is active. */
  readonly positionAccountActive: boolean;
  /** Whether that account exists at all (absent on commands recorded before it was stamped). */
  readonly positionAccountExists?: boolean;
} | null;

/** The transfer's terms (what the state keeps) and what the request adds to them. */
export type PrepareTransfer = TransferTerms & {
  readonly kind: 'PrepareTransfer';
  /** FSPIOP-Source of the request. */
  readonly source: string;
  /** sha256 of the exact body text (duplicate check). */
  readonly requestHash: string;
  readonly payee: PayeeFacts;
  readonly relay: Relay;
  /** The ILP packet's transaction facts, decoded by the gateway, for interchange fees. */
  readonly transaction?: TransactionFacts;
};

export type FulfilTransfer = {
  readonly kind: 'FulfilTransfer';
  readonly transferId: string;
  readonly source: string;
  readonly destination?: string;
  readonly requestHash: string;
  /** Content-Type version of the PUT (major.minor): RESERVED in 1.0 is ignored (§3.3). */
  readonly version: string;
  readonly transferState: 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED';
  readonly fulfilment?: string;
  readonly completedTimestamp?: string;
  readonly extensionList?: ExtensionList;
  readonly relay: Relay;
};

export type RejectTransfer = {
  readonly kind: 'RejectTransfer';
  readonly transferId: string;
  readonly source: string;
  readonly destination?: string;
  readonly requestHash: string;
  readonly errorInformation: FspiopError;
  readonly relay: Relay;
};

export type GetTransfer = {
  readonly kind: 'GetTransfer';
  readonly transferId: string;
  readonly source: string;
};

export type ExpireTransfer = { readonly kind: 'ExpireTransfer' };

export type FundsReserved = { readonly kind: 'FundsReserved'; readonly transferId: string };

export type ReservationRejected = {
  readonly kind: 'ReservationRejected';
  readonly transferId: string;
  readonly error: FspiopError;
};

/** A hub-initiated transfer (Admin funds in/out) recorded so that GET /transfers answers it. */
export type RecordHubTransfer = {
  readonly kind: 'RecordHubTransfer';
  readonly transferId: string;
  readonly payerFsp: string;
  readonly payeeFsp: string;
  readonly amount: { readonly amount: string; readonly currency: string };
  readonly state: 'RESERVED' | 'COMMITTED' | 'ABORTED';
  readonly reason?: string;
  readonly extensionList?: ExtensionList;
};

export type TransferCommand =
  | PrepareTransfer
  | FulfilTransfer
  | RejectTransfer
  | GetTransfer
  | ExpireTransfer
  | FundsReserved
  | ReservationRejected
  | RecordHubTransfer
  | ForwardFailed;

/** Commands the Transfer actor sends to Participant actors (defined by their receiver). */
export type ParticipantCommand =
  | ReserveFunds
  | CommitReservation
  | CreditPosition
  | ReleaseReservation;

export type TransferReply =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly error: FspiopError };
