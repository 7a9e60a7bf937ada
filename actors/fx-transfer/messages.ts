// The FxTransfer actor's commands: from the FSPIOP gateway (prepare, fulfil, reject, get), from
// the payer's Participant actor (the reservation's outcome, the same replies a transfer gets),
// from the dependent transfer (actors/contracts/transfer-fx.ts), from the notifier (a forward
// that failed) and from the runtime's timer. The gateway stamps the FXP's directory facts on the
// prepare, so the decision is a pure function of the message and a replay decides the same.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { ForwardFailed } from '../contracts/forward-failure.ts';
import type { AbortConversion, CommitConversion } from '../contracts/transfer-fx.ts';
import type { FundsReserved, Relay, ReservationRejected } from '../transfer/messages.ts';
import type { FxTerms } from './state.ts';

export { FX_TRANSFER_ACTOR_TYPE } from '../contracts/transfer-fx.ts';

/** The FXP as the participant directory showed it when the prepare arrived; null if unknown. */
export type FxpFacts = {
  readonly isActive: boolean;
  /** Whether the FXP's POSITION account in the source currency exists and is active. */
  readonly sourceAccountActive: boolean;
  /** Whether the FXP's POSITION account in the target currency exists and is active. */
  readonly targetAccountActive: boolean;
} | null;

export type PrepareFxTransfer = FxTerms & {
  readonly kind: 'PrepareFxTransfer';
  /** FSPIOP-Source of the request. */
  readonly source: string;
  /** sha256 of the exact body text (duplicate check). */
  readonly requestHash: string;
  readonly fxp: FxpFacts;
  readonly relay: Relay;
};

export type FulfilFxTransfer = {
  readonly kind: 'FulfilFxTransfer';
  readonly commitRequestId: string;
  readonly source: string;
  readonly destination?: string;
  readonly requestHash: string;
  readonly conversionState: 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED';
  readonly fulfilment?: string;
  readonly completedTimestamp?: string;
  readonly relay: Relay;
};

export type RejectFxTransfer = {
  readonly kind: 'RejectFxTransfer';
  readonly commitRequestId: string;
  readonly source: string;
  readonly requestHash: string;
  readonly errorInformation: FspiopError;
  readonly relay: Relay;
};

export type GetFxTransfer = {
  readonly kind: 'GetFxTransfer';
  readonly commitRequestId: string;
  readonly source: string;
};

export type ExpireFxTransfer = { readonly kind: 'ExpireFxTransfer' };

export type FxTransferCommand =
  | PrepareFxTransfer
  | FulfilFxTransfer
  | RejectFxTransfer
  | GetFxTransfer
  | ExpireFxTransfer
  | FundsReserved
  | ReservationRejected
  | CommitConversion
  | AbortConversion
  | ForwardFailed;

export type FxTransferReply =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly error: FspiopError };
