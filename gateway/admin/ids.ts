// Numeric ids Mojaloop clients expect (participantId, settlementModelId), chosen here, at the
// edge, and carried in the create command so the actors stay deterministic on replay. A
// participant's id starts from a hash of its name and probes past ids other names hold.

import type { RegisteredParticipant } from '../../actors/participant/state.ts';

const PARTICIPANT_ID_MIN = 100_000;
const PARTICIPANT_ID_SPAN = 900_000;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function chooseParticipantId(
  name: string,
  existing: ReadonlyArray<{ key: string; state: RegisteredParticipant }>,
): number {
  const own = existing.find((p) => p.key === name);
  if (own) return own.state.participantId;
  const taken = new Set(existing.map((p) => p.state.participantId));
  let id = PARTICIPANT_ID_MIN + (fnv1a(name) % PARTICIPANT_ID_SPAN);
  while (taken.has(id))
    id = id + 1 >= PARTICIPANT_ID_MIN + PARTICIPANT_ID_SPAN ? PARTICIPANT_ID_MIN : id + 1;
  return id;
}
