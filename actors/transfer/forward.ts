// ForwardFailed: the notifier could not deliver the payer's prepare to the payee. Mojaloop's
// ml-api-adapter only logs this and leaves the transfer to its expiry; mkondo tells the payer
// at once when the failure is definite (the payee refused the first and only POST with a final
// 4xx, or has no FSPIOP_CALLBACK_URL_TRANSFER_POST): the payee never took the prepare, so the
// transfer aborts and the payer's reservation is released. Otherwise (every attempt failed on
// the network or with a 5xx, or a refusal followed an attempt that may have arrived, or the
// notifier redelivered the prepare) the payee may hold the prepare and fulfil it, so the
// transfer stays RESERVED to its expiry, as in Mojaloop, and the expiry tells both sides
// (RELIABILITY.md).

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import type { DecideContext } from '../actor.ts';
import {
  type ForwardFailed,
  isDefinite,
  sharedRequestError,
} from '../contracts/forward-failure.ts';
import { hubError, isPrepareCallback } from './callbacks.ts';
import { callbackEffect, ignore, type TransferDecision, toParticipant } from './decision.ts';
import type { TransferState } from './state.ts';

export function decideForwardFailed(
  state: TransferState,
  cmd: ForwardFailed,
  ctx: DecideContext,
): TransferDecision {
  if (state.phase !== 'reserved' || state.hub) {
    return ignore(`undelivered callback for a transfer in phase ${state.phase}`);
  }
  const { transferId, payerFsp } = state.terms;
  if (!isPrepareCallback(cmd.callbackId, transferId)) return ignore('not the prepare');
  if (!isDefinite(cmd)) {
    return ignore('the payee may hold the prepare: the transfer is held to its expiry');
  }
  // The payer hears what ml-api-adapter's sendRequest would have raised for this forward.
  const error = sharedRequestError(cmd.failure, cmd.receiver);
  return {
    events: [
      {
        type: 'TransferAborted',
        reason: 'ABORTED_ERROR',
        error,
        completedTimestamp: formatDateTime(ctx.nowMs),
      },
    ],
    effects: [
      callbackEffect(hubError(payerFsp, transferId, error, 'prepare/undelivered')),
      toParticipant(payerFsp, { kind: 'ReleaseReservation', transferId }),
    ],
    reply: { kind: 'rejected', error },
  };
}
