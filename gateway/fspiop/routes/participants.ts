// The ALS registration API (fspiop.md §8.2): POST/GET/DELETE /participants/{Type}/{ID}[/{SubId}]
// and batch POST /participants, each answered by a hub callback PUT /participants/... (or
// /error). With an external oracle for the id type the gateway calls it and the PartyLookup
// actor only delivers the answer; otherwise the actor is the oracle. PUT callbacks sent to the
// hub are acknowledged (200) and not routed further, as no hub request is waiting for them.

import { Hono } from 'hono';
import { externalOracleFor } from '../../../actors/oracle-registry/index.ts';
import { partyParams, partyPath } from '../../../actors/party/callbacks.ts';
import {
  type Answer,
  PARTY_ACTOR_TYPE,
  type PartyId,
  type PartyReply,
  partyKey,
} from '../../../actors/party/messages.ts';
import { type OracleClient, OracleError } from '../../../runtime/oracle/client.ts';
import { errorBody, type FspiopError, fspiopError } from '../../../schema/fspiop/errors.ts';
import {
  ParticipantsPostRequest,
  ParticipantsTypeIDSubIDPostRequest,
} from '../../../schema/fspiop/participants.ts';
import { oracleClientFor } from '../auth.ts';
import { parseBody } from '../body.ts';
import type { FspiopDeps } from '../deps.ts';
import { type FspiopEnv, fspiopHeaders } from '../headers.ts';
import {
  externalOracles,
  newDeliveryId,
  participantOf,
  queryCurrency,
  referenceHeaderRules,
  requireKnownSource,
  sha256,
} from './facts.ts';
import {
  type DiscoveryOptions,
  nowOption,
  PARTY_PATH_SUFFIXES,
  partyFromPath,
  partyRoutes,
} from './parties.ts';

type Outcome = { readonly body: unknown; readonly isError: boolean };

function answerCommand(party: PartyId, answer: Answer, outcome: Outcome) {
  const sub = party.partySubIdOrType ? 'SUB_ID_' : '';
  const path = partyPath('participants', party);
  return {
    kind: 'AnswerParticipantRequest',
    answer,
    path: outcome.isError ? `${path}/error` : path,
    endpointType: `FSPIOP_CALLBACK_URL_PARTICIPANT_${sub}PUT${outcome.isError ? '_ERROR' : ''}`,
    params: partyParams(party),
    body: outcome.body,
  };
}

function oracleFailure(error: unknown, code: '3003' | '3040' | '3200'): Outcome {
  const detail = error instanceof OracleError ? error.message : 'oracle request failed';
  return { body: errorBody(fspiopError(code, detail)), isError: true };
}

/** Registration, lookup or removal through an external oracle; the answer as a callback body. */
async function viaOracle(
  oracle: OracleClient,
  endpoint: string,
  op: { method: 'POST' | 'GET' | 'DELETE'; party: PartyId; fspId: string; currency?: string },
): Promise<Outcome> {
  const target = op.currency ? { ...op.party, currency: op.currency } : op.party;
  try {
    if (op.method === 'POST') await oracle.register(endpoint, target, op.fspId);
    if (op.method === 'DELETE') await oracle.deregister(endpoint, target);
    if (op.method !== 'GET') return { body: { fspId: op.fspId }, isError: false };
    const [owner] = await oracle.lookup(endpoint, target);
    if (owner) return { body: { fspId: owner.fspId }, isError: false };
    return { body: errorBody(fspiopError('3204')), isError: true };
  } catch (error) {
    return oracleFailure(
      error,
      op.method === 'POST' ? '3003' : op.method === 'DELETE' ? '3040' : '3200',
    );
  }
}

/** Senders are authenticated: registrations stop moving parties between DFSPs. */
function authenticated(deps: FspiopDeps): boolean {
  return (deps.security?.authMode ?? 'none') !== 'none';
}

function registrationRefusal(deps: FspiopDeps, fspId: string): FspiopError | undefined {
  return participantOf(deps, fspId)
    ? undefined
    : fspiopError('3003', `fspId '${fspId}' is not a participant`);
}

