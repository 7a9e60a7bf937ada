// The PartyLookup actor: the built-in oracle for one party identifier (fspiop.md §8). Its state
// is which DFSP owns the party, per currency (a registration without currency has its own
// slot); a new registration for the same slot moves the party. Lookups are routed through it so
// that every forward and every hub answer leaves through the outbox with the state behind it.

import { fspiopError } from '../../schema/fspiop/errors.ts';
import type { ActorDefinition, Decision, Effect } from '../actor.ts';
import { assertNever } from '../actor.ts';
import { type ForwardFailed, sharedRequestError } from '../contracts/forward-failure.ts';
import {
  forwardLookup,
  participantsAnswer,
  participantsError,
  partiesError,
  partyOfParams,
  relayAnswer,
} from './callbacks.ts';
import {
  type DeregisterParty,
  type ForwardPartyLookup,
  PARTY_ACTOR_TYPE,
  type PartyCommand,
  type PartyEntry,
  type PartyEvent,
  type PartyReply,
  type PartyState,
  type RegisterParty,
  type RelayPartyAnswer,
} from './messages.ts';

type PartyDecision = Decision<PartyEvent, PartyReply>;

const ACCEPTED: PartyReply = { kind: 'accepted' };

/** Owners of the party for a currency: entries of that currency or of no currency. */
export function ownersOf(state: PartyState, currency?: string): string[] {
  const owners = state.entries
    .filter(
      (entry) =>
        currency === undefined || entry.currency === undefined || entry.currency === currency,
    )
    .map((entry) => entry.fspId);
  return [...new Set(owners)];
}

export function decideParty(state: PartyState, command: PartyCommand): PartyDecision {
  switch (command.kind) {
    case 'RegisterParty':
      return decideRegister(state, command);
    case 'DeregisterParty':
      return decideDeregister(state, command);
    case 'QueryParticipant': {
      const [owner] = ownersOf(state, command.currency);
      const effect =
        owner === undefined
          ? participantsError(command.party, command.answer, fspiopError('3204'))
          : participantsAnswer(command.party, command.answer, { fspId: owner }, false);
      return { events: [], effects: [effect], reply: ACCEPTED };
    }
    case 'ResolveOwners':
      return {
        events: [],
        effects: [],
        reply: { kind: 'owners', owners: ownersOf(state, command.currency) },
      };
    case 'ForwardPartyLookup':
      return decideLookup(command);
    case 'RelayPartyAnswer':
      return decideRelayAnswer(command);
    case 'ForwardFailed':
      return decideForwardFailed(command);
    case 'AnswerParticipantRequest': {
      const { answer } = command;
      const callback = {
        to: answer.requester,
        endpointType: command.endpointType,
        params: command.params,
        method: 'PUT' as const,
        path: command.path,
        resource: 'participants' as const,
        body: command.body,
        id: `participants/${answer.deliveryId}`,
      };
      return { events: [], effects: [{ kind: 'callback', callback }], reply: ACCEPTED };
    }
    default:
      return assertNever(command);
  }
}

function decideLookup(cmd: ForwardPartyLookup): PartyDecision {
  const { party, relay, path, deliveryId, requester } = cmd;
  const effects: Effect[] =
    cmd.owners.length === 0
      ? [partiesError(party, requester, fspiopError('3204'), deliveryId)]
      : cmd.owners.map((owner) => forwardLookup(party, requester, owner, relay, path, deliveryId));
  return { events: [], effects, reply: ACCEPTED };
}

function decideRelayAnswer(cmd: RelayPartyAnswer): PartyDecision {
  const { party, deliveryId } = cmd;
  if (cmd.refusal) {
    const effect = partiesError(party, cmd.source, cmd.refusal, deliveryId);
    return { events: [], effects: [effect], reply: { kind: 'refused', error: cmd.refusal } };
  }
  const answer = { source: cmd.source, to: cmd.destination, isError: cmd.isError };
  return {
    events: [],
    effects: [relayAnswer(party, answer, cmd.relay, cmd.path, deliveryId)],
    reply: ACCEPTED,
  };
}

