// The BulkTransfer actor (type 'bulkTransfer', key bulkTransferId): fspiop.md §11. It splits a
// bulk into individual transfers handled by their own Transfer actors, forwards the reserved ones
// to the payee as one POST /bulkTransfers, splits the payee's answer into individual fulfils and
// rejections, and reports every individual's result to the payer in one PUT /bulkTransfers/{ID}.

import type { ActorDefinition } from '../actor.ts';
import { BULK_TRANSFER_ACTOR_TYPE } from '../contracts/bulk-transfer.ts';
import { decide, nextTimer } from './decide.ts';
import type { BulkTransferEvent } from './events.ts';
import { evolve } from './evolve.ts';
import type { BulkTransferCommand, BulkTransferReply } from './messages.ts';
import { type BulkTransferState, INITIAL_STATE } from './state.ts';

export { BULK_TRANSFER_ACTOR_TYPE } from '../contracts/bulk-transfer.ts';
export type * from './messages.ts';
export type { BulkTransferState } from './state.ts';

export const bulkTransferActor: ActorDefinition<
  BulkTransferState,
  BulkTransferCommand,
  BulkTransferEvent,
  BulkTransferReply
> = {
  type: BULK_TRANSFER_ACTOR_TYPE,
  initial: INITIAL_STATE,
  decide,
  evolve,
  nextTimer,
};
