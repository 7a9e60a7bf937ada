// RejectTransfer (PUT /transfers/{ID}/error from the payee): the payee declines a reserved
// transfer. The error is relayed to the payer as sent and the reservation is released. Only the
// payee may reject; its error body has its own duplicate check (§3.7).

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext } from '../actor.ts';
import { relayToPayer } from './callbacks.ts';
import {
  answerDuplicate,
  callbackEffect,
  refuse,
  sameFsp,
  type TransferDecision,
  toParticipant,
} from './decision.ts';
import type { RejectTransfer } from './messages.ts';
import type { TransferState } from './state.ts';

export function decideReject(
  state: TransferState,
  cmd: RejectTransfer,
  ctx: DecideContext,
): TransferDecision {
  const id = `reject/${ctx.nowMs}`;
  const validation = (detail: string) => fspiopError(FspiopCode.GENERIC_VALIDATION_ERROR, detail);
  if (state.phase === 'absent') {
    return refuse(cmd, fspiopError(FspiopCode.TRANSFER_ID_NOT_FOUND), id);
  }
  if (state.hub) {
    return refuse(cmd, validation('hub transfers are not rejected over FSPIOP'), id);
  }
  if (!sameFsp(cmd.source, state.terms.payeeFsp)) {
    return refuse(cmd, validation('FSPIOP-Source does not match payee fsp'), id);
  }
  if (state.errorHash !== undefined) {
    return answerDuplicate(state, state.errorHash === cmd.requestHash, cmd, id);
  }
  if (state.phase !== 'reserved') {
    const expired = state.phase === 'aborted' && state.reason.startsWith('EXPIRED');
    const error = expired
      ? fspiopError(FspiopCode.TRANSFER_EXPIRED)
      : validation('non-RESERVED transfer state');
    return refuse(cmd, error, id);
  }
  const { transferId, payerFsp } = state.terms;
  return {
    events: [
      {
        type: 'TransferAborted',
        reason: 'ABORTED_ERROR',
        error: cmd.errorInformation,
        completedTimestamp: formatDateTime(ctx.nowMs),
        errorHash: cmd.requestHash,
      },
    ],
    effects: [
      callbackEffect(relayToPayer('reject', payerFsp, transferId, cmd.relay)),
      toParticipant(payerFsp, { kind: 'ReleaseReservation', transferId }),
    ],
    reply: { kind: 'accepted' },
  };
}