/**
 * A lookup or an answer the notifier could not deliver: its sender gets PUT /parties/…/error,
 * as the account-lookup-service's BasePartiesService.handleError sends it when its forward
 * throws, with the error central-services-shared's sendRequest raised (sharedRequestError).
 */
function decideForwardFailed(cmd: ForwardFailed): PartyDecision {
  const party = partyOfParams(cmd.params);
  if (party === undefined) return { events: [], effects: [], reply: ACCEPTED };
  const error = sharedRequestError(cmd.failure, cmd.receiver);
  const effect = partiesError(party, cmd.sender, error, `failed/${cmd.callbackId}`);
  return { events: [], effects: [effect], reply: { kind: 'refused', error } };
}

function decideRegister(state: PartyState, cmd: RegisterParty): PartyDecision {
  if (cmd.refusal) {
    const effects = cmd.answer ? [participantsError(cmd.party, cmd.answer, cmd.refusal)] : [];
    return { events: [], effects, reply: { kind: 'refused', error: cmd.refusal } };
  }
  const entry: PartyEntry = cmd.currency
    ? { fspId: cmd.fspId, currency: cmd.currency }
    : { fspId: cmd.fspId };
  const known = state.entries.some((e) => e.fspId === entry.fspId && e.currency === entry.currency);
  const taken = state.entries.some((e) => e.currency === entry.currency && e.fspId !== cmd.fspId);
  if (cmd.exclusive && taken) {
    const error = fspiopError('3003', 'the party is registered to another DFSP');
    const effects = cmd.answer ? [participantsError(cmd.party, cmd.answer, error)] : [];
    return { events: [], effects, reply: { kind: 'refused', error } };
  }
  const effects = cmd.answer
    ? [participantsAnswer(cmd.party, cmd.answer, { fspId: cmd.fspId }, false)]
    : [];
  return { events: known ? [] : [{ type: 'PartyRegistered', entry }], effects, reply: ACCEPTED };
}

function decideDeregister(state: PartyState, cmd: DeregisterParty): PartyDecision {
  const owned = state.entries.some(
    (e) => e.fspId === cmd.fspId && (cmd.currency === undefined || e.currency === cmd.currency),
  );
  if (!owned) {
    const error = fspiopError('3040', `${cmd.fspId} does not own this party`);
    const effects = cmd.answer ? [participantsError(cmd.party, cmd.answer, error)] : [];
    return { events: [], effects, reply: { kind: 'refused', error } };
  }
  const event: PartyEvent = cmd.currency
    ? { type: 'PartyDeregistered', fspId: cmd.fspId, currency: cmd.currency }
    : { type: 'PartyDeregistered', fspId: cmd.fspId };
  const effects = cmd.answer
    ? [participantsAnswer(cmd.party, cmd.answer, { fspId: cmd.fspId }, false)]
    : [];
  return { events: [event], effects, reply: ACCEPTED };
}

export function evolveParty(state: PartyState, event: PartyEvent): PartyState {
  switch (event.type) {
    case 'PartyRegistered': {
      // One owner per currency slot: registering again moves the party to the new DFSP.
      const others = state.entries.filter((e) => e.currency !== event.entry.currency);
      return { ...state, entries: [...others, event.entry] };
    }
    case 'PartyDeregistered':
      return {
        ...state,
        entries: state.entries.filter(
          (e) =>
            !(
              e.fspId === event.fspId &&
              (event.currency === undefined || e.currency === event.currency)
            ),
        ),
      };
    default:
      return assertNever(event);
  }
}

export const partyActor: ActorDefinition<PartyState, PartyCommand, PartyEvent, PartyReply> = {
  type: PARTY_ACTOR_TYPE,
  initial: { entries: [] },
  decide: (state, command) => decideParty(state, command),
  evolve: evolveParty,
};
