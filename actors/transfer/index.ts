// The Transfer actor (type 'transfer', key transferId): the FSPIOP transfer state machine of
// fspiop.md §3, as a pure decide/evolve pair with an expiry timer derived from state; a transfer
// a conversion depends on is decided through conversion.ts (fspiop.md §10).

import type { ActorDefinition } from '../actor.ts';
import {
  decideTransfer,
  evolveTransfer,
  type TransferActorCommand,
  type TransferActorEvent,
} from './conversion.ts';
import { TRANSFER_ACTOR_TYPE } from './decision.ts';
import { nextTimer } from './expiry.ts';
import type { TransferReply } from './messages.ts';
import { INITIAL_STATE, type TransferState } from './state.ts';

export { TRANSFER_ACTOR_TYPE } from './decision.ts';
export type * from './messages.ts';
export type { TransferState } from './state.ts';

export const transferActor: ActorDefinition<
  TransferState,
  TransferActorCommand,
  TransferActorEvent,
  TransferReply
> = {
  type: TRANSFER_ACTOR_TYPE,
  initial: INITIAL_STATE,
  decide: decideTransfer,
  evolve: evolveTransfer,
  nextTimer,
};
