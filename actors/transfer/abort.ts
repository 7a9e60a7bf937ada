// Aborting a reserved transfer because of the payee's PUT (invalid fulfilment, header mismatch):
// 3100 to the payer, the payer's reservation released, and the payee told as the reference does:
// a payee that answered RESERVED waits for a notification and gets PATCH ABORTED (only that);
// one that sent an invalid COMMITTED fulfilment gets 3100; one whose PUT named the wrong
// FSPIOP-Destination gets nothing (its message was not addressed to this transfer's payer).

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext } from '../actor.ts';
import type { Callback } from '../callback.ts';
import { hubError, hubPatch } from './callbacks.ts';
import { callbackEffect, type TransferDecision, toParticipant } from './decision.ts';
import type { KnownTransfer } from './state.ts';

/** What the payee is told: PATCH ABORTED, the 3100 error, or nothing. */
export type PayeeNotice =
  | { readonly kind: 'patch' }
  | { readonly kind: 'error' }
  | { readonly kind: 'none' };

export type AbortOptions = {
  readonly error: FspiopError;
  readonly id: string;
  readonly payee: PayeeNotice;
  readonly fulfilHash?: string;
};

export function abortReserved(
  state: Extract<KnownTransfer, { phase: 'reserved' }>,
  ctx: DecideContext,
  options: AbortOptions,
): TransferDecision {
  const { transferId, payerFsp, payeeFsp } = state.terms;
  const { error, id } = options;
  const completedTimestamp = formatDateTime(ctx.nowMs);
  const notice = options.payee;
  const toPayee: Callback[] = [];
  if (notice.kind === 'patch') {
    const patch = { completedTimestamp, transferState: 'ABORTED' };
    toPayee.push(hubPatch(payeeFsp, transferId, patch, `${id}/patch`));
  } else if (notice.kind === 'error') {
    toPayee.push(hubError(payeeFsp, transferId, error, `${id}/payee`));
  }
  return {
    events: [
      {
        type: 'TransferAborted',
        reason: 'ABORTED_ERROR',
        error,
        completedTimestamp,
        ...(options.fulfilHash === undefined ? {} : { fulfilHash: options.fulfilHash }),
      },
    ],
    effects: [
      callbackEffect(hubError(payerFsp, transferId, error, `${id}/payer`)),
      ...toPayee.map(callbackEffect),
      toParticipant(payerFsp, { kind: 'ReleaseReservation', transferId }),
    ],
    reply: { kind: 'rejected', error },
  };
}
