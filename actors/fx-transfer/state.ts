// The FxTransfer actor's state and events: the conversion state machine of fspiop.md §10 for
// payer-DFSP conversion. `received` waits for the payer's source-currency reservation;
// `reserved` was forwarded to the FXP and expires at `expiresAtMs`; `fulfilled` is Mojaloop's
// RECEIVED_FULFIL_DEPENDENT (reported RESERVED): the FXP released a valid fulfilment and the
// conversion now waits for its dependent transfer, without an expiry of its own; `committed` and
// `aborted` are final. The snapshot stays forever as the duplicate-check record.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { Relay } from '../transfer/messages.ts';

export type FxTerms = {
  readonly commitRequestId: string;
  readonly determiningTransferId: string;
  /** initiatingFsp: the payer DFSP, whose source-currency position is reserved. */
  readonly payerFsp: string;
  /** counterPartyFsp: the FXP. */
  readonly fxpFsp: string;
  readonly sourceCurrency: string;
  readonly sourceAmountMinor: bigint;
  readonly targetCurrency: string;
  readonly targetAmountMinor: bigint;
  readonly condition: string;
  readonly expiresAtMs: number;
};

export type FxAbortReason =
  | 'INVALID'
  | 'ABORTED_REJECTED'
  | 'ABORTED_ERROR'
  | 'ABORTED_DEPENDENT'
  | 'EXPIRED_PREPARED'
  | 'EXPIRED_RESERVED';

export type FxKnown = {
  readonly terms: FxTerms;
  readonly prepareHash: string;
  readonly fulfilHash?: string;
  readonly errorHash?: string;
};

export type FxTransferState =
  | { readonly phase: 'absent' }
  | (FxKnown & { readonly phase: 'received'; readonly relay: Relay })
  | (FxKnown & { readonly phase: 'reserved' })
  | (FxKnown & {
      readonly phase: 'fulfilled';
      readonly fulfilment: string;
      readonly completedTimestamp: string;
    })
  | (FxKnown & {
      readonly phase: 'committed';
      readonly fulfilment: string;
      readonly completedTimestamp: string;
    })
  | (FxKnown & {
      readonly phase: 'aborted';
      readonly reason: FxAbortReason;
      readonly error: FspiopError;
      readonly completedTimestamp: string;
      readonly fulfilment?: string;
    });

export type KnownFxTransfer = Exclude<FxTransferState, { phase: 'absent' }>;

export const INITIAL_FX_STATE: FxTransferState = { phase: 'absent' };

export type FxTransferEvent =
  | {
      readonly type: 'FxTransferPrepared';
      readonly terms: FxTerms;
      readonly prepareHash: string;
      readonly relay: Relay;
    }
  | {
      readonly type: 'FxTransferInvalidated';
      readonly terms: FxTerms;
      readonly prepareHash: string;
      readonly error: FspiopError;
      readonly completedTimestamp: string;
    }
  | { readonly type: 'FxTransferReserved' }
  | {
      readonly type: 'FxTransferFulfilled';
      readonly fulfilment: string;
      readonly completedTimestamp: string;
      readonly fulfilHash: string;
    }
  | { readonly type: 'FxTransferCommitted'; readonly completedTimestamp: string }
  | {
      readonly type: 'FxTransferAborted';
      readonly reason: FxAbortReason;
      readonly error: FspiopError;
      readonly completedTimestamp: string;
      readonly fulfilHash?: string;
      readonly errorHash?: string;
    };

export function isFinalFx(state: FxTransferState): boolean {
  return state.phase === 'committed' || state.phase === 'aborted';
}

/** The FSPIOP conversionState a DFSP sees: a fulfilled conversion is still RESERVED. */
export function conversionState(
  state: KnownFxTransfer,
): 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED' {
  switch (state.phase) {
    case 'received':
      return 'RECEIVED';
    case 'reserved':
    case 'fulfilled':
      return 'RESERVED';
    case 'committed':
      return 'COMMITTED';
    case 'aborted':
      return 'ABORTED';
  }
}

export function fxKnownPart(state: KnownFxTransfer): FxKnown {
  const { terms, prepareHash, fulfilHash, errorHash } = state;
  return {
    terms,
    prepareHash,
    ...(fulfilHash === undefined ? {} : { fulfilHash }),
    ...(errorHash === undefined ? {} : { errorHash }),
  };
}
