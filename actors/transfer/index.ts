// The Transfer actor (type 'transfer', key transferId): the FSPIOP transfer state machine of
// fspiop.md §3, as a pure decide/evolve pair with an expiry timer derived from state.

import type { ActorDefinition } from '../actor.ts';
import { decide } from './decide.ts';
import { TRANSFER_ACTOR_TYPE } from './decision.ts';
import type { TransferEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { nextTimer } from './expiry.ts';
import type { TransferCommand, TransferReply } from './messages.ts';
import { INITIAL_STATE, type TransferState } from './state.ts';

export { TRANSFER_ACTOR_TYPE } from './decision.ts';
export type * from './messages.ts';
export type { TransferState } from './state.ts';

export const transferActor: ActorDefinition<
  TransferState,
  TransferCommand,
  TransferEvent,
  TransferReply
> = {
  type: TRANSFER_ACTOR_TYPE,
  initial: INITIAL_STATE,
  decide,
  evolve,
  nextTimer,
};
