// The callbacks and cross-actor messages the FxTransfer actor emits, as data. Relayed ones (the
// payer's POST to the FXP, the FXP's PUT and PUT …/error to the payer) keep the sender's
// headers and body; hub-originated ones (errors, GET answers, duplicate resends, the PATCH that
// tells the FXP the final state) get the hub's headers in version 2.0. Ids derive from the
// commitRequestId and the purpose: stable across redeliveries of one command.

import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { Decision, Effect } from '../actor.ts';
import type { Callback } from '../callback.ts';
import {
  type ConversionLinkState,
  FX_TRANSFER_ACTOR_TYPE,
  type LinkConversion,
} from '../contracts/transfer-fx.ts';
import { PARTICIPANT_ACTOR_TYPE } from '../participant/directory.ts';
import { fxLedgerId, type ReleaseReservation } from '../participant/messages.ts';
import type { Relay } from '../transfer/messages.ts';
import { TRANSFER_ACTOR_TYPE } from '../transfer/messages.ts';
import type { FxTransferReply } from './messages.ts';
import {
  conversionState,
  type FxTerms,
  type FxTransferEvent,
  isFinalFx,
  type KnownFxTransfer,
} from './state.ts';

export type FxDecision = Decision<FxTransferEvent, FxTransferReply>;

export const FX_TRANSFER_POST = 'FSPIOP_CALLBACK_URL_FX_TRANSFER_POST';
export const FX_TRANSFER_PUT = 'FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT';
export const FX_TRANSFER_ERROR = 'FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR';
export const PREPARE_CALLBACK = 'prepare';

function base(to: string, commitRequestId: string, id: string) {
  return {
    to,
    params: { commitRequestId },
    resource: 'fxTransfers' as const,
    id: `${commitRequestId}/${id}`,
  };
}

/** The payer's POST /fxTransfers to the FXP; a definite failure comes back as ForwardFailed. */
export function forwardPrepare(terms: FxTerms, relay: Relay): Effect {
  const { commitRequestId, payerFsp, fxpFsp, expiresAtMs } = terms;
  const callback: Callback = {
    ...base(fxpFsp, commitRequestId, PREPARE_CALLBACK),
    endpointType: FX_TRANSFER_POST,
    method: 'POST',
    path: '/fxTransfers',
    relay,
    onFailure: { actor: { type: FX_TRANSFER_ACTOR_TYPE, key: commitRequestId }, sender: payerFsp },
    deliverByMs: expiresAtMs,
  };
  return { kind: 'callback', callback };
}

/** The FXP's PUT /fxTransfers/{ID} (or …/error) relayed to the payer as written. */
export function relayToPayer(answer: 'fulfil' | 'reject', terms: FxTerms, relay: Relay): Effect {
  const isError = answer === 'reject';
  const { commitRequestId, payerFsp } = terms;
  const callback: Callback = {
    ...base(payerFsp, commitRequestId, answer),
    endpointType: isError ? FX_TRANSFER_ERROR : FX_TRANSFER_PUT,
    method: 'PUT',
    path: `/fxTransfers/${commitRequestId}${isError ? '/error' : ''}`,
    relay,
  };
  return { kind: 'callback', callback };
}

/** A hub-originated PUT /fxTransfers/{ID} with a body. */
export function hubPut(to: string, commitRequestId: string, body: unknown, id: string): Effect {
  const callback: Callback = {
    ...base(to, commitRequestId, id),
    endpointType: FX_TRANSFER_PUT,
    method: 'PUT',
    path: `/fxTransfers/${commitRequestId}`,
    body,
  };
  return { kind: 'callback', callback };
}

/** A hub-originated PUT /fxTransfers/{ID}/error. */
export function hubError(
  to: string,
  commitRequestId: string,
  error: FspiopError,
  id: string,
): Effect {
  const callback: Callback = {
    ...base(to, commitRequestId, id),
    endpointType: FX_TRANSFER_ERROR,
    method: 'PUT',
    path: `/fxTransfers/${commitRequestId}/error`,
    body: { errorInformation: error },
  };
  return { kind: 'callback', callback };
}

