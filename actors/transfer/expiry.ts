// Expiry: the runtime fires ExpireTransfer at `expiresAtMs` (nextTimer). Before reservation the
// payer hears 3303; after it, payer and payee hear 3303 and the reservation is released. The
// command is idempotent: ignored when early, final, unknown, or for hub transfers.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext, Timer } from '../actor.ts';
import { hubError } from './callbacks.ts';
import { callbackEffect, ignore, type TransferDecision, toParticipant } from './decision.ts';
import type { ExpireTransfer, TransferCommand } from './messages.ts';
import type { KnownTransfer, TransferState } from './state.ts';

export function nextTimer(state: TransferState): Timer<TransferCommand> | undefined {
  if (state.phase !== 'received' && state.phase !== 'reserved') return undefined;
  if (state.hub) return undefined;
  return { atMs: state.terms.expiresAtMs, command: { kind: 'ExpireTransfer' } };
}

export function decideExpire(
  state: TransferState,
  _cmd: ExpireTransfer,
  ctx: DecideContext,
): TransferDecision {
  if (state.phase !== 'received' && state.phase !== 'reserved') return ignore('nothing to expire');
  if (state.hub) return ignore('hub transfers do not expire');
  if (ctx.nowMs < state.terms.expiresAtMs) return ignore('not yet expired');
  return expireNow(state, ctx, 'expired');
}

/** Aborts an unfinished transfer as expired; shared with a fulfil that arrives too late. */
export function expireNow(
  state: Extract<KnownTransfer, { phase: 'received' | 'reserved' }>,
  ctx: DecideContext,
  id: string,
  fulfilHash?: string,
): TransferDecision {
  const { transferId, payerFsp, payeeFsp } = state.terms;
  const error = fspiopError(FspiopCode.TRANSFER_EXPIRED);
  const reserved = state.phase === 'reserved';
  return {
    events: [
      {
        type: 'TransferAborted',
        reason: reserved ? 'EXPIRED_RESERVED' : 'EXPIRED_PREPARED',
        error,
        completedTimestamp: formatDateTime(ctx.nowMs),
        ...(fulfilHash === undefined ? {} : { fulfilHash }),
      },
    ],
    effects: [
      callbackEffect(hubError(payerFsp, transferId, error, `${id}/payer`)),
      ...(reserved
        ? [
            callbackEffect(hubError(payeeFsp, transferId, error, `${id}/payee`)),
            toParticipant(payerFsp, { kind: 'ReleaseReservation', transferId }),
          ]
        : []),
    ],
    reply: { kind: 'rejected', error },
  };
}
