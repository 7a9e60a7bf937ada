// evolve(): folds one event into the Transfer state. Total over (phase, event) and asserting:
// an event that does not fit the phase is a bug in decide() and takes the partition down.

import { assertNever, invariant } from '../actor.ts';
import type { TransferEvent } from './events.ts';
import { knownPart, type TransferState } from './state.ts';

export function evolve(state: TransferState, event: TransferEvent): TransferState {
  switch (event.type) {
    case 'TransferPrepared':
      invariant(state.phase === 'absent', 'a transfer is prepared once');
      return {
        phase: 'received',
        terms: event.terms,
        prepareHash: event.prepareHash,
        relay: event.relay,
      };
    case 'TransferInvalidated':
      invariant(state.phase === 'absent', 'only a new transfer can be invalid');
      return {
        phase: 'aborted',
        reason: 'INVALID',
        terms: event.terms,
        prepareHash: event.prepareHash,
        error: event.error,
        completedTimestamp: event.completedTimestamp,
      };
    case 'TransferReserved':
      invariant(state.phase === 'received', 'only a received transfer is reserved');
      return { ...knownPart(state), phase: 'reserved' };
    case 'TransferCommitted':
      invariant(state.phase === 'reserved', 'only a reserved transfer commits');
      return {
        ...state,
        phase: 'committed',
        completedTimestamp: event.completedTimestamp,
        ...(event.fulfilment === undefined ? {} : { fulfilment: event.fulfilment }),
        ...(event.fulfilHash === undefined ? {} : { fulfilHash: event.fulfilHash }),
      };
    case 'TransferAborted':
      return aborted(state, event);
    case 'HubTransferRecorded':
      return hubRecorded(state, event);
    default:
      return assertNever(event);
  }
}

function aborted(
  state: TransferState,
  event: Extract<TransferEvent, { type: 'TransferAborted' }>,
): TransferState {
  invariant(
    state.phase === 'received' || state.phase === 'reserved',
    'only an unfinished transfer aborts',
  );
  return {
    ...knownPart(state),
    phase: 'aborted',
    reason: event.reason,
    error: event.error,
    completedTimestamp: event.completedTimestamp,
    ...(event.fulfilHash === undefined ? {} : { fulfilHash: event.fulfilHash }),
    ...(event.errorHash === undefined ? {} : { errorHash: event.errorHash }),
  };
}

function hubRecorded(
  state: TransferState,
  event: Extract<TransferEvent, { type: 'HubTransferRecorded' }>,
): TransferState {
  invariant(state.phase === 'absent' || state.hub === true, 'hub records only hub transfers');
  const known = {
    terms: event.terms,
    prepareHash: `hub:${event.terms.transferId}`,
    hub: true as const,
  };
  switch (event.state) {
    case 'RESERVED':
      return { ...known, phase: 'reserved' };
    case 'COMMITTED':
      return { ...known, phase: 'committed', completedTimestamp: event.completedTimestamp };
    case 'ABORTED':
      invariant(event.error !== undefined, 'an aborted hub transfer has a cause');
      return {
        ...known,
        phase: 'aborted',
        reason: 'ABORTED_REJECTED',
        error: event.error,
        completedTimestamp: event.completedTimestamp,
      };
    default:
      return assertNever(event.state);
  }
}
