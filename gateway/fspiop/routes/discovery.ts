// The discovery and agreement half of the FSPIOP API: /participants and /parties (the ALS),
// /quotes, /transactionRequests and /authorizations. Mounted by createFspiopApp.
//
// Rules for the notifier (how to turn these Callbacks into HTTP requests):
// 1. Parties and participants endpoint types (FSPIOP_CALLBACK_URL_PARTIES_GET, _SUB_ID_GET,
//    _PUT, _PUT_ERROR, _SUB_ID_*, FSPIOP_CALLBACK_URL_PARTICIPANT_PUT, _PUT_ERROR, _SUB_ID_*,
//    _BATCH_PUT) are URL templates: substitute `{{token}}` from `Callback.params`
//    (partyIdType, partyIdentifier, partySubIdOrType, requestId) and use the URL as is.
// 2. FSPIOP_CALLBACK_URL_QUOTES and FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE (used for both
//    transactionRequests and authorizations) are base URLs: the request URL is the template
//    (with tokens substituted, trailing '/' removed) followed by `Callback.path`, which starts at
//    the resource and may carry a query (`/authorizations/{ID}?authenticationType=OTP&...`).
//    Equivalently: append `path` whenever the template contains no `{{` token.
// 3. `method` may be GET (forwarded GET /parties, GET /quotes/{ID}, GET /authorizations/{ID}):
//    send no body; the notifier sets FSPIOP-Destination to the recipient.
// 4. Relayed messages (Callback.relay) keep the sender's headers and body as written (see
//    runtime/notifier/headers.ts for the few Mojaloop changes); a failed delivery comes back
//    to the owning actor as ForwardFailed, which answers the sender with an error callback.

import { Hono } from 'hono';
import type { FspiopDeps } from '../deps.ts';
import type { FspiopEnv } from '../headers.ts';
import { participantsRoutes } from './participants.ts';
import { type DiscoveryOptions, partiesRoutes } from './parties.ts';
import { quotesRoutes } from './quotes.ts';
import { authorizationsRoutes, transactionRequestsRoutes } from './transaction-requests.ts';

export type { DiscoveryOptions } from './parties.ts';

export function discoveryRoutes(deps: FspiopDeps, options: DiscoveryOptions = {}): Hono {
  const app = new Hono<FspiopEnv>();
  app.route('/', participantsRoutes(deps, options));
  app.route('/', partiesRoutes(deps, options));
  app.route('/', quotesRoutes(deps));
  app.route('/', transactionRequestsRoutes(deps));
  app.route('/', authorizationsRoutes(deps));
  return app as unknown as Hono;
}