/** PATCH /fxTransfers/{ID} to the FXP: the conversion's final state (on the PUT endpoint). */
export function patchFxp(
  terms: FxTerms,
  state: 'COMMITTED' | 'ABORTED',
  completedTimestamp: string,
  id: string,
): Effect {
  const callback: Callback = {
    ...base(terms.fxpFsp, terms.commitRequestId, id),
    endpointType: FX_TRANSFER_PUT,
    method: 'PATCH',
    path: `/fxTransfers/${terms.commitRequestId}`,
    body: { conversionState: state, completedTimestamp },
  };
  return { kind: 'callback', callback };
}

/**
 * Releases the payer's source-currency reservation; `notices` (callback effects) leave with the
 * release, so whoever they tell sees the position restored when they arrive.
 */
export function releasePayer(terms: FxTerms, notices: readonly Effect[] = []): Effect {
  const command: ReleaseReservation = {
    kind: 'ReleaseReservation',
    transferId: terms.commitRequestId,
    ledgerId: fxLedgerId(terms.commitRequestId),
    ...notifyOf(notices),
  };
  return { kind: 'send', to: { type: PARTICIPANT_ACTOR_TYPE, key: terms.payerFsp }, command };
}

/** The callbacks of `notices` as a posting's Notify field (none when empty). */
export function notifyOf(notices: readonly Effect[]): { notify?: readonly Callback[] } {
  const notify = notices.flatMap((e) => (e.kind === 'callback' ? [e.callback] : []));
  return notify.length === 0 ? {} : { notify };
}

/** Callbacks carried by a command, as effects to send now. */
export function carried(notify: readonly Callback[] | undefined): Effect[] {
  return (notify ?? []).map((callback) => ({ kind: 'callback', callback }));
}

export function toParticipant(name: string, command: unknown): Effect {
  return { kind: 'send', to: { type: PARTICIPANT_ACTOR_TYPE, key: name }, command };
}

/** Tells the determining transfer where the conversion stands. */
export function linkTransfer(terms: FxTerms, state: ConversionLinkState): Effect {
  const command: LinkConversion = {
    kind: 'LinkConversion',
    transferId: terms.determiningTransferId,
    commitRequestId: terms.commitRequestId,
    payerFsp: terms.payerFsp,
    fxpFsp: terms.fxpFsp,
    targetCurrency: terms.targetCurrency,
    targetAmountMinor: terms.targetAmountMinor,
    state,
  };
  return {
    kind: 'send',
    to: { type: TRANSFER_ACTOR_TYPE, key: terms.determiningTransferId },
    command,
  };
}

/** The FxTransfersIDPutResponse body describing the conversion (GET, duplicate resends). */
export function stateBody(state: KnownFxTransfer): Record<string, unknown> {
  const body: Record<string, unknown> = { conversionState: conversionState(state) };
  if (state.phase === 'fulfilled' || state.phase === 'committed' || state.phase === 'aborted') {
    body['completedTimestamp'] = state.completedTimestamp;
  }
  if ((state.phase === 'fulfilled' || state.phase === 'committed') && state.fulfilment) {
    body['fulfilment'] = state.fulfilment;
  }
  return body;
}

export function ignore(reason: string): FxDecision {
  return { events: [], effects: [], reply: { kind: 'ignored', reason } };
}

/** Answers the sender with a hub error and changes nothing. */
export function refuse(
  to: string,
  commitRequestId: string,
  error: FspiopError,
  id: string,
): FxDecision {
  return {
    events: [],
    effects: [hubError(to, commitRequestId, error, id)],
    reply: { kind: 'rejected', error },
  };
}

/** Same id seen before for this step: same hash ⇒ resend when final, different ⇒ 3106. */
export function answerDuplicate(
  state: KnownFxTransfer,
  sameHash: boolean,
  to: string,
  stepId: string,
): FxDecision {
  const { commitRequestId } = state.terms;
  if (!sameHash) {
    return refuse(to, commitRequestId, fspiopError('3106'), `${stepId}/modified`);
  }
  if (!isFinalFx(state) && state.phase !== 'fulfilled') return ignore('duplicate in flight');
  return {
    events: [],
    effects: [hubPut(to, commitRequestId, stateBody(state), `${stepId}/duplicate`)],
    reply: { kind: 'ignored', reason: 'duplicate' },
  };
}

export function sameFsp(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
