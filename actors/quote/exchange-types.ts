// The shared shape of a relayed request/answer exchange: quotes, transaction requests and
// authorizations are all "a DFSP asks a peer through the hub, the peer answers through the hub".
// The hub keeps the request hash (duplicate detection forever), who asked whom, and the answer,
// so an identical resend is re-forwarded, a modified one is refused with 3106, and a GET can be
// answered from the stored answer after the responder is gone.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { FspiopResource } from '../callback.ts';
import type { ForwardFailed, ForwardFailure } from '../contracts/forward-failure.ts';

/** A DFSP message relayed unchanged: lower-case headers and the exact body text. */
export type Relay = { readonly headers: Readonly<Record<string, string>>; readonly body?: string };

export type ExchangeConfig = {
  /** Actor type (folder name). */
  readonly type: string;
  readonly resource: FspiopResource;
  /** Endpoint type of both parties: a base URL to which the notifier appends `path`. */
  readonly endpointType: string;
  /** Method of the opening request: POST (quotes, transactionRequests) or GET (authorizations). */
  readonly requestMethod: 'POST' | 'GET';
  /** The code answered for a GET of an id the hub has never seen (3205, 3206, ...). */
  readonly notFoundCode: '3205' | '3206' | '3200' | '3209';
  /**
   * Authorizations: a new GET with other parameters (the OTP retry, retriesLeft - 1) opens a new
   * round instead of being a modified request (3106).
   */
  readonly newRoundOnChange: boolean;
  /**
   * Transaction requests: every answer is relayed, a changed one too (the payer DFSP moves the
   * request from RECEIVED to ACCEPTED or REJECTED), as the stateless
   * transaction-requests-service forwards every PUT; otherwise a changed answer is 3106.
   */
  readonly relaysEveryAnswer: boolean;
  /**
   * The error the sender of an undelivered message gets, by the rules of the Mojaloop service
   * this resource copies (actors/contracts/forward-failure.ts).
   */
  readonly failureError: (failure: ForwardFailure, receiver: string, key: string) => FspiopError;
};

/** Opening request (POST /quotes, POST /transactionRequests, GET /authorizations/{ID}). */
export type RequestExchange = {
  readonly kind: 'RequestExchange';
  readonly requester: string;
  readonly responder: string;
  /** sha256 of the body (or of the path and query for a GET), computed by the gateway. */
  readonly requestHash: string;
  readonly relay: Relay;
  /** FSPIOP-URI of the request: `/quotes`, `/authorizations/{ID}?authenticationType=OTP...`. */
  readonly path: string;
  /** Set by the gateway when the responder cannot take the request (3201 unknown/inactive...). */
  readonly refusal?: FspiopError;
};

/** Answer from the responder: PUT /{resource}/{ID} or PUT /{resource}/{ID}/error. */
export type AnswerExchange = {
  readonly kind: 'AnswerExchange';
  /** FSPIOP-Source of the answer. */
  readonly source: string;
  /** FSPIOP-Destination of the answer: who receives it. */
  readonly destination: string;
  readonly isError: boolean;
  readonly answerHash: string;
  readonly relay: Relay;
  /** FSPIOP-URI of the answer: `/quotes/{ID}` or `/quotes/{ID}/error`. */
  readonly path: string;
  /** Set by the gateway when the destination cannot receive it (unknown participant...). */
  readonly refusal?: FspiopError;
};

/** GET /{resource}/{ID} (status query); answered from state or forwarded to the destination. */
export type QueryExchange = {
  readonly kind: 'QueryExchange';
  readonly requester: string;
  /** FSPIOP-Destination of the GET, if given and an active participant with an endpoint. */
  readonly destination?: string;
  readonly relay: Relay;
  readonly path: string;
};

export type ExchangeCommand = RequestExchange | AnswerExchange | QueryExchange | ForwardFailed;

export type StoredAnswer = {
  readonly isError: boolean;
  readonly answerHash: string;
  readonly relay: Relay;
};

export type ExchangeState =
  | { readonly phase: 'absent' }
  | {
      readonly phase: 'requested' | 'answered' | 'refused';
      readonly requester: string;
      readonly responder: string;
      readonly requestHash: string;
      readonly request: Relay;
      readonly answer?: StoredAnswer;
      readonly refusal?: FspiopError;
      /** Deliveries made so far; makes every callback id unique and stable. */
      readonly deliveries: number;
    };

export type ExchangeEvent =
  | {
      readonly type: 'ExchangeRequested';
      readonly requester: string;
      readonly responder: string;
      readonly requestHash: string;
      readonly request: Relay;
    }
  | {
      readonly type: 'ExchangeRefused';
      readonly requester: string;
      readonly responder: string;
      readonly requestHash: string;
      readonly request: Relay;
      readonly refusal: FspiopError;
    }
  | {
      readonly type: 'ExchangeReopened';
      readonly requester: string;
      readonly responder: string;
      readonly requestHash: string;
      readonly request: Relay;
    }
  | { readonly type: 'ExchangeAnswered'; readonly answer: StoredAnswer }
  | { readonly type: 'DeliveryMade' };

export type ExchangeReply =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'resent' }
  | { readonly kind: 'refused'; readonly error: FspiopError };
