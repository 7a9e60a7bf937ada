// Events of the BulkTransfer actor; evolve() folds them into BulkTransferState. Each carries what
// the next state needs, so a replay rebuilds the snapshot exactly.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { IndividualOutcome } from '../contracts/bulk-transfer.ts';
import type { PayeeFacts } from '../transfer/messages.ts';
import type { BulkIndividual, BulkTerms, PayeeByCurrency } from './messages.ts';

export type BulkTransferEvent =
  | {
      readonly type: 'BulkReceived';
      readonly terms: BulkTerms;
      readonly requestHash: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly payee: PayeeFacts;
      /** Absent on events recorded before it was stamped. */
      readonly payeeByCurrency?: PayeeByCurrency;
      readonly chunkCount: number;
    }
  | {
      /** The bulk failed its own checks (fspiop.md §3.2 at bulk level); nothing was split. */
      readonly type: 'BulkInvalidated';
      readonly terms: BulkTerms;
      readonly requestHash: string;
      readonly error: FspiopError;
      readonly completedTimestamp: string;
    }
  | {
      readonly type: 'BulkChunkSplit';
      readonly chunkIndex: number;
      readonly individuals: readonly BulkIndividual[];
    }
  | {
      readonly type: 'IndividualChanged';
      readonly transferId: string;
      readonly outcome: IndividualOutcome;
    }
  | { readonly type: 'BulkForwarded' }
  | {
      readonly type: 'BulkAnswered';
      readonly answerHash: string;
      /** The payee's error when it declined the whole bulk. */
      readonly error?: FspiopError;
    }
  | { readonly type: 'BulkExpired' }
  | {
      readonly type: 'BulkFinished';
      readonly phase: 'COMPLETED' | 'REJECTED' | 'EXPIRED';
      readonly completedTimestamp: string;
    };
