// The FxTransfer actor (type 'fx-transfer', key commitRequestId): payer-DFSP conversion of
// fspiop.md §10 as a pure decide/evolve pair. It reserves the source amount on the payer's
// position, relays the prepare to the FXP and its answer back, and then waits for its dependent
// transfer, which commits or aborts it (actors/contracts/transfer-fx.ts). Only an unfulfilled
// conversion expires.

import { fspiopError } from '../../schema/fspiop/errors.ts';
import { type ActorDefinition, assertNever, type DecideContext } from '../actor.ts';
import { FX_TRANSFER_ACTOR_TYPE } from '../contracts/transfer-fx.ts';
import { type FxDecision, hubPut, refuse, sameFsp, stateBody } from './callbacks.ts';
import { evolveFx } from './evolve.ts';
import {
  decideAbortConversion,
  decideCommitConversion,
  decideExpireFx,
  decideFxForwardFailed,
  nextFxTimer,
} from './finish.ts';
import { decideFulfilFx, decideRejectFx } from './fulfil.ts';
import type { FxTransferCommand, FxTransferReply, GetFxTransfer } from './messages.ts';
import { decideFxFundsReserved, decideFxReservationRejected, decidePrepareFx } from './prepare.ts';
import { type FxTransferEvent, type FxTransferState, INITIAL_FX_STATE } from './state.ts';

export { FX_TRANSFER_ACTOR_TYPE } from '../contracts/transfer-fx.ts';
export type * from './messages.ts';
export type { FxTransferState } from './state.ts';

export function decideFx(
  state: FxTransferState,
  command: FxTransferCommand,
  ctx: DecideContext,
): FxDecision {
  switch (command.kind) {
    case 'PrepareFxTransfer':
      return decidePrepareFx(state, command, ctx);
    case 'FundsReserved':
      return decideFxFundsReserved(state, command);
    case 'ReservationRejected':
      return decideFxReservationRejected(state, command, ctx);
    case 'FulfilFxTransfer':
      return decideFulfilFx(state, command, ctx);
    case 'RejectFxTransfer':
      return decideRejectFx(state, command, ctx);
    case 'GetFxTransfer':
      return decideGetFx(state, command, ctx);
    case 'ExpireFxTransfer':
      return decideExpireFx(state, command, ctx);
    case 'CommitConversion':
      return decideCommitConversion(state, command, ctx);
    case 'AbortConversion':
      return decideAbortConversion(state, command, ctx);
    case 'ForwardFailed':
      return decideFxForwardFailed(state, command, ctx);
    default:
      return assertNever(command);
  }
}

/** GET /fxTransfers/{ID}: from state, to the payer or the FXP (3208 unknown, 3000 others). */
function decideGetFx(state: FxTransferState, cmd: GetFxTransfer, ctx: DecideContext): FxDecision {
  const id = `get/${cmd.source}/${ctx.nowMs}`;
  if (state.phase === 'absent') {
    const error = fspiopError('3208', 'Provided commitRequestId was not found on the server.');
    return refuse(cmd.source, cmd.commitRequestId, error, id);
  }
  const { payerFsp, fxpFsp } = state.terms;
  if (!sameFsp(cmd.source, payerFsp) && !sameFsp(cmd.source, fxpFsp)) {
    return refuse(cmd.source, cmd.commitRequestId, fspiopError('3000'), id);
  }
  return {
    events: [],
    effects: [hubPut(cmd.source, cmd.commitRequestId, stateBody(state), id)],
    reply: { kind: 'accepted' },
  };
}

export const fxTransferActor: ActorDefinition<
  FxTransferState,
  FxTransferCommand,
  FxTransferEvent,
  FxTransferReply
> = {
  type: FX_TRANSFER_ACTOR_TYPE,
  initial: INITIAL_FX_STATE,
  decide: decideFx,
  evolve: evolveFx,
  nextTimer: nextFxTimer,
};
