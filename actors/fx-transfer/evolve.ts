// evolve(): folds one FxTransfer event into state, asserting the transition is legal: an event
// that does not fit the phase is a bug in decide() and takes the partition down.

import { assertNever, invariant } from '../actor.ts';
import { type FxTransferEvent, type FxTransferState, fxKnownPart } from './state.ts';

export function evolveFx(state: FxTransferState, event: FxTransferEvent): FxTransferState {
  switch (event.type) {
    case 'FxTransferPrepared':
      invariant(state.phase === 'absent', 'a conversion is prepared once');
      return {
        phase: 'received',
        terms: event.terms,
        prepareHash: event.prepareHash,
        relay: event.relay,
      };
    case 'FxTransferInvalidated':
      invariant(state.phase === 'absent', 'only a new conversion can be invalid');
      return {
        phase: 'aborted',
        reason: 'INVALID',
        terms: event.terms,
        prepareHash: event.prepareHash,
        error: event.error,
        completedTimestamp: event.completedTimestamp,
      };
    case 'FxTransferReserved':
      invariant(state.phase === 'received', 'only a received conversion is reserved');
      return { ...fxKnownPart(state), phase: 'reserved' };
    case 'FxTransferFulfilled':
      invariant(state.phase === 'reserved', 'only a reserved conversion is fulfilled');
      return {
        ...fxKnownPart(state),
        phase: 'fulfilled',
        fulfilment: event.fulfilment,
        completedTimestamp: event.completedTimestamp,
        fulfilHash: event.fulfilHash,
      };
    case 'FxTransferCommitted':
      invariant(state.phase === 'fulfilled', 'only a fulfilled conversion commits');
      return { ...state, phase: 'committed', completedTimestamp: event.completedTimestamp };
    case 'FxTransferAborted': {
      invariant(
        state.phase === 'received' || state.phase === 'reserved' || state.phase === 'fulfilled',
        'only an unfinished conversion aborts',
      );
      return {
        ...fxKnownPart(state),
        phase: 'aborted',
        reason: event.reason,
        error: event.error,
        completedTimestamp: event.completedTimestamp,
        ...(state.phase === 'fulfilled' ? { fulfilment: state.fulfilment } : {}),
        ...(event.fulfilHash === undefined ? {} : { fulfilHash: event.fulfilHash }),
        ...(event.errorHash === undefined ? {} : { errorHash: event.errorHash }),
      };
    }
    default:
      return assertNever(event);
  }
}
