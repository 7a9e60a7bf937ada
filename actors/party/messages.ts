// Messages of the PartyLookup actor: the built-in oracle of one party identifier
// (type/id[/subId]) and the routing of the lookups and registrations that concern it. Facts the
// actor cannot know (is the registering DFSP a participant, which owners are active, what an
// external oracle answered) are stamped on the commands by the gateway.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { ForwardFailed } from '../contracts/forward-failure.ts';
import type { Relay } from '../quote/exchange-types.ts';

export const PARTY_ACTOR_TYPE = 'party';

/** The identifier a party is registered under; the actor key is derived from it. */
export type PartyId = {
  readonly partyIdType: string;
  readonly partyIdentifier: string;
  readonly partySubIdOrType?: string;
};

/** Actor key: `TYPE/ID` or `TYPE/ID/SUBID`; a lookup without SubId never sees SubId entries. */
export function partyKey(party: PartyId): string {
  const base = `${party.partyIdType}/${party.partyIdentifier}`;
  return party.partySubIdOrType ? `${base}/${party.partySubIdOrType}` : base;
}

/** One built-in oracle entry: who owns the party, optionally per currency. */
export type PartyEntry = { readonly fspId: string; readonly currency?: string };

export type PartyState = { readonly entries: readonly PartyEntry[] };

/** Who to answer with a hub-originated `PUT /participants/...` callback, and its id. */
export type Answer = {
  readonly requester: string;
  /** Unique per request (set by the gateway): the callback's idempotency key. */
  readonly deliveryId: string;
};

export type RegisterParty = {
  readonly kind: 'RegisterParty';
  readonly party: PartyId;
  readonly fspId: string;
  readonly currency?: string;
  /** Set by the gateway when the registration must not happen (unknown fspId: 3003). */
  readonly refusal?: FspiopError;
  readonly answer?: Answer;
  /** Set when the sender is authenticated: a slot another DFSP holds is not taken over (3003). */
  readonly exclusive?: boolean;
};

export type DeregisterParty = {
  readonly kind: 'DeregisterParty';
  readonly party: PartyId;
  /** The DFSP whose entries go (the FSPIOP-Source of the DELETE). */
  readonly fspId: string;
  readonly currency?: string;
  readonly answer?: Answer;
};

/** GET /participants/{Type}/{ID}: answered with the owner from the built-in oracle. */
export type QueryParticipant = {
  readonly kind: 'QueryParticipant';
  readonly party: PartyId;
  readonly currency?: string;
  readonly answer: Answer;
};

/** The owners the built-in oracle holds (filtered by currency); no state change. */
export type ResolveOwners = { readonly kind: 'ResolveOwners'; readonly currency?: string };

/** GET /parties: forward to each owner (already resolved and filtered), or 3204 to requester. */
export type ForwardPartyLookup = {
  readonly kind: 'ForwardPartyLookup';
  readonly party: PartyId;
  readonly requester: string;
  readonly owners: readonly string[];
  readonly relay: Relay;
  /** FSPIOP-URI of the GET: `/parties/MSISDN/123[/SUB]`. */
  readonly path: string;
  readonly deliveryId: string;
};

/** PUT /parties(/error): relayed to its FSPIOP-Destination, or refused back to its source. */
export type RelayPartyAnswer = {
  readonly kind: 'RelayPartyAnswer';
  readonly party: PartyId;
  readonly source: string;
  readonly destination: string;
  readonly isError: boolean;
  readonly relay: Relay;
  readonly path: string;
  readonly refusal?: FspiopError;
  readonly deliveryId: string;
};

/** An answer computed by the gateway (external oracle, batch): delivered as a callback. */
export type AnswerParticipantRequest = {
  readonly kind: 'AnswerParticipantRequest';
  readonly answer: Answer;
  /** `/participants/{Type}/{ID}[/{SubId}]` or `/participants/{requestId}`. */
  readonly path: string;
  readonly endpointType: string;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
};

export type PartyCommand =
  | RegisterParty
  | DeregisterParty
  | QueryParticipant
  | ResolveOwners
  | ForwardPartyLookup
  | RelayPartyAnswer
  | AnswerParticipantRequest
  | ForwardFailed;

export type PartyEvent =
  | { readonly type: 'PartyRegistered'; readonly entry: PartyEntry }
  | { readonly type: 'PartyDeregistered'; readonly fspId: string; readonly currency?: string };

export type PartyReply =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'owners'; readonly owners: readonly string[] }
  | { readonly kind: 'refused'; readonly error: FspiopError };
