// The TransactionRequest actor, keyed by transactionRequestId: a payee DFSP asks the payer DFSP
// to pay (POST /transactionRequests), the payer answers with the request state (PUT). Same
// relayed-exchange rules as quotes; FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE is a base URL.

import { transactionRequestsError } from '../contracts/forward-failure.ts';
import { exchangeActor } from '../quote/exchange.ts';

export const TRANSACTION_REQUEST_ACTOR_TYPE = 'transaction-request';

export const transactionRequestActor = exchangeActor({
  type: TRANSACTION_REQUEST_ACTOR_TYPE,
  resource: 'transactionRequests',
  endpointType: 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE',
  requestMethod: 'POST',
  notFoundCode: '3206',
  relaysEveryAnswer: true,
  newRoundOnChange: false,
  failureError: (failure, receiver, id) =>
    transactionRequestsError(
      failure,
      receiver,
      `No FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE endpoint found for transactionRequest ${id} for ${receiver}`,
    ),
});
