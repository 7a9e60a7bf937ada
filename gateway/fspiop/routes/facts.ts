// Participant facts the discovery routes stamp on commands, read from the directory
// (ParticipantDirectoryEntry published by the Participant actor): is the sender a participant,
// can the destination take a quote in this currency, which oracle serves a party id type.

import { createHash, randomUUID } from 'node:crypto';
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
import { type FspiopError, fspiopError } from '../../../schema/fspiop/errors.ts';
import type { FspiopDeps } from '../deps.ts';
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
  if (!entry || !entry.isActive) {
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

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export function newDeliveryId(): string {
  return randomUUID();
}
