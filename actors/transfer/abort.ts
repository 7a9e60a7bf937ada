// Aborting a reserved transfer because of the payee's PUT (invalid fulfilment, header mismatch):
// 3100 to payer and payee, a PATCH ABORTED to a payee that asked for a commit notification, and
// the payer's reservation released.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext } from '../actor.ts';
import { hubError, hubPatch } from './callbacks.ts';
import { callbackEffect, type TransferDecision, toParticipant } from './decision.ts';
import type { KnownTransfer } from './state.ts';

export type AbortOptions = {
  readonly error: FspiopError;
  readonly id: string;
  /** The payee answered RESERVED: it waits for a PATCH. */
  /** The version of the payee's RESERVED fulfil, which then also gets a PATCH ABORTED. */
  readonly patchPayee: string | undefined;
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
  const patch = { completedTimestamp, transferState: 'ABORTED' };
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
      callbackEffect(hubError(payeeFsp, transferId, error, `${id}/payee`)),
      ...(options.patchPayee !== undefined
        ? [callbackEffect(hubPatch(payeeFsp, transferId, patch, `${id}/patch`, options.patchPayee))]
        : []),
      toParticipant(payerFsp, { kind: 'ReleaseReservation', transferId }),
    ],
    reply: { kind: 'rejected', error },
  };
}
