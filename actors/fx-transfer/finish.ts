// How a conversion ends, other than by its FXP: the dependent transfer commits it or aborts it
// (actors/contracts/transfer-fx.ts), its expiry passes before the FXP fulfilled it, or the
// notifier could not hand the prepare to the FXP. Committing posts both legs of the payer's
// side: the payer's source-currency reservation is committed and the FXP's source-currency
// position credited; the target-currency leg (FXP → payee) is the dependent transfer's own.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { fspiopError } from '../../schema/fspiop/errors.ts';
import { type DecideContext, invariant, type Timer } from '../actor.ts';
import {
  type ForwardFailed,
  isDefinite,
  sharedRequestError,
} from '../contracts/forward-failure.ts';
import type { AbortConversion, CommitConversion } from '../contracts/transfer-fx.ts';
import {
  type CommitReservation,
  type CreditPosition,
  fxLedgerId,
} from '../participant/messages.ts';
import {
  carried,
  type FxDecision,
  hubError,
  ignore,
  linkTransfer,
  notifyOf,
  PREPARE_CALLBACK,
  patchFxp,
  releasePayer,
  toParticipant,
} from './callbacks.ts';
import type { ExpireFxTransfer, FxTransferCommand } from './messages.ts';
import type { FxTransferState, KnownFxTransfer } from './state.ts';

/** Only an unfulfilled conversion expires; a fulfilled one waits for its dependent transfer. */
export function nextFxTimer(state: FxTransferState): Timer<FxTransferCommand> | undefined {
  if (state.phase !== 'received' && state.phase !== 'reserved') return undefined;
  return { atMs: state.terms.expiresAtMs, command: { kind: 'ExpireFxTransfer' } };
}

export function decideExpireFx(
  state: FxTransferState,
  _cmd: ExpireFxTransfer,
  ctx: DecideContext,
): FxDecision {
  if (state.phase !== 'received' && state.phase !== 'reserved') return ignore('nothing to expire');
  if (ctx.nowMs < state.terms.expiresAtMs) return ignore('not yet expired');
  return expireFxNow(state, ctx, 'expired');
}

/** 3303 to the payer (and the FXP once it holds the prepare); the reservation released. */
export function expireFxNow(
  state: Extract<KnownFxTransfer, { phase: 'received' | 'reserved' }>,
  ctx: DecideContext,
  id: string,
  fulfilHash?: string,
): FxDecision {
  const { terms } = state;
  const error = fspiopError('3303');
  const reserved = state.phase === 'reserved';
  return {
    events: [
      {
        type: 'FxTransferAborted',
        reason: reserved ? 'EXPIRED_RESERVED' : 'EXPIRED_PREPARED',
        error,
        completedTimestamp: formatDateTime(ctx.nowMs),
        ...(fulfilHash === undefined ? {} : { fulfilHash }),
      },
    ],
    effects: [
      ...(reserved
        ? [
            releasePayer(terms, [
              hubError(terms.payerFsp, terms.commitRequestId, error, `${id}/payer`),
              hubError(terms.fxpFsp, terms.commitRequestId, error, `${id}/fxp`),
            ]),
          ]
        : [hubError(terms.payerFsp, terms.commitRequestId, error, `${id}/payer`)]),
      linkTransfer(terms, 'ABORTED'),
    ],
    reply: { kind: 'rejected', error },
  };
}

