// A Transfer actor whose terms name a bulk (`bulkTransferId`) is an individual of that bulk
// (actors/contracts/bulk-transfer.ts). Its decisions are the single transfer's, with one change:
// the callbacks that announce a change of state (reserved, committed, aborted, expired) are not
// sent to the DFSPs; the bulk actor hears of the change instead and reports to both DFSPs once
// for the whole bulk. A GET /transfers/{ID} of an individual is answered as for any transfer.
// A bulk's prepare that finds the id taken by another transfer fails that individual only (3106)
// and leaves the existing transfer untouched.

import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import type { Effect } from '../actor.ts';
import {
  bulkTransferRef,
  INDIVIDUAL_DUPLICATE_DETAIL,
  type IndividualOutcome,
  type IndividualReported,
} from '../contracts/bulk-transfer.ts';
import type { TransferDecision } from './decision.ts';
import type { TransferEvent } from './events.ts';
import type { TransferCommand } from './messages.ts';
import type { TransferState } from './state.ts';

/** The decision for a bulk individual, or the single transfer's decision unchanged. */
export function asBulkIndividual(
  state: TransferState,
  command: TransferCommand,
  decision: TransferDecision,
): TransferDecision {
  const ownBulk = state.phase === 'absent' ? undefined : state.terms.bulkTransferId;
  const prepare = command.kind === 'PrepareTransfer' ? command : undefined;
  if (prepare?.bulkTransferId !== undefined && state.phase !== 'absent') {
    return repeatedPrepare(state, prepare.bulkTransferId, prepare.requestHash);
  }
  const bulkTransferId = ownBulk ?? prepare?.bulkTransferId;
  if (bulkTransferId === undefined || command.kind === 'GetTransfer') return decision;
  const transferId =
    prepare?.transferId ?? (state.phase === 'absent' ? '' : state.terms.transferId);
  return {
    ...decision,
    effects: [
      ...decision.effects.filter((effect) => effect.kind !== 'callback'),
      ...decision.events
        .flatMap(outcomeOf)
        .map((outcome) => reportTo(bulkTransferId, transferId, outcome)),
    ],
  };
}

function repeatedPrepare(
  state: Exclude<TransferState, { phase: 'absent' }>,
  bulkTransferId: string,
  requestHash: string,
): TransferDecision {
  const transferId = state.terms.transferId;
  const same = state.terms.bulkTransferId === bulkTransferId && state.prepareHash === requestHash;
  if (!same) {
    const error = fspiopError(FspiopCode.MODIFIED_REQUEST, INDIVIDUAL_DUPLICATE_DETAIL);
    const outcome: IndividualOutcome = { state: 'ABORTED', error };
    return {
      events: [],
      effects: [reportTo(bulkTransferId, transferId, outcome)],
      reply: { kind: 'rejected', error },
    };
  }
  // The bulk's own prepare again (the bulk resent it): report where the individual stands.
  const current = currentOutcome(state);
  return {
    events: [],
    effects: current ? [reportTo(bulkTransferId, transferId, current)] : [],
    reply: { kind: 'ignored', reason: 'duplicate individual prepare' },
  };
}

function currentOutcome(state: Exclude<TransferState, { phase: 'absent' }>) {
  switch (state.phase) {
    case 'received':
      return undefined;
    case 'reserved':
      return { state: 'RESERVED' } as const;
    case 'committed':
      return committed(state.fulfilment);
    case 'aborted':
      return { state: 'ABORTED', error: state.error } as const;
  }
}

function committed(fulfilment: string | undefined): IndividualOutcome {
  return fulfilment === undefined ? { state: 'COMMITTED' } : { state: 'COMMITTED', fulfilment };
}

function outcomeOf(event: TransferEvent): IndividualOutcome[] {
  switch (event.type) {
    case 'TransferReserved':
      return [{ state: 'RESERVED' }];
    case 'TransferCommitted':
      return [committed(event.fulfilment)];
    case 'TransferAborted':
    case 'TransferInvalidated':
      return [{ state: 'ABORTED', error: event.error }];
    default:
      return [];
  }
}

/** An individual's outcome, to its bulk (also used by conversion.ts for dependent refusals). */
export function reportTo(
  bulkTransferId: string,
  transferId: string,
  outcome: IndividualOutcome,
): Effect {
  const command: IndividualReported = { kind: 'IndividualReported', transferId, outcome };
  return { kind: 'send', to: bulkTransferRef(bulkTransferId), command };
}
