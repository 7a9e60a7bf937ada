// The Authorization actor, keyed by the transactionRequestId the authorization belongs to: the
// payer DFSP asks the payee DFSP to collect an OTP (GET /authorizations/{ID}?...), the payee
// answers with PUT /authorizations/{ID}. Like the reference transaction-requests-service, both
// directions use the FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE base URL with the path appended.

import { transactionRequestsError } from '../contracts/forward-failure.ts';
import { exchangeActor } from '../quote/exchange.ts';

export const AUTHORIZATION_ACTOR_TYPE = 'authorization';

export const authorizationActor = exchangeActor({
  type: AUTHORIZATION_ACTOR_TYPE,
  resource: 'authorizations',
  endpointType: 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE',
  requestMethod: 'GET',
  notFoundCode: '3206',
  relaysEveryAnswer: false,
  newRoundOnChange: true,
  failureError: (failure, receiver, id) =>
    transactionRequestsError(
      failure,
      receiver,
      `No FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE endpoint found for authorization ${id} for ${receiver}`,
    ),
});
