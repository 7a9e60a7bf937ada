// decide(): dispatches a BulkTransfer command to the small function that owns it; GET, expiry and
// an undelivered forward are here too.

import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import { assertNever, type DecideContext, type Timer } from '../actor.ts';
import {
  type ForwardFailed,
  isDefinite,
  sharedRequestError,
} from '../contracts/forward-failure.ts';
import { advance } from './advance.ts';
import {
  decideFulfilBulk,
  decideIndividualReported,
  decideRejectBulk,
  rejectIndividual,
} from './answer.ts';
import { FORWARD_CALLBACK, hubError, hubPut } from './callbacks.ts';
import { type BulkDecision, ignore } from './decision.ts';
import type { BulkTransferCommand, GetBulkTransfer } from './messages.ts';
import { decideAddIndividuals, decidePrepareBulk } from './prepare.ts';
import { type BulkTransferState, isFinal } from './state.ts';

export function decide(
  state: BulkTransferState,
  command: BulkTransferCommand,
  ctx: DecideContext,
): BulkDecision {
  switch (command.kind) {
    case 'PrepareBulkTransfer':
      return decidePrepareBulk(state, command, ctx);
    case 'AddBulkIndividuals':
      return decideAddIndividuals(state, command, ctx);
    case 'IndividualReported':
      return decideIndividualReported(state, command, ctx);
    case 'FulfilBulkTransfer':
      return decideFulfilBulk(state, command, ctx);
    case 'RejectBulkTransfer':
      return decideRejectBulk(state, command, ctx);
    case 'GetBulkTransfer':
      return decideGet(state, command, ctx);
    case 'ExpireBulkTransfer':
      return decideExpire(state, ctx);
    case 'ForwardFailed':
      return decideForwardFailed(state, command, ctx);
    default:
      return assertNever(command);
  }
}

/** GET /bulkTransfers/{ID}: the payer or the payee gets the bulk as it stands (§3.6 rules). */
function decideGet(
  state: BulkTransferState,
  cmd: GetBulkTransfer,
  ctx: DecideContext,
): BulkDecision {
  const id = `get/${cmd.source}/${ctx.nowMs}`;
  if (state.phase === 'absent') {
    const error = fspiopError(FspiopCode.BULK_TRANSFER_ID_NOT_FOUND);
    return {
      events: [],
      effects: [hubError(cmd.source, ctx.actorId, error, id)],
      reply: { kind: 'rejected', error },
    };
  }
  const { payerFsp, payeeFsp } = state.terms;
  if (cmd.source !== payerFsp && cmd.source !== payeeFsp) {
    const error = fspiopError(FspiopCode.GENERIC_CLIENT_ERROR);
    return {
      events: [],
      effects: [hubError(cmd.source, ctx.actorId, error, id)],
      reply: { kind: 'rejected', error },
    };
  }
  return { events: [], effects: [hubPut(cmd.source, state, id)], reply: { kind: 'accepted' } };
}

/**
 * The bulk's expiry. Its individuals expire at the same instant by their own timers (they share
 * the bulk's expiration) and report it; the bulk stops splitting chunks that have not arrived, so
 * a bulk whose payer never delivered every chunk still finishes.
 */
function decideExpire(state: BulkTransferState, ctx: DecideContext): BulkDecision {
  if (state.phase === 'absent' || isFinal(state.phase) || state.expired) {
    return ignore('nothing to expire');
  }
  if (ctx.nowMs < state.terms.expiresAtMs) return ignore('not yet expired');
  const step = advance(state, { events: [{ type: 'BulkExpired' }], effects: [] }, ctx);
  return { ...step, reply: { kind: 'accepted' } };
}

export function nextTimer(state: BulkTransferState): Timer<BulkTransferCommand> | undefined {
  if (state.phase === 'absent' || isFinal(state.phase) || state.expired) return undefined;
  return { atMs: state.terms.expiresAtMs, command: { kind: 'ExpireBulkTransfer' } };
}

/**
 * The POST to the payee could not be delivered. When the payee certainly did not take it, every
 * reserved individual is aborted with the error the payer would have got for a single transfer
 * (and the payer hears every result); otherwise the bulk is held to its expiry, as a transfer is.
 */
function decideForwardFailed(
  state: BulkTransferState,
  cmd: ForwardFailed,
  ctx: DecideContext,
): BulkDecision {
  if (state.phase !== 'ACCEPTED') return ignore(`undelivered callback of a ${state.phase} bulk`);
  if (cmd.callbackId !== `${state.terms.bulkTransferId}/${FORWARD_CALLBACK}`) {
    return ignore('not the forward');
  }
  if (!isDefinite(cmd)) return ignore('the payee may hold the bulk: held to its expiry');
  const error = sharedRequestError(cmd.failure, cmd.receiver);
  const effects = state.order
    .filter((id) => state.individuals[id]?.status === 'RESERVED')
    .map((id) => rejectIndividual(state, id, error, `undelivered/${ctx.nowMs}`));
  return { events: [], effects, reply: { kind: 'rejected', error } };
}
