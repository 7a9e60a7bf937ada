// A participant with no API type set is sent FSPIOP until it speaks ISO 20022: the first ISO
// request the gateway accepts from it records `iso20022` as its learned type, which an operator's
// choice (Admin API) always overrides. One command per participant: once the directory shows the
// type, nothing more is sent.

import type { MiddlewareHandler } from 'hono';
import {
  PARTICIPANT_ACTOR_TYPE,
  type ParticipantDirectoryEntry,
} from '../../actors/participant/directory.ts';
import type { SetApiType } from '../../actors/participant/messages.ts';
import type { FspiopDeps } from '../fspiop/deps.ts';

type Seen = { readonly source: string; readonly iso: boolean };

export function learnApiType(deps: FspiopDeps): MiddlewareHandler {
  const now = deps.nowMs ?? Date.now;
  return async (c, next) => {
    await next();
    const seen = c.get('fspiop') as Seen | undefined;
    if (seen?.iso !== true || c.res.status >= 300) return;
    const entry = deps.directory.lookup<ParticipantDirectoryEntry>(
      PARTICIPANT_ACTOR_TYPE,
      seen.source,
    );
    if (entry === undefined || entry.apiType !== undefined) return;
    const command: SetApiType = { kind: 'SetApiType', apiType: 'iso20022', learned: true };
    await deps.bus.send({ type: PARTICIPANT_ACTOR_TYPE, key: seen.source }, command, {
      nowMs: now(),
    });
  };
}
