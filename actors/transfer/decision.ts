// Small builders shared by the decide functions: the decision shapes, effects addressed to
// Participant actors, and the duplicate-check answer that every FSPIOP step shares (§3.7).

import { FspiopCode, type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { Decision, Effect } from '../actor.ts';
import { PARTICIPANT_ACTOR_TYPE } from '../participant/directory.ts';
import { hubError, hubPut, stateBody } from './callbacks.ts';
import type { TransferEvent } from './events.ts';
import type { ParticipantCommand, Relay, TransferReply } from './messages.ts';
import { isFinal, type KnownTransfer } from './state.ts';

export type TransferDecision = Decision<TransferEvent, TransferReply>;

export { TRANSFER_ACTOR_TYPE } from './messages.ts';

export function toParticipant(name: string, command: ParticipantCommand): Effect {
  return { kind: 'send', to: { type: PARTICIPANT_ACTOR_TYPE, key: name }, command };
}

export function callbackEffect(callback: import('../callback.ts').Callback): Effect {
  return { kind: 'callback', callback };
}

export function ignore(reason: string): TransferDecision {
  return { events: [], effects: [], reply: { kind: 'ignored', reason } };
}

/** The DFSP request a decision answers: its sender, and its headers when it had a body. */
export type TransferRequest = {
  readonly source: string;
  readonly transferId: string;
  readonly relay?: Relay;
};

/**
 * Answers the sender with a hub-originated error and changes nothing. Like every hub-originated
 * message it carries the hub's configured version, not the request's: ml-api-adapter sends the
 * hub's errors through central-services-shared transformHeaders, which rebuilds Content-Type
 * from PROTOCOL_VERSIONS.CONTENT.DEFAULT whenever FSPIOP-Source is the hub.
 */
export function refuse(request: TransferRequest, error: FspiopError, id: string): TransferDecision {
  const { source, transferId } = request;
  return {
    events: [],
    effects: [callbackEffect(hubError(source, transferId, error, id))],
    reply: { kind: 'rejected', error },
  };
}

/**
 * Same id seen before for this step: same hash ⇒ resend the final state to the sender (or ignore
 * while in flight); different hash ⇒ 3106 to the sender.
 */
export function answerDuplicate(
  state: KnownTransfer,
  sameHash: boolean,
  request: TransferRequest,
  stepId: string,
): TransferDecision {
  const transferId = state.terms.transferId;
  if (!sameHash) {
    return refuse(request, fspiopError(FspiopCode.MODIFIED_REQUEST), `${stepId}/modified`);
  }
  if (!isFinal(state)) return ignore('duplicate in flight');
  return {
    events: [],
    effects: [
      callbackEffect(hubPut(request.source, transferId, stateBody(state), `${stepId}/duplicate`)),
    ],
    reply: { kind: 'ignored', reason: 'duplicate' },
  };
}

/** Case-insensitive FSP name comparison, as the reference does in fulfil header checks. */
export function sameFsp(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
