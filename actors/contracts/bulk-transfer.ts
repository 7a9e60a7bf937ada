// The contract between the BulkTransfer actor and the Transfer actors of its individuals. The bulk
// actor prepares, fulfils and rejects each individual with the Transfer actor's own commands
// (PrepareTransfer with `bulkTransferId` in its terms, FulfilTransfer, RejectTransfer), so every
// individual keeps the guarantees of a single transfer: its checks, its reservation on the
// payer's position, its expiry timer, exactly-once commit. The Transfer actor of an individual
// does not call the DFSPs back; it reports each change of state to its bulk (IndividualReported)
// and the bulk actor aggregates them into one callback. Reports are idempotent on the bulk side.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { ActorRef } from '../actor.ts';

export const BULK_TRANSFER_ACTOR_TYPE = 'bulkTransfer';

export function bulkTransferRef(bulkTransferId: string): ActorRef {
  return { type: BULK_TRANSFER_ACTOR_TYPE, key: bulkTransferId };
}

/** Where an individual stands, as its Transfer actor saw it. */
export type IndividualOutcome =
  | { readonly state: 'RESERVED' }
  | { readonly state: 'COMMITTED'; readonly fulfilment?: string }
  | { readonly state: 'ABORTED'; readonly error: FspiopError };

/** Transfer → bulk: the individual `transferId` reached `outcome`. */
export type IndividualReported = {
  readonly kind: 'IndividualReported';
  readonly transferId: string;
  readonly outcome: IndividualOutcome;
};

/** The prepare hash of every individual of one bulk request (the bulk's own hash inside). */
export function individualPrepareHash(bulkTransferId: string, bulkHash: string): string {
  return `bulk:${bulkTransferId}:${bulkHash}`;
}

/** The error an individual gets when its transferId already exists outside this bulk. */
export const INDIVIDUAL_DUPLICATE_DETAIL = 'Individual transfer prepare duplicate';
