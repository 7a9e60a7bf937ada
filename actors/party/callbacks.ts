// Callbacks the PartyLookup actor emits. Parties and participants endpoints are URL templates
// with {{partyIdType}}, {{partyIdentifier}} and {{partySubIdOrType}}; the SubId variants have
// their own endpoint types (FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_GET, ...), as in Mojaloop's ALS.

import { errorBody, type FspiopError } from '../../schema/fspiop/errors.ts';
import type { Effect } from '../actor.ts';
import type { Callback } from '../callback.ts';
import type { Relay } from '../quote/exchange-types.ts';
import { type Answer, PARTY_ACTOR_TYPE, type PartyId, partyKey } from './messages.ts';

export function partyParams(party: PartyId): Record<string, string> {
  const params: Record<string, string> = {
    partyIdType: party.partyIdType,
    partyIdentifier: party.partyIdentifier,
  };
  if (party.partySubIdOrType) params.partySubIdOrType = party.partySubIdOrType;
  return params;
}

function endpoint(resource: 'PARTIES' | 'PARTICIPANT', party: PartyId, verb: string): string {
  const sub = party.partySubIdOrType ? 'SUB_ID_' : '';
  return `FSPIOP_CALLBACK_URL_${resource}_${sub}${verb}`;
}

export function partyPath(resource: 'parties' | 'participants', party: PartyId): string {
  const sub = party.partySubIdOrType ? `/${encodeURIComponent(party.partySubIdOrType)}` : '';
  const id = encodeURIComponent(party.partyIdentifier);
  return `/${resource}/${encodeURIComponent(party.partyIdType)}/${id}${sub}`;
}

/** The party from a callback's endpoint parameters (a ForwardFailed names the callback's). */
export function partyOfParams(params: Readonly<Record<string, string>>): PartyId | undefined {
  const { partyIdType, partyIdentifier, partySubIdOrType } = params;
  if (partyIdType === undefined || partyIdentifier === undefined) return undefined;
  return partySubIdOrType
    ? { partyIdType, partyIdentifier, partySubIdOrType }
    : {
        partyIdType,
        partyIdentifier,
      };
}

/** A relayed message's failure goes back to this actor, which tells `sender`. */
function failureRoute(party: PartyId, sender: string) {
  return { actor: { type: PARTY_ACTOR_TYPE, key: partyKey(party) }, sender };
}

/**
 * GET /parties forwarded to an owner with the requester's headers as sent; the notifier sets
 * FSPIOP-Destination to the owner, as the account-lookup-service does for the owners its oracle
 * found (GetPartiesService.overrideDestinationHeader).
 */
export function forwardLookup(
  party: PartyId,
  requester: string,
  owner: string,
  relay: Relay,
  path: string,
  id: string,
) {
  const callback: Callback = {
    to: owner,
    endpointType: endpoint('PARTIES', party, 'GET'),
    params: partyParams(party),
    method: 'GET',
    path,
    resource: 'parties',
    relay: { headers: relay.headers },
    id: `parties/${id}/${owner}`,
    onFailure: failureRoute(party, requester),
  };
  return effect(callback);
}

/** PUT /parties(/error) from `source` (the owner) relayed to the requester `to`. */
export function relayAnswer(
  party: PartyId,
  answer: { source: string; to: string; isError: boolean },
  relay: Relay,
  path: string,
  id: string,
) {
  const { source, to, isError } = answer;
  return effect({
    to,
    endpointType: endpoint('PARTIES', party, isError ? 'PUT_ERROR' : 'PUT'),
    params: partyParams(party),
    method: 'PUT',
    path,
    resource: 'parties',
    relay,
    id: `parties/${id}`,
    onFailure: failureRoute(party, source),
  });
}

/** Hub-originated PUT /parties/.../error (3204 party not found, 3201 ...). */
export function partiesError(party: PartyId, to: string, error: FspiopError, id: string): Effect {
  return effect({
    to,
    endpointType: endpoint('PARTIES', party, 'PUT_ERROR'),
    params: partyParams(party),
    method: 'PUT',
    path: `${partyPath('parties', party)}/error`,
    resource: 'parties',
    body: errorBody(error),
    id: `parties/${id}/error`,
  });
}

/** Hub-originated PUT /participants/{Type}/{ID}[/{SubId}] (or /error) answering a request. */
export function participantsAnswer(
  party: PartyId,
  answer: Answer,
  body: unknown,
  isError: boolean,
) {
  const path = partyPath('participants', party);
  return effect({
    to: answer.requester,
    endpointType: endpoint('PARTICIPANT', party, isError ? 'PUT_ERROR' : 'PUT'),
    params: partyParams(party),
    method: 'PUT',
    path: isError ? `${path}/error` : path,
    resource: 'participants',
    body,
    id: `participants/${answer.deliveryId}`,
  });
}

export function participantsError(party: PartyId, answer: Answer, error: FspiopError): Effect {
  return participantsAnswer(party, answer, errorBody(error), true);
}

function effect(callback: Callback): Effect {
  return { kind: 'callback', callback };
}