export function participantsRoutes(
  deps: FspiopDeps,
  options: DiscoveryOptions = {},
): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const oracle = options.oracle ?? oracleClientFor(deps.security);
  const headers = fspiopHeaders('participants');
  const guard = referenceHeaderRules('participants');

  for (const suffix of PARTY_PATH_SUFFIXES) {
    app.put(`/participants/:type/:id${suffix}`, guard, headers, (c) => c.body(null, 200));
  }
  app.put('/participants/:requestId/error', guard, headers, (c) => c.body(null, 200));
  app.put('/participants/:requestId', guard, headers, (c) => c.body(null, 200));

  // Registration validates the owner named in the body (fspId), not the sender: operators
  // register parties on a DFSP's behalf (TTK provisioning sends FSPIOP-Source NOT_APPLICABLE).
  // The answer goes back to the sender when it is a participant and is dropped otherwise.
  app.on('POST', partyRoutes('participants'), guard, headers, async (c) => {
    const req = c.get('fspiop');
    const party = partyFromPath(c.req.param());
    const { value } = await parseBody(c, ParticipantsTypeIDSubIDPostRequest);
    const answer: Answer = { requester: req.source, deliveryId: newDeliveryId() };
    const ref = { type: PARTY_ACTOR_TYPE, key: partyKey(party) };
    const refusal = registrationRefusal(deps, value.fspId);
    const external = externalOracleFor(externalOracles(deps), party.partyIdType, value.currency);
    if (external && !refusal) {
      const op = {
        method: 'POST' as const,
        party,
        fspId: value.fspId,
        ...(value.currency ? { currency: value.currency } : {}),
      };
      const outcome = await viaOracle(oracle, external.endpoint.value, op);
      await deps.bus.send(ref, answerCommand(party, answer, outcome), nowOption(deps));
      return c.body(null, 202);
    }
    const command = {
      kind: 'RegisterParty',
      party,
      fspId: value.fspId,
      answer,
      ...(value.currency ? { currency: value.currency } : {}),
      ...(refusal ? { refusal } : {}),
      ...(authenticated(deps) ? { exclusive: true } : {}),
    };
    await deps.bus.send(ref, command, nowOption(deps));
    return c.body(null, 202);
  });

  for (const method of ['GET', 'DELETE'] as const) {
    app.on(method, partyRoutes('participants'), guard, headers, async (c) => {
      const req = c.get('fspiop');
      requireKnownSource(deps, req.source);
      const party = partyFromPath(c.req.param());
      const currency = queryCurrency(c);
      const answer: Answer = { requester: req.source, deliveryId: newDeliveryId() };
      const ref = { type: PARTY_ACTOR_TYPE, key: partyKey(party) };
      const withCurrency = currency ? { currency } : {};
      const external = externalOracleFor(externalOracles(deps), party.partyIdType, currency);
      if (external) {
        const op = { method, party, fspId: req.source, ...withCurrency };
        const outcome = await viaOracle(oracle, external.endpoint.value, op);
        await deps.bus.send(ref, answerCommand(party, answer, outcome), nowOption(deps));
      } else if (method === 'GET') {
        await deps.bus.send(
          ref,
          { kind: 'QueryParticipant', party, answer, ...withCurrency },
          nowOption(deps),
        );
      } else {
        const command = {
          kind: 'DeregisterParty',
          party,
          fspId: req.source,
          answer,
          ...withCurrency,
        };
        await deps.bus.send(ref, command, nowOption(deps));
      }
      return c.body(null, 202);
    });
  }

  app.post('/participants', guard, headers, async (c) => {
    const req = c.get('fspiop');
    requireKnownSource(deps, req.source);
    const body = await parseBody(c, ParticipantsPostRequest);
    const { requestId, partyList, currency } = body.value;
    const results = [];
    for (const item of partyList) {
      const party: PartyId = item.partySubIdOrType
        ? {
            partyIdType: item.partyIdType,
            partyIdentifier: item.partyIdentifier,
            partySubIdOrType: item.partySubIdOrType,
          }
        : { partyIdType: item.partyIdType, partyIdentifier: item.partyIdentifier };
      const fspId = item.fspId ?? req.source;
      const refusal = registrationRefusal(deps, fspId);
      const command = {
        kind: 'RegisterParty',
        party,
        fspId,
        ...(currency ? { currency } : {}),
        ...(refusal ? { refusal } : {}),
        ...(authenticated(deps) ? { exclusive: true } : {}),
      };
      const reply = await deps.bus.request<PartyReply>(
        { type: PARTY_ACTOR_TYPE, key: partyKey(party) },
        command,
        nowOption(deps),
      );
      const partyId = { ...party, fspId };
      results.push(
        reply.kind === 'refused' ? { partyId, errorInformation: reply.error } : { partyId },
      );
    }
    const answer: Answer = { requester: req.source, deliveryId: sha256(body.text) };
    const command = {
      kind: 'AnswerParticipantRequest',
      answer,
      path: `/participants/${requestId}`,
      endpointType: 'FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT',
      params: { requestId },
      body: { partyList: results, ...(currency ? { currency } : {}) },
    };
    await deps.bus.send(
      { type: PARTY_ACTOR_TYPE, key: `batch/${requestId}` },
      command,
      nowOption(deps),
    );
    return c.body(null, 202);
  });
  return app;
}
