// The Quote actor, keyed by quoteId: POST /quotes is forwarded to the payee DFSP, PUT /quotes/{ID}
// back to the payer, with the request hash and the answer persisted (fspiop.md §9, persistent
// mode). Both DFSPs' FSPIOP_CALLBACK_URL_QUOTES is a base URL: the notifier appends the path.

import { quotingError } from '../contracts/forward-failure.ts';
import { exchangeActor } from './exchange.ts';

export const QUOTE_ACTOR_TYPE = 'quote';

export const quoteActor = exchangeActor({
  type: QUOTE_ACTOR_TYPE,
  resource: 'quotes',
  endpointType: 'FSPIOP_CALLBACK_URL_QUOTES',
  requestMethod: 'POST',
  notFoundCode: '3205',
  relaysEveryAnswer: false,
  newRoundOnChange: false,
  failureError: (failure, receiver, quoteId) =>
    quotingError(
      failure,
      `No FSPIOP_CALLBACK_URL_QUOTES found for quote ${quoteId} party ${receiver}`,
    ),
});
