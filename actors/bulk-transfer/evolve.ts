// evolve(): folds one BulkTransfer event into the state, asserting that it fits the phase.

import { assertNever, invariant } from '../actor.ts';
import type { BulkTransferEvent } from './events.ts';
import type { BulkRecord, BulkTransferState, IndividualEntry } from './state.ts';

export function evolve(state: BulkTransferState, event: BulkTransferEvent): BulkTransferState {
  switch (event.type) {
    case 'BulkReceived':
      invariant(state.phase === 'absent', 'a bulk is received once');
      return {
        phase: 'RECEIVED',
        terms: event.terms,
        requestHash: event.requestHash,
        headers: event.headers,
        payee: event.payee,
        ...(event.payeeByCurrency === undefined ? {} : { payeeByCurrency: event.payeeByCurrency }),
        chunkCount: event.chunkCount,
        chunksSplit: [],
        order: [],
        individuals: {},
        expired: false,
      };
    case 'BulkInvalidated':
      invariant(state.phase === 'absent', 'only a new bulk is invalid');
      return {
        phase: 'INVALID',
        terms: event.terms,
        requestHash: event.requestHash,
        headers: {},
        payee: null,
        chunkCount: 0,
        chunksSplit: [],
        order: [],
        individuals: {},
        expired: false,
        error: event.error,
        completedTimestamp: event.completedTimestamp,
      };
    case 'BulkChunkSplit':
      return chunkSplit(known(state, 'RECEIVED'), event);
    case 'IndividualChanged':
      return individualChanged(known(state), event);
    case 'BulkForwarded':
      return forwarded(known(state, 'PENDING_PREPARE'));
    case 'BulkAnswered': {
      const bulk = known(state, 'ACCEPTED');
      return {
        ...bulk,
        phase: 'PROCESSING',
        answerHash: event.answerHash,
        ...(event.error === undefined ? {} : { error: event.error }),
      };
    }
    case 'BulkExpired':
      return { ...known(state), expired: true };
    case 'BulkFinished':
      return {
        ...known(state),
        phase: event.phase,
        completedTimestamp: event.completedTimestamp,
      };
    default:
      return assertNever(event);
  }
}

function known(state: BulkTransferState, phase?: BulkRecord['phase']): BulkRecord {
  invariant(state.phase !== 'absent', 'the bulk exists');
  if (phase !== undefined) invariant(state.phase === phase, `the bulk is ${phase}`);
  return state;
}

function chunkSplit(
  bulk: BulkRecord,
  event: Extract<BulkTransferEvent, { type: 'BulkChunkSplit' }>,
): BulkRecord {
  invariant(!bulk.chunksSplit.includes(event.chunkIndex), 'a chunk is split once');
  const individuals: Record<string, IndividualEntry> = { ...bulk.individuals };
  const order = [...bulk.order];
  for (const individual of event.individuals) {
    invariant(individuals[individual.transferId] === undefined, 'individual ids are unique');
    order.push(individual.transferId);
    individuals[individual.transferId] = {
      transferAmount: individual.transferAmount,
      status: 'PREPARING',
      forward: {
        ilpPacket: individual.ilpPacket,
        condition: individual.condition,
        ...(individual.extensionList === undefined
          ? {}
          : { extensionList: individual.extensionList }),
      },
    };
  }
  const chunksSplit = [...bulk.chunksSplit, event.chunkIndex];
  const phase = chunksSplit.length === bulk.chunkCount ? 'PENDING_PREPARE' : 'RECEIVED';
  return { ...bulk, phase, chunksSplit, order, individuals };
}

function individualChanged(
  bulk: BulkRecord,
  event: Extract<BulkTransferEvent, { type: 'IndividualChanged' }>,
): BulkRecord {
  const entry = bulk.individuals[event.transferId];
  invariant(entry !== undefined, 'a reported individual belongs to the bulk');
  const { outcome } = event;
  const { fulfilment: _f, error: _e, ...rest } = entry;
  const next: IndividualEntry =
    outcome.state === 'ABORTED'
      ? { ...rest, status: 'ABORTED', error: outcome.error }
      : outcome.state === 'COMMITTED'
        ? {
            ...rest,
            status: 'COMMITTED',
            ...(outcome.fulfilment === undefined ? {} : { fulfilment: outcome.fulfilment }),
          }
        : { ...rest, status: 'RESERVED' };
  return { ...bulk, individuals: { ...bulk.individuals, [event.transferId]: next } };
}

/** Forwarded: the packets and conditions are with the payee and the individuals; drop them. */
function forwarded(bulk: BulkRecord): BulkRecord {
  const individuals: Record<string, IndividualEntry> = {};
  for (const [id, entry] of Object.entries(bulk.individuals)) {
    const { forward: _forward, ...rest } = entry;
    individuals[id] = entry.status === 'RESERVED' ? { ...rest, forwarded: true } : rest;
  }
  return { ...bulk, phase: 'ACCEPTED', individuals };
}
