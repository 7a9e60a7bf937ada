// POST /bulkQuotes, PUT /bulkQuotes/{ID}(/error), GET /bulkQuotes/{ID} (fspiop.md §11): one
// relayed exchange per bulkQuoteId (actors/bulk-quote). The payee (FSPIOP-Destination) must be an
// active participant with a FSPIOP_CALLBACK_URL_BULK_QUOTES endpoint and an active position
// account in every currency the individual quotes use, else 3201 to the payer.

import { Hono } from 'hono';
import { BULK_QUOTE_ACTOR_TYPE, BULK_QUOTES_ENDPOINT } from '../../../actors/bulk-quote/index.ts';
import { BulkQuotesIDPutResponse, BulkQuotesPostRequest } from '../../../schema/fspiop/bulk.ts';
import type { FspiopDeps } from '../deps.ts';
import { type FspiopEnv, fspiopHeaders } from '../headers.ts';
import {
  type ExchangeRoutesSpec,
  exchangeCallbackRoutes,
  exchangeQueryRoute,
  openExchange,
  parseExchangeBody,
} from './exchanges.ts';
import { destinationRefusal, referenceHeaderRules, requireKnownSource } from './facts.ts';

const BULK_QUOTES: ExchangeRoutesSpec = {
  actorType: BULK_QUOTE_ACTOR_TYPE,
  resource: 'bulkQuotes',
  endpointType: BULK_QUOTES_ENDPOINT,
  answerSchema: BulkQuotesIDPutResponse,
  rejectAcceptOnPut: true,
  service: 'quoting',
};

export function bulkQuotesRoutes(deps: FspiopDeps): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('bulkQuotes', { destinationRequired: true });
  app.post('/bulkQuotes', referenceHeaderRules('bulkQuotes'), headers, async (c) => {
    const req = c.get('fspiop');
    requireKnownSource(deps, req.source);
    const body = await parseExchangeBody(c, BULK_QUOTES, BulkQuotesPostRequest);
    const payee = req.destination ?? '';
    const currencies = new Set(body.value.individualQuotes.map((quote) => quote.amount.currency));
    let refusal = destinationRefusal(deps, payee, BULK_QUOTES.endpointType);
    for (const currency of currencies) {
      refusal ??= destinationRefusal(deps, payee, BULK_QUOTES.endpointType, currency);
    }
    return openExchange(c, deps, BULK_QUOTES, {
      key: body.value.bulkQuoteId,
      bodyText: body.text,
      hashed: body.text,
      ...(refusal ? { refusal } : {}),
    });
  });
  app.route('/', exchangeCallbackRoutes(deps, BULK_QUOTES));
  app.route('/', exchangeQueryRoute(deps, BULK_QUOTES));
  return app;
}
