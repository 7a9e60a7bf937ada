// Small helpers every Participant decide function shares: the decision type, accepted/refused
// replies for the Admin API, and resolving the state a command applies to. The hub participant
// (ctx.hub.hubName) exists implicitly, as Mojaloop seeds it: its first command registers it.

import { type FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext, Decision, Effect } from '../actor.ts';
import { evolveParticipant } from './evolve.ts';
import type { ParticipantEvent, ParticipantReply } from './messages.ts';
import { HUB_PARTICIPANT_ID, type ParticipantState, type RegisteredParticipant } from './state.ts';

export type ParticipantDecision = Decision<ParticipantEvent, ParticipantReply>;

export function accepted(
  events: readonly ParticipantEvent[],
  effects: readonly Effect[] = [],
): ParticipantDecision {
  return { events, effects, reply: { ok: true } };
}

export function refused(code: FspiopCode, detail: string): ParticipantDecision {
  return { events: [], effects: [], reply: { ok: false, error: fspiopError(code, detail) } };
}

export const nothing: ParticipantDecision = { events: [], effects: [], reply: undefined };

export type Resolved = {
  readonly state: RegisteredParticipant;
  /** Events to emit before the command's own (the hub's implicit registration). */
  readonly prefix: readonly ParticipantEvent[];
};

export function isHub(ctx: DecideContext): boolean {
  return ctx.actorId === ctx.hub.hubName;
}

/** The registered state, registering the hub on first use; undefined for an unknown DFSP. */
export function resolve(state: ParticipantState, ctx: DecideContext): Resolved | undefined {
  if (state.phase === 'registered') return { state, prefix: [] };
  if (!isHub(ctx)) return undefined;
  const registered: ParticipantEvent = {
    type: 'ParticipantRegistered',
    name: ctx.actorId,
    participantId: HUB_PARTICIPANT_ID,
    isProxy: false,
    atMs: ctx.nowMs,
  };
  const next = evolveParticipant(state, registered);
  if (next.phase !== 'registered') throw new Error('unreachable: registration failed');
  return { state: next, prefix: [registered] };
}

export function notFound(ctx: DecideContext): ParticipantDecision {
  return refused('3200', `Participant ${ctx.actorId} does not exist`);
}

export function sendTo(type: string, key: string, command: unknown): Effect {
  return { kind: 'send', to: { type, key }, command };
}
