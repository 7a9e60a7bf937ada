// The ConversionRequest actor, keyed by conversionRequestId: POST /fxQuotes is forwarded to the
// FXP, its PUT /fxQuotes/{ID} (or …/error) back to the payer DFSP, with the request hash and the
// answer persisted (fspiop.md §10 step 2): the same relayed-exchange rules as quotes (duplicates
// by hash: resend or 3106; GET answered from the stored answer). FSPIOP_CALLBACK_URL_FX_QUOTES
// is a base URL: the notifier appends the path.

import { quotingError } from '../contracts/forward-failure.ts';
import { exchangeActor } from '../quote/exchange.ts';

export const CONVERSION_REQUEST_ACTOR_TYPE = 'conversion-request';
export const FX_QUOTES_ENDPOINT = 'FSPIOP_CALLBACK_URL_FX_QUOTES';

export const conversionRequestActor = exchangeActor({
  type: CONVERSION_REQUEST_ACTOR_TYPE,
  resource: 'fxQuotes',
  endpointType: FX_QUOTES_ENDPOINT,
  requestMethod: 'POST',
  notFoundCode: '3205',
  relaysEveryAnswer: false,
  newRoundOnChange: false,
  failureError: (failure, receiver, id) =>
    quotingError(failure, `No ${FX_QUOTES_ENDPOINT} found for fxQuote ${id} party ${receiver}`),
});
