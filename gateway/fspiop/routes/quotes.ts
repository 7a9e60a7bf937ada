// POST /quotes, PUT /quotes/{ID}(/error), GET /quotes/{ID} (fspiop.md §9). The payee
// (FSPIOP-Destination) must be an active participant with an active position account in the
// quote currency and a FSPIOP_CALLBACK_URL_QUOTES endpoint (else 3201 to the payer); when the
// payer lists supportedCurrencies (v2.0), it needs an active account in each (else 3202).

import { Hono } from 'hono';
import { QUOTE_ACTOR_TYPE } from '../../../actors/quote/index.ts';
import { fspiopError } from '../../../schema/fspiop/errors.ts';
import { QuotesIDPutResponse, QuotesPostRequest } from '../../../schema/fspiop/quotes.ts';
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

const QUOTES: ExchangeRoutesSpec = {
  actorType: QUOTE_ACTOR_TYPE,
  resource: 'quotes',
  endpointType: 'FSPIOP_CALLBACK_URL_QUOTES',
  answerSchema: QuotesIDPutResponse,
  rejectAcceptOnPut: true,
  service: 'quoting',
};

export function quotesRoutes(deps: FspiopDeps): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('quotes', { destinationRequired: true });
  app.post('/quotes', referenceHeaderRules('quotes'), headers, async (c) => {
    const req = c.get('fspiop');
    const payer = requireKnownSource(deps, req.source);
    const body = await parseExchangeBody(c, QUOTES, QuotesPostRequest);
    const { quoteId, amount } = body.value;
    const payee = req.destination ?? '';
    const unsupported = (body.value.payer.supportedCurrencies ?? []).find(
      (currency) => payer.currencies[currency]?.positionAccountActive !== true,
    );
    const refusal =
      destinationRefusal(deps, payee, QUOTES.endpointType, amount.currency) ??
      (unsupported
        ? fspiopError('3202', `Payer FSP has no active account in ${unsupported}`)
        : undefined);
    return openExchange(c, deps, QUOTES, {
      key: quoteId,
      bodyText: body.text,
      hashed: body.text,
      ...(refusal ? { refusal } : {}),
    });
  });
  app.route('/', exchangeCallbackRoutes(deps, QUOTES));
  app.route('/', exchangeQueryRoute(deps, QUOTES));
  return app;
}
