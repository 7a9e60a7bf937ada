// The payer's Participant actor answers ReserveFunds with FundsReserved or ReservationRejected.
// Reserved ⇒ forward the payer's POST to the payee. Rejected (4001, 4200, or 3100 payer checks)
// ⇒ abort and tell the payer. A reservation that arrives after the transfer already aborted
// (expired while waiting) is released at once, so no reservation outlives its transfer.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import type { DecideContext } from '../actor.ts';
import { forwardPrepare, hubError } from './callbacks.ts';
import { callbackEffect, ignore, type TransferDecision, toParticipant } from './decision.ts';
import type { FundsReserved, ReservationRejected } from './messages.ts';
import type { TransferState } from './state.ts';

export function decideFundsReserved(state: TransferState, cmd: FundsReserved): TransferDecision {
  if (state.phase === 'received') {
    return {
      events: [{ type: 'TransferReserved' }],
      effects: [callbackEffect(forwardPrepare(state.terms, state.relay))],
      reply: { kind: 'accepted' },
    };
  }
  if (state.phase === 'aborted' && !state.hub) {
    return {
      events: [],
      effects: [
        toParticipant(state.terms.payerFsp, {
          kind: 'ReleaseReservation',
          transferId: cmd.transferId,
        }),
      ],
      reply: { kind: 'ignored', reason: 'transfer already aborted; reservation released' },
    };
  }
  return ignore(`reservation for a transfer in phase ${state.phase}`);
}

export function decideReservationRejected(
  state: TransferState,
  cmd: ReservationRejected,
  ctx: DecideContext,
): TransferDecision {
  if (state.phase !== 'received') return ignore(`rejection for a transfer in phase ${state.phase}`);
  return {
    events: [
      {
        type: 'TransferAborted',
        reason: 'ABORTED_REJECTED',
        error: cmd.error,
        completedTimestamp: formatDateTime(ctx.nowMs),
      },
    ],
    effects: [
      callbackEffect(hubError(state.terms.payerFsp, cmd.transferId, cmd.error, 'rejected')),
    ],
    reply: { kind: 'rejected', error: cmd.error },
  };
}
