// Events of the Transfer actor, past tense; evolve() folds them into TransferState. Each carries
// what the next state needs, so a replay of the events rebuilds the snapshot exactly.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { Relay } from './messages.ts';
import type { AbortReason, TransferTerms } from './state.ts';

export type TransferEvent =
  | {
      readonly type: 'TransferPrepared';
      readonly terms: TransferTerms;
      readonly prepareHash: string;
      readonly relay: Relay;
    }
  | {
      /** Prepare validation failed: stored as INVALID so duplicates get the same answer. */
      readonly type: 'TransferInvalidated';
      readonly terms: TransferTerms;
      readonly prepareHash: string;
      readonly error: FspiopError;
      readonly completedTimestamp: string;
    }
  | { readonly type: 'TransferReserved' }
  | {
      readonly type: 'TransferCommitted';
      readonly fulfilment?: string;
      readonly completedTimestamp: string;
      readonly fulfilHash?: string;
    }
  | {
      readonly type: 'TransferAborted';
      readonly reason: AbortReason;
      readonly error: FspiopError;
      readonly completedTimestamp: string;
      readonly fulfilHash?: string;
      readonly errorHash?: string;
    }
  | {
      readonly type: 'HubTransferRecorded';
      readonly terms: TransferTerms;
      readonly state: 'RESERVED' | 'COMMITTED' | 'ABORTED';
      readonly error?: FspiopError;
      readonly completedTimestamp: string;
    };
