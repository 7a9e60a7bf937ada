// The FXP's answers: PUT /fxTransfers/{ID} with RESERVED (or COMMITTED) and a fulfilment valid
// for the condition moves the conversion to `fulfilled` (RECEIVED_FULFIL_DEPENDENT): the payer
// gets the FXP's PUT as written and the determining transfer learns it may now be prepared. An
// invalid fulfilment, or PUT …/error, aborts it: the payer's reservation is released, the payer
// hears why, and the determining transfer learns the conversion is gone. Order of checks as for
// transfers (§3.3): unknown id, ignored forms, sender, duplicate, phase, expiry, fulfilment.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext } from '../actor.ts';
import { fulfils } from '../transfer/fulfil.ts';
import {
  answerDuplicate,
  type FxDecision,
  hubError,
  ignore,
  linkTransfer,
  patchFxp,
  refuse,
  relayToPayer,
  releasePayer,
  sameFsp,
} from './callbacks.ts';
import { expireFxNow } from './finish.ts';
import type { FulfilFxTransfer, RejectFxTransfer } from './messages.ts';
import type { FxTransferState, KnownFxTransfer } from './state.ts';

type Reserved = Extract<KnownFxTransfer, { phase: 'reserved' }>;

export function decideFulfilFx(
  state: FxTransferState,
  cmd: FulfilFxTransfer,
  ctx: DecideContext,
): FxDecision {
  const id = `fulfil/${ctx.nowMs}`;
  if (state.phase === 'absent') {
    return refuse(cmd.source, cmd.commitRequestId, fspiopError('3208'), id);
  }
  if (cmd.conversionState === 'ABORTED') return ignore('ABORTED is not a fulfil; use PUT /error');
  if (cmd.conversionState === 'RECEIVED') {
    return refuse(cmd.source, cmd.commitRequestId, validation('invalid conversionState'), id);
  }
  if (!sameFsp(cmd.source, state.terms.fxpFsp)) {
    const detail = 'FSPIOP-Source does not match counterPartyFsp on the fxTransfer fulfil';
    return refuse(cmd.source, cmd.commitRequestId, validation(detail), id);
  }
  if (state.fulfilHash !== undefined) {
    return answerDuplicate(state, state.fulfilHash === cmd.requestHash, cmd.source, id);
  }
  if (state.phase !== 'reserved') return notReserved(state, cmd.source, id);
  if (ctx.nowMs >= state.terms.expiresAtMs) return expireFxNow(state, ctx, id, cmd.requestHash);
  if (cmd.fulfilment === undefined || !fulfils(cmd.fulfilment, state.terms.condition)) {
    return abortReservedFx(state, ctx, {
      error: validation('invalid fulfilment'),
      id,
      fulfilHash: cmd.requestHash,
    });
  }
  const completedTimestamp = cmd.completedTimestamp ?? formatDateTime(ctx.nowMs);
  return {
    events: [
      {
        type: 'FxTransferFulfilled',
        fulfilment: cmd.fulfilment,
        completedTimestamp,
        fulfilHash: cmd.requestHash,
      },
    ],
    // The link goes first: the payer sends the dependent transfer once it has the PUT.
    effects: [
      linkTransfer(state.terms, 'FULFILLED'),
      relayToPayer('fulfil', state.terms, cmd.relay),
    ],
    reply: { kind: 'accepted' },
  };
}

export function decideRejectFx(
  state: FxTransferState,
  cmd: RejectFxTransfer,
  ctx: DecideContext,
): FxDecision {
  const id = `reject/${ctx.nowMs}`;
  if (state.phase === 'absent') {
    return refuse(cmd.source, cmd.commitRequestId, fspiopError('3208'), id);
  }
  if (!sameFsp(cmd.source, state.terms.fxpFsp)) {
    const detail = 'FSPIOP-Source does not match counterPartyFsp';
    return refuse(cmd.source, cmd.commitRequestId, validation(detail), id);
  }
  if (state.errorHash !== undefined) {
    return answerDuplicate(state, state.errorHash === cmd.requestHash, cmd.source, id);
  }
  if (state.phase !== 'reserved') return notReserved(state, cmd.source, id);
  return {
    events: [
      {
        type: 'FxTransferAborted',
        reason: 'ABORTED_ERROR',
        error: cmd.errorInformation,
        completedTimestamp: formatDateTime(ctx.nowMs),
        errorHash: cmd.requestHash,
      },
    ],
    effects: [
      releasePayer(state.terms, [relayToPayer('reject', state.terms, cmd.relay)]),
      linkTransfer(state.terms, 'ABORTED'),
    ],
    reply: { kind: 'accepted' },
  };
}

/** An invalid fulfilment: 3100 to the payer, PATCH ABORTED to the FXP, reservation released. */
function abortReservedFx(
  state: Reserved,
  ctx: DecideContext,
  options: { error: FspiopError; id: string; fulfilHash: string },
): FxDecision {
  const { terms } = state;
  const completedTimestamp = formatDateTime(ctx.nowMs);
  return {
    events: [
      {
        type: 'FxTransferAborted',
        reason: 'ABORTED_ERROR',
        error: options.error,
        completedTimestamp,
        fulfilHash: options.fulfilHash,
      },
    ],
    effects: [
      releasePayer(terms, [
        hubError(terms.payerFsp, terms.commitRequestId, options.error, `${options.id}/payer`),
        patchFxp(terms, 'ABORTED', completedTimestamp, `${options.id}/patch`),
      ]),
      linkTransfer(terms, 'ABORTED'),
    ],
    reply: { kind: 'rejected', error: options.error },
  };
}

function notReserved(state: KnownFxTransfer, to: string, id: string): FxDecision {
  const expired = state.phase === 'aborted' && state.reason.startsWith('EXPIRED');
  const error = expired ? fspiopError('3303') : validation('non-RESERVED conversion state');
  return refuse(to, state.terms.commitRequestId, error, id);
}

function validation(detail: string): FspiopError {
  return fspiopError('3100', detail);
}
