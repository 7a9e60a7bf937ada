// The contract between an FxTransfer actor (key commitRequestId) and the Transfer actor of its
// determining transfer (key determiningTransferId), for payer-DFSP conversion (fspiop.md §10).
// The conversion tells the transfer where it stands (LinkConversion: pending, fulfilled,
// aborted), so that the dependent POST /transfers is decided from the transfer's own state: a
// fulfilled conversion makes it a dependent transfer paid from the FXP's target-currency
// position. The transfer answers with CommitConversion when it commits and AbortConversion when
// it aborts (or when it cannot serve the conversion), so both commit or neither does. The
// transfer's callbacks (to payer and payee) travel with these messages and leave with the
// conversion's last ledger command, so nobody hears the outcome before every leg it reports is
// durable. Every message is idempotent: the outbox may deliver it again after a crash.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { ActorRef } from '../actor.ts';
import type { Callback } from '../callback.ts';

export const FX_TRANSFER_ACTOR_TYPE = 'fx-transfer';

/** Where the conversion stands, as the transfer needs to know it. */
export type ConversionLinkState = 'PENDING' | 'FULFILLED' | 'ABORTED';

/** What the dependent transfer needs to know of its conversion. */
export type ConversionLink = {
  readonly commitRequestId: string;
  /** initiatingFsp: the payer DFSP, who must also be the transfer's payer. */
  readonly payerFsp: string;
  /** counterPartyFsp: the FXP, whose target-currency position pays the transfer. */
  readonly fxpFsp: string;
  readonly targetCurrency: string;
  readonly targetAmountMinor: bigint;
  readonly state: ConversionLinkState;
};

/** FxTransfer → Transfer(determiningTransferId). */
export type LinkConversion = ConversionLink & {
  readonly kind: 'LinkConversion';
  readonly transferId: string;
};

/** Transfer → FxTransfer: the dependent transfer committed; commit the conversion. */
export type CommitConversion = {
  readonly kind: 'CommitConversion';
  readonly commitRequestId: string;
  readonly transferId: string;
  readonly completedTimestamp: string;
  /** The transfer's callbacks, sent once the conversion's ledger leg is applied. */
  readonly notify?: readonly Callback[];
};

/** Transfer → FxTransfer: the dependent transfer aborted, or cannot depend on this conversion. */
export type AbortConversion = {
  readonly kind: 'AbortConversion';
  readonly commitRequestId: string;
  readonly transferId: string;
  readonly error: FspiopError;
  /** The transfer's callbacks, sent once the payer's reservation is released. */
  readonly notify?: readonly Callback[];
};

export function fxTransferRef(commitRequestId: string): ActorRef {
  return { type: FX_TRANSFER_ACTOR_TYPE, key: commitRequestId };
}
