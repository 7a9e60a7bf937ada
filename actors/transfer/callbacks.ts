// The callbacks the Transfer actor emits, as data (actors/callback.ts). Relayed ones (the POST to
// the payee, the payee's PUT and PUT …/error to the payer) carry the original request; the
// notifier keeps its headers. Hub-originated ones (errors, timeouts, PATCH, GET answers,
// duplicate resends) carry a body and get the hub's headers and configured version (§1.6).
// Ids are derived from the transfer id, the purpose and the command's clock: stable across
// redeliveries of one command, distinct for two GETs.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { Callback } from '../callback.ts';
import { type Relay, TRANSFER_ACTOR_TYPE } from './messages.ts';
import type { KnownTransfer } from './state.ts';
import { externalState } from './state.ts';

export const TRANSFER_POST = 'FSPIOP_CALLBACK_URL_TRANSFER_POST';
export const TRANSFER_PUT = 'FSPIOP_CALLBACK_URL_TRANSFER_PUT';
export const TRANSFER_ERROR = 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR';

function base(to: string, transferId: string, id: string) {
  return { to, params: { transferId }, resource: 'transfers' as const, id: `${transferId}/${id}` };
}

export const PREPARE_CALLBACK = 'prepare';

/**
 * The payer's POST /transfers, forwarded to the payee with the payer's headers. Not attempted
 * after the transfer's expiry; a failed delivery comes back to this transfer (ForwardFailed).
 */
export function forwardPrepare(
  terms: { transferId: string; payerFsp: string; payeeFsp: string; expiresAtMs: number },
  relay: Relay,
): Callback {
  const { transferId, payerFsp, payeeFsp, expiresAtMs } = terms;
  return {
    ...base(payeeFsp, transferId, PREPARE_CALLBACK),
    endpointType: TRANSFER_POST,
    method: 'POST',
    path: '/transfers',
    relay,
    onFailure: { actor: { type: TRANSFER_ACTOR_TYPE, key: transferId }, sender: payerFsp },
    deliverByMs: expiresAtMs,
  };
}

/** Is `callbackId` the forwarded prepare of `transferId`? */
export function isPrepareCallback(callbackId: string, transferId: string): boolean {
  return callbackId === `${transferId}/${PREPARE_CALLBACK}`;
}

/**
 * The payee's answer relayed to the payer as written: its PUT /transfers/{ID} (`fulfil`) or its
 * PUT /transfers/{ID}/error (`reject`). A failure is not reported: the transfer is final by
 * then, and ml-api-adapter tells nobody either.
 */
export function relayToPayer(
  answer: 'fulfil' | 'reject',
  to: string,
  transferId: string,
  relay: Relay,
): Callback {
  const isError = answer === 'reject';
  return {
    ...base(to, transferId, answer),
    endpointType: isError ? TRANSFER_ERROR : TRANSFER_PUT,
    method: 'PUT',
    path: `/transfers/${transferId}${isError ? '/error' : ''}`,
    relay,
  };
}

/** A hub-originated PUT /transfers/{ID}/error. */
export function hubError(
  to: string,
  transferId: string,
  error: FspiopError,
  id: string,
  version?: string,
): Callback {
  return {
    ...hubPut(to, transferId, { errorInformation: error }, id, version),
    endpointType: TRANSFER_ERROR,
    path: `/transfers/${transferId}/error`,
  };
}

/** A hub-originated PUT /transfers/{ID} with a state body. */
export function hubPut(
  to: string,
  transferId: string,
  body: unknown,
  id: string,
  version?: string,
): Callback {
  return {
    ...base(to, transferId, id),
    ...(version === undefined ? {} : { version }),
    endpointType: TRANSFER_PUT,
    method: 'PUT',
    path: `/transfers/${transferId}`,
    body,
  };
}

/** A hub-originated PATCH /transfers/{ID} (commit notification), to the PUT endpoint. */
export function hubPatch(to: string, transferId: string, body: unknown, id: string): Callback {
  return { ...hubPut(to, transferId, body, id), method: 'PATCH' };
}

/** The TransfersIDPutResponse body describing a transfer's current state (GET, duplicates). */
export function stateBody(state: KnownTransfer): Record<string, unknown> {
  const body: Record<string, unknown> = { transferState: externalState(state) };
  if (state.phase === 'committed') {
    body['completedTimestamp'] = state.completedTimestamp;
    if (state.fulfilment !== undefined) body['fulfilment'] = state.fulfilment;
  }
  if (state.phase === 'aborted') body['completedTimestamp'] = state.completedTimestamp;
  const extensionList = state.hub ? state.terms.extensionList : causeOf(state);
  if (extensionList !== undefined) body['extensionList'] = extensionList;
  return body;
}

// The reference reports why a transfer aborted as a `cause` extension: "3303: Transfer expired".
function causeOf(state: KnownTransfer) {
  if (state.phase !== 'aborted') return state.terms.extensionList;
  const { errorCode, errorDescription } = state.error;
  return { extension: [{ key: 'cause', value: `${errorCode}: ${errorDescription}` }] };
}
