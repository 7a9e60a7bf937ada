// The oracle registry: the ALS oracle admin records (fspiop.md §8.3), held by one actor (key
// `oracles`) and published to the directory so gateways can route lookups without a read. One
// default per (id type, currency): a new default demotes the old one, as the ALS does.
// mkondo rule: a registration is only *called* when it carries `external: true`; otherwise it is
// recorded and listed exactly as the ALS would, and the built-in oracle (PartyLookup actors)
// answers. TTK provisioning registers oracles at simulators that mkondo does not run.

import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { ActorDefinition, Decision } from '../actor.ts';
import { assertNever, invariant } from '../actor.ts';

export const ORACLE_REGISTRY_ACTOR_TYPE = 'oracle-registry';
export const ORACLE_REGISTRY_KEY = 'oracles';

export type OracleTerms = {
  readonly oracleIdType: string;
  readonly endpoint: { readonly value: string; readonly endpointType: string };
  readonly currency?: string;
  readonly isDefault: boolean;
  /** mkondo extension: call this oracle over HTTP instead of using the built-in one. */
  readonly external: boolean;
};

export type OracleRecord = OracleTerms & { readonly oracleId: string };

export type OracleRegistryState = {
  readonly oracles: readonly OracleRecord[];
  readonly lastId: number;
};

export type OracleRegistryCommand =
  | { readonly kind: 'CreateOracle'; readonly terms: OracleTerms }
  | { readonly kind: 'UpdateOracle'; readonly oracleId: string; readonly terms: OracleTerms }
  | { readonly kind: 'DeleteOracle'; readonly oracleId: string };

export type OracleRegistryEvent =
  | { readonly type: 'OracleCreated'; readonly oracle: OracleRecord }
  | { readonly type: 'OracleUpdated'; readonly oracle: OracleRecord }
  | { readonly type: 'OracleDeleted'; readonly oracleId: string };

export type OracleRegistryReply =
  | { readonly kind: 'created'; readonly oracle: OracleRecord }
  | { readonly kind: 'updated' }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'refused'; readonly error: FspiopError };

type RegistryDecision = Decision<OracleRegistryEvent, OracleRegistryReply>;

function sameSlot(a: OracleTerms, b: OracleTerms): boolean {
  return a.oracleIdType === b.oracleIdType && a.currency === b.currency;
}

function sameTerms(a: OracleTerms, b: OracleTerms): boolean {
  return sameSlot(a, b) && a.endpoint.value === b.endpoint.value && a.isDefault === b.isDefault;
}

export function decideOracleRegistry(
  state: OracleRegistryState,
  command: OracleRegistryCommand,
): RegistryDecision {
  switch (command.kind) {
    case 'CreateOracle': {
      // Provisioning scripts re-run: an identical registration is answered with the record.
      const existing = state.oracles.find(
        (o) => sameTerms(o, command.terms) && o.external === command.terms.external,
      );
      if (existing)
        return { events: [], effects: [], reply: { kind: 'created', oracle: existing } };
      const oracle: OracleRecord = { ...command.terms, oracleId: String(state.lastId + 1) };
      return {
        events: [{ type: 'OracleCreated', oracle }],
        effects: [],
        reply: { kind: 'created', oracle },
      };
    }
    case 'UpdateOracle': {
      if (!state.oracles.some((o) => o.oracleId === command.oracleId))
        return notFound(command.oracleId);
      const oracle: OracleRecord = { ...command.terms, oracleId: command.oracleId };
      return {
        events: [{ type: 'OracleUpdated', oracle }],
        effects: [],
        reply: { kind: 'updated' },
      };
    }
    case 'DeleteOracle':
      if (!state.oracles.some((o) => o.oracleId === command.oracleId))
        return notFound(command.oracleId);
      return {
        events: [{ type: 'OracleDeleted', oracleId: command.oracleId }],
        effects: [],
        reply: { kind: 'deleted' },
      };
    default:
      return assertNever(command);
  }
}

function notFound(oracleId: string): RegistryDecision {
  const error = fspiopError('3200', `oracle ${oracleId} not found`);
  return { events: [], effects: [], reply: { kind: 'refused', error } };
}

function demoteDefaults(oracles: readonly OracleRecord[], next: OracleRecord): OracleRecord[] {
  return oracles.map((o) =>
    next.isDefault && o.isDefault && sameSlot(o, next) && o.oracleId !== next.oracleId
      ? { ...o, isDefault: false }
      : o,
  );
}

export function evolveOracleRegistry(
  state: OracleRegistryState,
  event: OracleRegistryEvent,
): OracleRegistryState {
  switch (event.type) {
    case 'OracleCreated':
      invariant(Number(event.oracle.oracleId) === state.lastId + 1, 'oracle ids are sequential');
      return {
        oracles: [...demoteDefaults(state.oracles, event.oracle), event.oracle],
        lastId: state.lastId + 1,
      };
    case 'OracleUpdated': {
      const replaced = state.oracles.map((o) =>
        o.oracleId === event.oracle.oracleId ? event.oracle : o,
      );
      return { ...state, oracles: demoteDefaults(replaced, event.oracle) };
    }
    case 'OracleDeleted':
      return { ...state, oracles: state.oracles.filter((o) => o.oracleId !== event.oracleId) };
    default:
      return assertNever(event);
  }
}

/** Directory projection `dir-oracle-registry/oracles`: what the gateway routes lookups by. */
export type OracleDirectoryEntry = { readonly oracles: readonly OracleRecord[] };

export const oracleRegistryActor: ActorDefinition<
  OracleRegistryState,
  OracleRegistryCommand,
  OracleRegistryEvent,
  OracleRegistryReply
> = {
  type: ORACLE_REGISTRY_ACTOR_TYPE,
  initial: { oracles: [], lastId: 0 },
  decide: (state, command) => decideOracleRegistry(state, command),
  evolve: evolveOracleRegistry,
  directoryEntry: (state): OracleDirectoryEntry => ({ oracles: state.oracles }),
};

/**
 * The external oracle that serves a lookup, if any: the default one registered with
 * `external: true` for the id type and currency, else for the id type with no currency.
 */
export function externalOracleFor(
  oracles: readonly OracleRecord[],
  partyIdType: string,
  currency?: string,
): OracleRecord | undefined {
  const usable = oracles.filter((o) => o.external && o.oracleIdType === partyIdType);
  const pick = (cur?: string) =>
    usable.find((o) => o.currency === cur && o.isDefault) ?? usable.find((o) => o.currency === cur);
  return (currency !== undefined ? pick(currency) : undefined) ?? pick(undefined) ?? usable[0];
}