export function decideCommitConversion(
  state: FxTransferState,
  cmd: CommitConversion,
  ctx: DecideContext,
): FxDecision {
  if (state.phase === 'committed') return passOn(cmd, 'conversion already committed');
  // The transfer reserved on the FXP only after it heard FULFILLED, and a fulfilled conversion
  // ends only by its transfer's word: any other phase here is a bug, never a business outcome.
  invariant(state.phase === 'fulfilled', `commit of a conversion in phase ${state.phase}`);
  invariant(cmd.transferId === state.terms.determiningTransferId, 'commit by its own transfer');
  const { terms } = state;
  const commit: CommitReservation = {
    kind: 'CommitReservation',
    transferId: terms.commitRequestId,
    ledgerId: fxLedgerId(terms.commitRequestId),
  };
  const completedTimestamp = formatDateTime(ctx.nowMs);
  // The transfer's callbacks and the FXP's PATCH leave with the FXP's credit.
  const notices = [
    ...carried(cmd.notify),
    patchFxp(terms, 'COMMITTED', completedTimestamp, 'commit/patch'),
  ];
  const credit: CreditPosition = {
    kind: 'CreditPosition',
    transferId: terms.commitRequestId,
    ledgerId: fxLedgerId(terms.commitRequestId),
    currency: terms.sourceCurrency,
    amountMinor: terms.sourceAmountMinor,
    ...notifyOf(notices),
  };
  return {
    events: [{ type: 'FxTransferCommitted', completedTimestamp }],
    effects: [toParticipant(terms.payerFsp, commit), toParticipant(terms.fxpFsp, credit)],
    reply: { kind: 'accepted' },
  };
}

export function decideAbortConversion(
  state: FxTransferState,
  cmd: AbortConversion,
  ctx: DecideContext,
): FxDecision {
  if (state.phase === 'absent' || state.phase === 'aborted') return passOn(cmd, 'nothing to abort');
  invariant(state.phase !== 'committed', 'a committed conversion cannot be aborted');
  if (cmd.transferId !== state.terms.determiningTransferId) return passOn(cmd, 'not its transfer');
  const { terms } = state;
  const completedTimestamp = formatDateTime(ctx.nowMs);
  const id = `dependent/${cmd.transferId}`;
  // The payer already heard of its transfer; the FXP hears the conversion's end. Before the
  // FXP fulfilled, the payer also gets the fxTransfer's error (the transfer refused to depend).
  const tellPayer = state.phase !== 'fulfilled';
  const notices = [
    ...(tellPayer ? [hubError(terms.payerFsp, terms.commitRequestId, cmd.error, id)] : []),
    ...(state.phase === 'received'
      ? []
      : [patchFxp(terms, 'ABORTED', completedTimestamp, `${id}/patch`)]),
    ...carried(cmd.notify),
  ];
  return {
    events: [
      {
        type: 'FxTransferAborted',
        reason: 'ABORTED_DEPENDENT',
        error: cmd.error,
        completedTimestamp,
      },
    ],
    // Before the payer's reservation exists there is nothing to release: notify at once.
    effects: state.phase === 'received' ? notices : [releasePayer(terms, notices)],
    reply: { kind: 'rejected', error: cmd.error },
  };
}

/** The POST to the FXP could not be delivered: a definite failure aborts, as for transfers. */
export function decideFxForwardFailed(
  state: FxTransferState,
  cmd: ForwardFailed,
  ctx: DecideContext,
): FxDecision {
  if (state.phase !== 'reserved') return ignore(`undelivered callback in phase ${state.phase}`);
  const { terms } = state;
  if (cmd.callbackId !== `${terms.commitRequestId}/${PREPARE_CALLBACK}`) {
    return ignore('not the prepare');
  }
  if (!isDefinite(cmd)) return ignore('the FXP may hold the prepare: held to its expiry');
  const error = sharedRequestError(cmd.failure, cmd.receiver);
  return {
    events: [
      {
        type: 'FxTransferAborted',
        reason: 'ABORTED_ERROR',
        error,
        completedTimestamp: formatDateTime(ctx.nowMs),
      },
    ],
    effects: [
      releasePayer(terms, [
        hubError(terms.payerFsp, terms.commitRequestId, error, 'prepare/undelivered'),
      ]),
      linkTransfer(terms, 'ABORTED'),
    ],
    reply: { kind: 'rejected', error },
  };
}

/** A commit or abort that changes nothing here still delivers the callbacks it carries. */
function passOn(cmd: CommitConversion | AbortConversion, reason: string): FxDecision {
  const effects = carried(cmd.notify);
  return { events: [], effects, reply: { kind: 'ignored', reason } };
}
