// Participant facts the discovery routes stamp on commands, read from the directory
// (ParticipantDirectoryEntry published by the Participant actor): is the sender a participant,
// can the destination take a quote in this currency, which oracle serves a party id type.

import { createHash, randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { FspiopResource } from '../../../actors/callback.ts';
import {
  ORACLE_REGISTRY_ACTOR_TYPE,
  ORACLE_REGISTRY_KEY,
  type OracleDirectoryEntry,
  type OracleRecord,
} from '../../../actors/oracle-registry/index.ts';
import {
  PARTICIPANT_ACTOR_TYPE,
  type ParticipantDirectoryEntry,
} from '../../../actors/participant/directory.ts';
import { CorrelationId, Currency } from '../../../schema/fspiop/common.ts';
import { type FspiopError, fspiopError } from '../../../schema/fspiop/errors.ts';
import { validate } from '../body.ts';
import type { FspiopDeps } from '../deps.ts';
import { parseAccept } from '../media.ts';
import { FspiopHttpError } from '../problem.ts';

export function participantOf(
  deps: FspiopDeps,
  name: string,
): ParticipantDirectoryEntry | undefined {
  return deps.directory.lookup<ParticipantDirectoryEntry>(PARTICIPANT_ACTOR_TYPE, name);
}

export function isActiveParticipant(deps: FspiopDeps, name: string): boolean {
  return participantOf(deps, name)?.isActive === true;
}

/**
 * The sender must be a known participant (TTK bug #4109): an unknown FSPIOP-Source is refused
 * synchronously, as there is nobody to call back.
 */
export function requireKnownSource(deps: FspiopDeps, source: string): ParticipantDirectoryEntry {
  const entry = participantOf(deps, source);
  if (!entry) {
    throw new FspiopHttpError('3101', `fspiop-source '${source}' is not a known participant`);
  }
  if (!entry.isActive) {
    throw new FspiopHttpError('3100', `fspiop-source '${source}' is not an active participant`);
  }
  return entry;
}

/** Why a destination cannot receive a message of `endpointType`, or undefined if it can. */
export function destinationRefusal(
  deps: FspiopDeps,
  destination: string,
  endpointType: string,
  currency?: string,
): FspiopError | undefined {
  const entry = participantOf(deps, destination);
  if (!entry?.isActive) {
    return fspiopError('3201', `Unsupported participant '${destination}'`);
  }
  if (currency !== undefined && entry.currencies[currency]?.positionAccountActive !== true) {
    return fspiopError('3201', `Unsupported participant '${destination}' for currency ${currency}`);
  }
  if (!entry.endpoints[endpointType]) {
    return fspiopError('3201', `No ${endpointType} endpoint for '${destination}'`);
  }
  return undefined;
}

export function externalOracles(deps: FspiopDeps): readonly OracleRecord[] {
  const entry = deps.directory.lookup<OracleDirectoryEntry>(
    ORACLE_REGISTRY_ACTOR_TYPE,
    ORACLE_REGISTRY_KEY,
  );
  return entry?.oracles ?? [];
}

/** The `{ID}` of a resource path: a UUID or a ULID (3100 naming /params/ID). */
export function pathCorrelationId(c: Context): string {
  return validate(CorrelationId, c.req.param('id'), '/params/ID');
}

/** The optional `currency` query parameter, one of the API's currencies. */
export function queryCurrency(c: Context): string | undefined {
  const currency = c.req.query('currency');
  return currency === undefined ? undefined : validate(Currency, currency, '/query/currency');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export function newDeliveryId(): string {
  return randomUUID();
}

/**
 * Header rules of the reference services' header plugin (central-services-shared) that run
 * before the shared FSPIOP header middleware, in the wording TTK asserts: a GET without Accept
 * is "Accept is required" and without Content-Type "Content-type is required"; an Accept on a
 * callback, when given, must be valid (3101); a non-JSON body type is "Unsupported Media Type".
 */
export function referenceHeaderRules(resource: FspiopResource): MiddlewareHandler {
  return async (c, next) => {
    const accept = c.req.header('accept');
    const contentType = c.req.header('content-type');
    if (c.req.method === 'GET' && accept === undefined) {
      throw new FspiopHttpError('3102', 'Accept is required');
    }
    if (c.req.method === 'GET' && contentType === undefined) {
      throw new FspiopHttpError('3102', 'Content-type is required');
    }
    if (c.req.method === 'PUT' && accept !== undefined && !parseAccept(accept, resource).ok) {
      throw new FspiopHttpError('3101', 'Invalid accept header');
    }
    if (contentType !== undefined && /\+xml\s*(;|$)/i.test(contentType)) {
      throw new FspiopHttpError('3101', 'Unsupported Media Type');
    }
    await next();
  };
}
