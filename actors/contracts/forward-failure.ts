// The contract between the notifier and the actors that forward a DFSP's message (party lookup,
// quote-like exchanges, transfer): a relayed callback names the actor that owns it and the DFSP
// that sent it (`ForwardFailureRoute`); when the notifier cannot deliver it, it sends that actor
// `ForwardFailed` with what happened, and the actor answers the sender with the `PUT …/error`
// Mojaloop's corresponding service sends, changing its own state where it must (a transfer).
// The notifier reports facts (refused with a status, unroutable, unreachable); which FSPIOP code
// a fact becomes is each service's rule, so the mappings below cite the service they copy.

import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { ActorRef } from '../actor.ts';

/** Carried on a relayed callback: whom the notifier tells, and for whom. */
export type ForwardFailureRoute = {
  readonly actor: ActorRef;
  /** The DFSP that sent the relayed message: it gets the error callback. */
  readonly sender: string;
};

/**
 * What went wrong, as the notifier saw it. `refused`: the receiver answered a final non-2xx
 * (4xx, 3xx, 501), with its FSPIOP error when its body held one. `unroutable`: the receiver has
 * no participant entry, no endpoint of that type, or a template that does not render.
 * `unreachable`: every attempt within the retry horizon failed on the network, with a 5xx, 408 or
 * 429: the receiver may or may not have it. A refusal says nothing of earlier attempts: a payee
 * that took attempt 1 (its answer lost) refuses attempt 2 as a duplicate, hence
 * `ForwardFailed.possiblyDelivered`.
 */
export type ForwardFailure =
  | { readonly kind: 'refused'; readonly status: number; readonly error?: FspiopError }
  /** `reason` as central-services-shared words it: "no <endpoint type> endpoint". */
  | { readonly kind: 'unroutable'; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly last: string };

export type ForwardFailed = {
  readonly kind: 'ForwardFailed';
  readonly sender: string;
  /** The DFSP the message was addressed to. */
  readonly receiver: string;
  /** Id of the callback that was not delivered; derived ids keep redeliveries idempotent. */
  readonly callbackId: string;
  /** The callback's endpoint parameters (party id, transferId, ID): locate the resource. */
  readonly params: Readonly<Record<string, string>>;
  readonly endpointType: string;
  readonly failure: ForwardFailure;
  /**
   * False only when no attempt before the final one could have reached the receiver: the first
   * attempt got the refusal (or there was no endpoint) and the OUT message was not redelivered
   * (another notifier may have sent it before handing it back). Absent in commands from a
   * notifier older than the field: unknown, so possibly delivered.
   */
  readonly possiblyDelivered: boolean;
};

/** True when the receiver certainly did not take the message. */
export function isDefinite(command: ForwardFailed): boolean {
  return command.failure.kind !== 'unreachable' && command.possiblyDelivered === false;
}

/**
 * central-services-shared `Util.Request.sendRequest` (src/util/request.js), used by the
 * account-lookup-service, ml-api-adapter and the transaction-requests-service: a response with
 * errorInformation becomes that error; 404 → 3200, 400/403/other 4xx → 3000; a network error or
 * 5xx → 1001 "Failed to send HTTP request to host". A missing endpoint is `Util.Endpoints.
 * getEndpoint`'s 1001 "no <type> endpoint for DFSP <fsp>" (src/util/endpoints.js).
 */
export function sharedRequestError(failure: ForwardFailure, to: string): FspiopError {
  switch (failure.kind) {
    case 'refused':
      if (failure.error) return failure.error;
      if (failure.status === 404) {
        return fspiopError('3200', 'The requested resource could not be found');
      }
      if (failure.status >= 400 && failure.status < 500) {
        return fspiopError('3000', clientErrorText(failure.status));
      }
      return fspiopError('1001', 'Failed to send HTTP request to host');
    case 'unroutable':
      return fspiopError('1001', `${failure.reason} for DFSP ${to}`);
    case 'unreachable':
      return fspiopError('1001', 'Failed to send HTTP request to host');
  }
}

function clientErrorText(status: number): string {
  if (status === 400) return 'Bad Request';
  if (status === 403) return 'Permission denied';
  return 'Client error';
}

/**
 * quoting-service `httpRequest` (src/lib/http.js): errorInformation → that error, any other 4xx
 * → 3000 with axios's message (the golden path's bug #998 case expects 3000 for a 404), network
 * or 5xx → 1001 "Network error: …"; a payee without FSPIOP_CALLBACK_URL_QUOTES
 * is 3201 (src/model/quotes.js forwardQuoteRequest). The transaction-requests-service also
 * answers a missing FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE with 3201 and otherwise uses the shared
 * request rules (src/domain/transactionRequests/transactionRequests.js).
 */
export function quotingError(failure: ForwardFailure, detail: string): FspiopError {
  switch (failure.kind) {
    case 'refused':
      if (failure.error) return failure.error;
      if (failure.status >= 400 && failure.status < 500) {
        return fspiopError('3000', `Request failed with status code ${failure.status}`);
      }
      return fspiopError('1001', `Network error: status ${failure.status}`);
    case 'unroutable':
      return fspiopError('3201', detail);
    case 'unreachable':
      return fspiopError('1001', `Network error: ${failure.last}`);
  }
}

/**
 * transaction-requests-service (src/domain/transactionRequests/transactionRequests.js,
 * src/domain/authorizations/authorizations.js): a destination without
 * FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE is 3201; a failed request follows the shared rules.
 */
export function transactionRequestsError(
  failure: ForwardFailure,
  to: string,
  detail: string,
): FspiopError {
  return failure.kind === 'unroutable'
    ? fspiopError('3201', detail)
    : sharedRequestError(failure, to);
}
