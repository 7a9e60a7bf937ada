// A callback is an HTTP request the hub sends to a DFSP, described as data so that actors stay
// pure. The notifier resolves the URL from the destination's registered endpoint template and
// builds the headers: a relayed message keeps the sender's headers and body as written, except
// what Mojaloop's services change; a hub-originated one is rewritten per FSPIOP §1.6
// (FSPIOP-Source = hub, no Accept on PUT, ...). A relayed message names who hears of a failed
// delivery (`onFailure`, actors/contracts/forward-failure.ts).

import type { ForwardFailureRoute } from './contracts/forward-failure.ts';

export type CallbackMethod = 'POST' | 'PUT' | 'PATCH' | 'GET' | 'DELETE';

/** FSPIOP resources, as they appear in media types and in the first path segment. */
export type FspiopResource =
  | 'parties'
  | 'participants'
  | 'quotes'
  | 'transfers'
  | 'transactionRequests'
  | 'authorizations'
  | 'fxQuotes'
  | 'fxTransfers'
  | 'bulkQuotes'
  | 'bulkTransfers'
  /** v2.0 `GET /services/FXP` (FXP discovery). */
  | 'services';

export type Callback = {
  /** Destination DFSP name; also FSPIOP-Destination on hub-originated messages. */
  readonly to: string;
  /** Endpoint type registered through the Admin API, e.g. FSPIOP_CALLBACK_URL_TRANSFER_PUT. */
  readonly endpointType: string;
  /** Values for the `{{token}}` placeholders of the endpoint template, e.g. { transferId }. */
  readonly params: Readonly<Record<string, string>>;
  readonly method: CallbackMethod;
  /** Path from the resource on, used as FSPIOP-URI: `/transfers/{ID}/error`. */
  readonly path: string;
  readonly resource: FspiopResource;
  /**
   * Relayed: the original request's headers (lower-case names) and its exact body text.
   * Hub-originated: absent; `body` is rendered as JSON with the hub's headers.
   */
  readonly relay?: { readonly headers: Readonly<Record<string, string>>; readonly body?: string };
  /** Relayed messages: the actor told when delivery fails, so that the sender hears of it. */
  readonly onFailure?: ForwardFailureRoute;
  /** No attempt after this time (a prepare past its expiry is not worth delivering). */
  readonly deliverByMs?: number;
  readonly body?: unknown;
  /** Media-type version for hub-originated messages (e.g. `1.0`); default from configuration. */
  readonly version?: string;
  /** Hub-originated and rendered in the ISO 20022 binding: its media types are the ISO ones. */
  readonly iso?: boolean;
  /** Idempotency key of this delivery, stable across redeliveries of the cause. */
  readonly id: string;
};
