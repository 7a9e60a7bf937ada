// What a bulk does once its individuals have moved: every individual split and answered by the
// payer's position ⇒ forward the reserved ones to the payee (or finish when none was reserved);
// every individual final ⇒ finish, and tell the payer every result in one callback. Run after
// each decision that changes the bulk, on the state its events lead to.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext, Effect } from '../actor.ts';
import { forwardBulk, hubError, hubPut } from './callbacks.ts';
import type { BulkTransferEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { type BulkRecord, type BulkTransferState, isFinal, isIndividualFinal } from './state.ts';

export type Step = { readonly events: BulkTransferEvent[]; readonly effects: Effect[] };

/** Appends to `step` what the bulk does next, given the state before `step`'s events. */
export function advance(state: BulkTransferState, step: Step, ctx: DecideContext): Step {
  const bulk = step.events.reduce(evolve, state);
  if (bulk.phase === 'absent' || isFinal(bulk.phase)) return step;
  const entries = bulk.order.map((id) => bulk.individuals[id]);
  const allSplit = bulk.expired || bulk.chunksSplit.length === bulk.chunkCount;
  if (!allSplit || entries.some((entry) => entry?.status === 'PREPARING')) return step;
  const preForward = bulk.phase === 'RECEIVED' || bulk.phase === 'PENDING_PREPARE';
  const anyReserved = entries.some((entry) => entry?.status === 'RESERVED');
  if (preForward && anyReserved && !bulk.expired) {
    const forwarded: BulkTransferEvent = { type: 'BulkForwarded' };
    return { events: [...step.events, forwarded], effects: [...step.effects, forwardBulk(bulk)] };
  }
  if (!entries.every((entry) => entry !== undefined && isIndividualFinal(entry))) return step;
  return finish(bulk, step, ctx);
}

function finish(bulk: BulkRecord, step: Step, ctx: DecideContext): Step {
  const phase = finalPhase(bulk, ctx);
  const completedTimestamp = formatDateTime(ctx.nowMs);
  const finished: BulkTransferEvent = { type: 'BulkFinished', phase, completedTimestamp };
  const done = evolve(bulk, finished);
  if (done.phase === 'absent') return step;
  const { payerFsp, payeeFsp, bulkTransferId } = bulk.terms;
  const effects: Effect[] =
    bulk.error !== undefined
      ? [hubError(payerFsp, bulkTransferId, bulk.error, 'result/payer')]
      : [hubPut(payerFsp, done, 'result/payer')];
  if (bulk.phase === 'ACCEPTED' && phase === 'EXPIRED') {
    const expired = fspiopError(FspiopCode.TRANSFER_EXPIRED);
    effects.push(hubError(payeeFsp, bulkTransferId, expired, 'result/payee'));
  }
  if (bulk.phase === 'PROCESSING' && bulk.error === undefined && ctx.hub.confirmToPayee) {
    effects.push(hubPut(payeeFsp, done, 'result/payee'));
  }
  return { events: [...step.events, finished], effects: [...step.effects, ...effects] };
}

function finalPhase(bulk: BulkRecord, ctx: DecideContext): 'COMPLETED' | 'REJECTED' | 'EXPIRED' {
  if (bulk.phase === 'PROCESSING') return bulk.error === undefined ? 'COMPLETED' : 'REJECTED';
  if (bulk.expired || ctx.nowMs >= bulk.terms.expiresAtMs) return 'EXPIRED';
  return 'REJECTED';
}
