// The callbacks of the BulkTransfer actor, as data. The payer's bulk goes to the payee as one
// POST /bulkTransfers with the payer's headers and a body holding only the reserved individuals
// (so the payer's FSPIOP-Signature, over another body, is not relayed). Everything else is the
// hub's own message: the aggregated PUT /bulkTransfers/{ID} with every individual's result, and
// PUT /bulkTransfers/{ID}/error. Ids are derived from the bulk id and the purpose.

import { errorBody, type FspiopError } from '../../schema/fspiop/errors.ts';
import type { Effect } from '../actor.ts';
import type { Callback } from '../callback.ts';
import { BULK_TRANSFER_ACTOR_TYPE } from '../contracts/bulk-transfer.ts';
import { type BulkRecord, externalState, type IndividualEntry } from './state.ts';

export const BULK_TRANSFER_POST = 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST';
export const BULK_TRANSFER_PUT = 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT';
export const BULK_TRANSFER_ERROR = 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR';

export const FORWARD_CALLBACK = 'forward';

function base(to: string, bulkTransferId: string, id: string) {
  return {
    to,
    params: { id: bulkTransferId },
    resource: 'bulkTransfers' as const,
    id: `${bulkTransferId}/${id}`,
  };
}

function effect(callback: Callback): Effect {
  return { kind: 'callback', callback };
}

/** The reserved individuals to the payee, as one POST with the payer's headers. */
export function forwardBulk(bulk: BulkRecord): Effect {
  const { terms } = bulk;
  const individualTransfers = bulk.order.flatMap((transferId) => {
    const entry = bulk.individuals[transferId];
    if (entry?.status !== 'RESERVED' || entry.forward === undefined) return [];
    return [{ transferId, transferAmount: entry.transferAmount, ...entry.forward }];
  });
  const body = {
    bulkTransferId: terms.bulkTransferId,
    bulkQuoteId: terms.bulkQuoteId,
    payerFsp: terms.payerFsp,
    payeeFsp: terms.payeeFsp,
    individualTransfers,
    expiration: terms.expiration,
    ...(terms.extensionList === undefined ? {} : { extensionList: terms.extensionList }),
  };
  const { 'fspiop-signature': _signature, ...headers } = bulk.headers;
  return effect({
    ...base(terms.payeeFsp, terms.bulkTransferId, FORWARD_CALLBACK),
    endpointType: BULK_TRANSFER_POST,
    method: 'POST',
    path: '/bulkTransfers',
    relay: { headers, body: JSON.stringify(body) },
    onFailure: {
      actor: { type: BULK_TRANSFER_ACTOR_TYPE, key: terms.bulkTransferId },
      sender: terms.payerFsp,
    },
    deliverByMs: terms.expiresAtMs,
  });
}

/** A hub-originated PUT /bulkTransfers/{ID}/error. */
export function hubError(
  to: string,
  bulkTransferId: string,
  error: FspiopError,
  id: string,
): Effect {
  return effect({
    ...base(to, bulkTransferId, id),
    endpointType: BULK_TRANSFER_ERROR,
    method: 'PUT',
    path: `/bulkTransfers/${bulkTransferId}/error`,
    body: errorBody(error),
  });
}

/** A hub-originated PUT /bulkTransfers/{ID} describing the bulk (final result, GET, resend). */
export function hubPut(to: string, bulk: BulkRecord, id: string): Effect {
  const bulkTransferId = bulk.terms.bulkTransferId;
  return effect({
    ...base(to, bulkTransferId, id),
    endpointType: BULK_TRANSFER_PUT,
    method: 'PUT',
    path: `/bulkTransfers/${bulkTransferId}`,
    body: stateBody(bulk, to === bulk.terms.payeeFsp && to !== bulk.terms.payerFsp),
  });
}

/**
 * BulkTransfersIDPutResponse: the bulk's state and the result of every individual that has one
 * (its fulfilment, or its error); the payee sees only the individuals it was sent. A bulk of 1,000 results is about 100 to 250 KB of JSON, within
 * one OUT message (1 MiB), so the payer gets it as one callback, as the API defines it.
 */
export function stateBody(bulk: BulkRecord, forPayee = false): Record<string, unknown> {
  const individualTransferResults = bulk.order.flatMap((transferId) => {
    const entry = bulk.individuals[transferId];
    if (entry === undefined || (forPayee && entry.forwarded !== true)) return [];
    return resultOf(transferId, entry);
  });
  return {
    bulkTransferState: externalState(bulk.phase),
    ...(bulk.completedTimestamp === undefined
      ? {}
      : { completedTimestamp: bulk.completedTimestamp }),
    ...(individualTransferResults.length === 0 ? {} : { individualTransferResults }),
    ...(bulk.terms.extensionList === undefined ? {} : { extensionList: bulk.terms.extensionList }),
  };
}

function resultOf(transferId: string, entry: IndividualEntry): Record<string, unknown>[] {
  if (entry.status === 'COMMITTED') {
    return [
      { transferId, ...(entry.fulfilment === undefined ? {} : { fulfilment: entry.fulfilment }) },
    ];
  }
  if (entry.status === 'ABORTED' && entry.error !== undefined) {
    return [{ transferId, errorInformation: entry.error }];
  }
  return [];
}
