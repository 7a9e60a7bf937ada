// The BulkTransfer actor's state. The internal phases are the reference's bulk states
// (fspiop.md §11); `externalState` maps them to the API's BulkTransferState. Each individual
// keeps only its amount, its status and its result; its ILP packet and condition are kept only
// until the bulk is forwarded to the payee (the individual's Transfer actor keeps its own terms).
// A finished bulk's snapshot stays forever: it is the bulk's duplicate-check record.

import type { ExtensionList, FspiopError } from '../../schema/fspiop/errors.ts';
import type { PayeeFacts } from '../transfer/messages.ts';
import type { BulkTerms, Money, PayeeByCurrency } from './messages.ts';

export type BulkPhase =
  /** The header is in; its individuals are being split into individual transfers. */
  | 'RECEIVED'
  /** Every individual is split; waiting for the payer's reservations. */
  | 'PENDING_PREPARE'
  /** The reserved individuals went to the payee as one POST /bulkTransfers. */
  | 'ACCEPTED'
  /** The payee answered; each individual is being committed or aborted. */
  | 'PROCESSING'
  | 'COMPLETED'
  /** No individual could be reserved, or the payee declined the bulk. */
  | 'REJECTED'
  /** The bulk's expiry passed before the payee answered. */
  | 'EXPIRED'
  /** The bulk failed its own checks; no individual was created. */
  | 'INVALID';

export type IndividualStatus = 'PREPARING' | 'RESERVED' | 'COMMITTED' | 'ABORTED';

export type IndividualEntry = {
  readonly transferAmount: Money;
  readonly status: IndividualStatus;
  readonly fulfilment?: string;
  readonly error?: FspiopError;
  /** True when the individual went to the payee in the bulk's POST. */
  readonly forwarded?: true;
  /** What the payee's POST needs; dropped once forwarded. */
  readonly forward?: {
    readonly ilpPacket: string;
    readonly condition: string;
    readonly extensionList?: ExtensionList;
  };
};

export type BulkRecord = {
  readonly phase: BulkPhase;
  readonly terms: BulkTerms;
  readonly requestHash: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The payee as the directory showed it when the bulk arrived (the bulk-level checks). */
  readonly payee: PayeeFacts;
  /** The payee's facts in each individual's currency, stamped on that individual. */
  readonly payeeByCurrency?: PayeeByCurrency;
  readonly chunkCount: number;
  readonly chunksSplit: readonly number[];
  /** Individual ids in the payer's order. */
  readonly order: readonly string[];
  readonly individuals: Readonly<Record<string, IndividualEntry>>;
  /** The bulk's expiry fired: no more chunks are split. */
  readonly expired: boolean;
  /** sha256 of the payee's PUT (or PUT …/error) once one was applied. */
  readonly answerHash?: string;
  /** The payee's error when it declined the whole bulk; the bulk's own error when INVALID. */
  readonly error?: FspiopError;
  readonly completedTimestamp?: string;
};

export type BulkTransferState = { readonly phase: 'absent' } | BulkRecord;

export const INITIAL_STATE: BulkTransferState = { phase: 'absent' };

export function isFinal(phase: BulkPhase): boolean {
  return ['COMPLETED', 'REJECTED', 'EXPIRED', 'INVALID'].includes(phase);
}

export function isIndividualFinal(entry: IndividualEntry): boolean {
  return entry.status === 'COMMITTED' || entry.status === 'ABORTED';
}

/** The API's BulkTransferState for an internal phase (fspiop.md §11). */
export function externalState(phase: BulkPhase): string {
  switch (phase) {
    case 'RECEIVED':
      return 'RECEIVED';
    case 'PENDING_PREPARE':
      return 'PENDING';
    case 'ACCEPTED':
      return 'ACCEPTED';
    case 'PROCESSING':
      return 'PROCESSING';
    case 'COMPLETED':
    case 'EXPIRED':
      return 'COMPLETED';
    case 'REJECTED':
    case 'INVALID':
      return 'REJECTED';
  }
}
