// The Transfer actor's state: a discriminated union over the lifecycle of §3.1. The external
// TransferState enum (RECEIVED, RESERVED, COMMITTED, ABORTED) is the phase; `reason` keeps the
// reference's internal state for aborted transfers. A finished transfer's snapshot stays forever:
// it is the duplicate-check record (same id + same hash ⇒ resend, different hash ⇒ 3106).

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { ConversionLink } from '../contracts/transfer-fx.ts';
import type { ExtensionList, Relay } from './messages.ts';

export type TransferTerms = {
  readonly transferId: string;
  readonly payerFsp: string;
  readonly payeeFsp: string;
  readonly currency: string;
  readonly amountMinor: bigint;
  /** Empty for hub transfers (funds in/out), which have no ILP condition. */
  readonly condition: string;
  readonly expiresAtMs: number;
  readonly extensionList?: ExtensionList;
  /** A dependent transfer's conversion: its position side is the FXP (conversion.ts). */
  readonly conversion?: ConversionLink;
  /** Set when the transfer is an individual of a bulk (actors/transfer/bulk.ts). */
  readonly bulkTransferId?: string;
};

export type AbortReason =
  | 'INVALID'
  | 'ABORTED_REJECTED'
  | 'ABORTED_ERROR'
  | 'EXPIRED_PREPARED'
  | 'EXPIRED_RESERVED';

export type Known = {
  readonly terms: TransferTerms;
  /** sha256 of the prepare body; `hub:<id>` for hub transfers. */
  readonly prepareHash: string;
  /** sha256 of the fulfil (PUT) body once one was processed. */
  readonly fulfilHash?: string;
  /** sha256 of the payee's PUT …/error body once one was processed. */
  readonly errorHash?: string;
  /** True for transfers recorded by the hub itself (Admin funds in/out). */
  readonly hub?: true;
};

export type TransferState =
  /** Not prepared yet; a conversion that depends on this transfer may already be linked. */
  | { readonly phase: 'absent'; readonly conversion?: ConversionLink }
  /** Prepared and valid; waiting for the payer's reservation. Holds the POST to forward. */
  | (Known & { readonly phase: 'received'; readonly relay: Relay })
  /** Payer funds reserved; the POST went to the payee. */
  | (Known & { readonly phase: 'reserved' })
  | (Known & {
      readonly phase: 'committed';
      readonly fulfilment?: string;
      readonly completedTimestamp: string;
    })
  | (Known & {
      readonly phase: 'aborted';
      readonly reason: AbortReason;
      readonly error: FspiopError;
      readonly completedTimestamp: string;
    });

export type KnownTransfer = Exclude<TransferState, { phase: 'absent' }>;

export const INITIAL_STATE: TransferState = { phase: 'absent' };

export function isFinal(state: TransferState): boolean {
  return state.phase === 'committed' || state.phase === 'aborted';
}

/** The FSPIOP TransferState a DFSP sees for a phase. */
export function externalState(
  state: KnownTransfer,
): 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED' {
  switch (state.phase) {
    case 'received':
      return 'RECEIVED';
    case 'reserved':
      return 'RESERVED';
    case 'committed':
      return 'COMMITTED';
    case 'aborted':
      return 'ABORTED';
  }
}

/** The fields every known phase shares, without the phase-specific ones. */
export function knownPart(state: KnownTransfer): Known {
  const { terms, prepareHash, fulfilHash, errorHash, hub } = state;
  return {
    terms,
    prepareHash,
    ...(fulfilHash === undefined ? {} : { fulfilHash }),
    ...(errorHash === undefined ? {} : { errorHash }),
    ...(hub === undefined ? {} : { hub }),
  };
}
