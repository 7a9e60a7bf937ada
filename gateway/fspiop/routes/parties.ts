// GET /parties/{Type}/{ID}[/{SubId}] and its PUT / PUT …/error callbacks (fspiop.md §8.1).
// The GET goes to FSPIOP-Destination when given; otherwise the oracle names the owners (an
// external oracle over HTTP when one is registered with `external: true`, else the built-in
// oracle held by the PartyLookup actor), and the actor forwards to each active owner, which gets
// FSPIOP-Destination set to itself as the ALS sets it, or answers 3204. A PUT is relayed to its
// FSPIOP-Destination, the original requester. A forward that fails comes back as ForwardFailed.

import { Hono } from 'hono';
import { externalOracleFor } from '../../../actors/oracle-registry/index.ts';
import {
  PARTY_ACTOR_TYPE,
  type PartyId,
  type PartyReply,
  partyKey,
} from '../../../actors/party/messages.ts';
import type { OracleClient } from '../../../runtime/oracle/client.ts';
import { ErrorInformationObject } from '../../../schema/fspiop/common.ts';
import { fspiopError } from '../../../schema/fspiop/errors.ts';
import {
  PartiesTypeIDPutResponse,
  PartyIdentifier,
  PartyIdType,
  PartySubIdOrType,
  partyIdentifierFault,
} from '../../../schema/fspiop/parties.ts';
import { oracleClientFor } from '../auth.ts';
import { parseBody, validate } from '../body.ts';
import type { FspiopDeps } from '../deps.ts';
import { type FspiopEnv, fspiopHeaders } from '../headers.ts';
import { FspiopHttpError } from '../problem.ts';
import { captureRelay } from '../relay.ts';
import {
  externalOracles,
  isActiveParticipant,
  newDeliveryId,
  participantOf,
  queryCurrency,
  referenceHeaderRules,
  requireKnownSource,
} from './facts.ts';

export type DiscoveryOptions = { readonly oracle?: OracleClient };

/**
 * Path tails after `/{Type}/{ID}` of the PUT callbacks. TTK's resources_based collection also
 * sends an empty SubId (`/{ID}/`, `/{ID}//error`): treated as no SubId, as nothing else fits.
 */
export const PARTY_PATH_SUFFIXES = ['/error', '/:subId/error', '//error', '', '/:subId', '/'];

/** GET/POST/DELETE paths of one party identifier, with optional (or empty) SubId. */
export function partyRoutes(resource: 'parties' | 'participants'): string[] {
  return [`/${resource}/:type/:id/:subId?`, `/${resource}/:type/:id/`];
}

/** Validates the path parameters of a party identifier (3100 naming the parameter). */
export function partyFromPath(params: Record<string, string | undefined>): PartyId {
  const partyIdType = validate(PartyIdType, params.type, '/params/Type');
  const partyIdentifier = validate(PartyIdentifier, params.id, '/params/ID');
  const fault = partyIdentifierFault(partyIdType, partyIdentifier);
  if (fault) throw new FspiopHttpError('3100', `/params/ID ${fault}`);
  if (!params.subId) return { partyIdType, partyIdentifier };
  const partySubIdOrType = validate(PartySubIdOrType, params.subId, '/params/SubId');
  return { partyIdType, partyIdentifier, partySubIdOrType };
}

async function owners(deps: FspiopDeps, oracle: OracleClient, party: PartyId, currency?: string) {
  const external = externalOracleFor(externalOracles(deps), party.partyIdType, currency);
  if (external) {
    try {
      const target = currency ? { ...party, currency } : party;
      return (await oracle.lookup(external.endpoint.value, target)).map((p) => p.fspId);
    } catch {
      return [];
    }
  }
  const ref = { type: PARTY_ACTOR_TYPE, key: partyKey(party) };
  const reply = await deps.bus.request<PartyReply>(
    ref,
    currency ? { kind: 'ResolveOwners', currency } : { kind: 'ResolveOwners' },
  );
  return reply.kind === 'owners' ? [...reply.owners] : [];
}

export function partiesRoutes(deps: FspiopDeps, options: DiscoveryOptions = {}): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const oracle = options.oracle ?? oracleClientFor(deps.security);
  const headers = fspiopHeaders('parties');
  const guard = referenceHeaderRules('parties');

  for (const suffix of PARTY_PATH_SUFFIXES) {
    const isError = suffix.endsWith('/error');
    app.put(`/parties/:type/:id${suffix}`, guard, headers, async (c) => {
      const req = c.get('fspiop');
      requireKnownSource(deps, req.source);
      const party = partyFromPath(c.req.param());
      const body = await parseBody(c, isError ? ErrorInformationObject : PartiesTypeIDPutResponse);
      if (req.destination === undefined) {
        throw new FspiopHttpError(
          '3102',
          "/header must have required property 'fspiop-destination'",
        );
      }
      const known = participantOf(deps, req.destination) !== undefined;
      await deps.bus.send(
        { type: PARTY_ACTOR_TYPE, key: partyKey(party) },
        {
          kind: 'RelayPartyAnswer',
          party,
          source: req.source,
          destination: req.destination,
          isError,
          relay: captureRelay(c, body.text),
          path: c.req.path,
          deliveryId: newDeliveryId(),
          ...(known
            ? {}
            : { refusal: fspiopError('3201', `Unknown destination '${req.destination}'`) }),
        },
        nowOption(deps),
      );
      return c.body(null, 200);
    });
  }

  app.on('GET', partyRoutes('parties'), guard, headers, async (c) => {
    const req = c.get('fspiop');
    requireKnownSource(deps, req.source);
    const party = partyFromPath(c.req.param());
    const currency = queryCurrency(c);
    const candidates =
      req.destination !== undefined
        ? [req.destination]
        : await owners(deps, oracle, party, currency);
    await deps.bus.send(
      { type: PARTY_ACTOR_TYPE, key: partyKey(party) },
      {
        kind: 'ForwardPartyLookup',
        party,
        requester: req.source,
        owners: candidates.filter((owner) => isActiveParticipant(deps, owner)),
        relay: captureRelay(c),
        path: c.req.path,
        deliveryId: newDeliveryId(),
      },
      nowOption(deps),
    );
    return c.body(null, 202);
  });
  return app;
}

export function nowOption(deps: FspiopDeps): { nowMs?: number } {
  return deps.nowMs ? { nowMs: deps.nowMs() } : {};
}
