// The BulkQuote actor, keyed by bulkQuoteId: POST /bulkQuotes is forwarded to the payee DFSP as one
// message and PUT /bulkQuotes/{ID} back to the payer, as the quoting-service does (fspiop.md §11:
// no splitting). It is the relayed exchange of quotes (actors/quote/exchange.ts) on another
// resource: the request hash and the answer are kept forever, so a resend is re-forwarded, a
// modified one gets 3106, and a GET is answered from the stored answer (3209 when unknown).

import { quotingError } from '../contracts/forward-failure.ts';
import { exchangeActor } from '../quote/exchange.ts';

export const BULK_QUOTE_ACTOR_TYPE = 'bulkQuote';
export const BULK_QUOTES_ENDPOINT = 'FSPIOP_CALLBACK_URL_BULK_QUOTES';

export const bulkQuoteActor = exchangeActor({
  type: BULK_QUOTE_ACTOR_TYPE,
  resource: 'bulkQuotes',
  endpointType: BULK_QUOTES_ENDPOINT,
  requestMethod: 'POST',
  notFoundCode: '3209',
  relaysEveryAnswer: false,
  newRoundOnChange: false,
  failureError: (failure, receiver, bulkQuoteId) =>
    quotingError(
      failure,
      `No ${BULK_QUOTES_ENDPOINT} found for bulk quote ${bulkQuoteId} party ${receiver}`,
    ),
});
