// Shared fixtures for the Transfer actor tests: a valid prepare, the TTK ILP test vector, and a
// given/when helper that folds prior events into state and runs one command.

import type { DecideContext, HubSettings } from '../../actors/actor.ts';
import { decide } from '../../actors/transfer/decide.ts';
import type { TransferEvent } from '../../actors/transfer/events.ts';
import { evolve } from '../../actors/transfer/evolve.ts';
import type { PrepareTransfer, TransferCommand } from '../../actors/transfer/messages.ts';
import { INITIAL_STATE, type TransferState } from '../../actors/transfer/state.ts';

export const FULFILMENT = 'UNlJ98hZTY_dsw0cAqw4i_UN3v4utt7CZFB4yfLbVFA';
export const CONDITION = 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM';
export const BAD_FULFILMENT = '_3cco-YN5OGpRKVWV3n6x6uNpBTH9tYUdOYmHA-----';
export const ID = '01J9ZQ4C5W3V6XK8R2M7N0P1QS';
export const NOW = 1_780_000_000_000;
export const EXPIRES = NOW + 60_000;
export const HUB: HubSettings = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };

export function ctx(nowMs = NOW, hub: Partial<HubSettings> = {}): DecideContext {
  return { actorId: ID, nowMs, hub: { ...HUB, ...hub } };
}

export const PREPARE_RELAY = {
  headers: { 'content-type': 'application/vnd.interoperability.transfers+json;version=1.1' },
  body: '{"transferId":"x"}',
};

export function prepare(overrides: Partial<PrepareTransfer> = {}): PrepareTransfer {
  return {
    kind: 'PrepareTransfer',
    transferId: ID,
    source: 'payerfsp',
    requestHash: 'hash-prepare',
    payerFsp: 'payerfsp',
    payeeFsp: 'payeefsp',
    currency: 'USD',
    amountMinor: 1_000_000n,
    condition: CONDITION,
    expiresAtMs: EXPIRES,
    payee: { isActive: true, positionAccountActive: true },
    relay: PREPARE_RELAY,
    ...overrides,
  };
}

export const TERMS = {
  transferId: ID,
  payerFsp: 'payerfsp',
  payeeFsp: 'payeefsp',
  currency: 'USD',
  amountMinor: 1_000_000n,
  condition: CONDITION,
  expiresAtMs: EXPIRES,
};

export const PREPARED: TransferEvent = {
  type: 'TransferPrepared',
  terms: TERMS,
  prepareHash: 'hash-prepare',
  relay: PREPARE_RELAY,
};
export const RESERVED: TransferEvent = { type: 'TransferReserved' };

export function given(events: readonly TransferEvent[]): TransferState {
  return events.reduce(evolve, INITIAL_STATE);
}

export function when(events: readonly TransferEvent[], command: TransferCommand, context = ctx()) {
  const state = given(events);
  const decision = decide(state, command, context);
  const next = decision.events.reduce(evolve, state);
  return { ...decision, state: next };
}

export const FULFIL_RELAY = {
  headers: { 'fspiop-source': 'payeefsp', 'fspiop-destination': 'payerfsp' },
  body: '{"transferState":"COMMITTED"}',
};

/** The payer's reservation released: the effect of every abort after reservation. */
export const RELEASE = {
  kind: 'send',
  to: { type: 'participant', key: 'payerfsp' },
  command: { kind: 'ReleaseReservation', transferId: ID },
};
