// POST /transactionRequests (payee DFSP asks the payer DFSP to pay), PUT …/{ID}(/error) with
// the payer's decision, GET …/{ID}; and GET /authorizations/{ID}?authenticationType&retriesLeft
// &amount&currency (payer DFSP asks the payee DFSP for an OTP), PUT …/{ID}(/error).

import { Hono } from 'hono';
import { AUTHORIZATION_ACTOR_TYPE } from '../../../actors/authorization/index.ts';
import { TRANSACTION_REQUEST_ACTOR_TYPE } from '../../../actors/transaction-request/index.ts';
import {
  AUTHORIZATION_QUERY_FIELDS,
  AuthorizationsIDPutResponse,
  AuthorizationsQuery,
} from '../../../schema/fspiop/authorizations.ts';
import {
  TransactionRequestsIDPutResponse,
  TransactionRequestsPostRequest,
} from '../../../schema/fspiop/transaction-requests.ts';
import { validate } from '../body.ts';
import type { FspiopDeps } from '../deps.ts';
import { type FspiopEnv, fspiopHeaders } from '../headers.ts';
import { FspiopHttpError } from '../problem.ts';
import {
  type ExchangeRoutesSpec,
  exchangeCallbackRoutes,
  exchangePathId,
  exchangeQueryRoute,
  openExchange,
  parseExchangeBody,
} from './exchanges.ts';
import { referenceHeaderRules, requireKnownSource } from './facts.ts';

const TRX_ENDPOINT = 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE';

const TRANSACTION_REQUESTS: ExchangeRoutesSpec = {
  actorType: TRANSACTION_REQUEST_ACTOR_TYPE,
  resource: 'transactionRequests',
  endpointType: TRX_ENDPOINT,
  answerSchema: TransactionRequestsIDPutResponse,
  rejectAcceptOnPut: false,
  service: 'transaction-requests',
};

const AUTHORIZATIONS: ExchangeRoutesSpec = {
  actorType: AUTHORIZATION_ACTOR_TYPE,
  resource: 'authorizations',
  endpointType: TRX_ENDPOINT,
  answerSchema: AuthorizationsIDPutResponse,
  rejectAcceptOnPut: false,
  service: 'transaction-requests',
};

export function transactionRequestsRoutes(deps: FspiopDeps): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('transactionRequests', { destinationRequired: true });
  const guard = referenceHeaderRules('transactionRequests');
  app.post('/transactionRequests', guard, headers, async (c) => {
    requireKnownSource(deps, c.get('fspiop').source);
    const body = await parseExchangeBody(c, TRANSACTION_REQUESTS, TransactionRequestsPostRequest);
    const key = body.value.transactionRequestId;
    return openExchange(c, deps, TRANSACTION_REQUESTS, {
      key,
      bodyText: body.text,
      hashed: body.text,
    });
  });
  app.route('/', exchangeCallbackRoutes(deps, TRANSACTION_REQUESTS));
  app.route('/', exchangeQueryRoute(deps, TRANSACTION_REQUESTS));
  return app;
}

/** Query checks in the reference's codes: missing 3102, not a number 3101, bad value 3100. */
function checkAuthorizationQuery(query: Record<string, string>): void {
  for (const field of AUTHORIZATION_QUERY_FIELDS) {
    if (query[field] === undefined) {
      throw new FspiopHttpError('3102', `/query must have required property '${field}'`);
    }
  }
  if (!/^\d+$/.test(query.retriesLeft ?? '')) {
    throw new FspiopHttpError('3101', '/query/retriesLeft must be integer');
  }
  validate(AuthorizationsQuery, query, '/query');
}

export function authorizationsRoutes(deps: FspiopDeps): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('authorizations', { destinationRequired: true });
  const guard = referenceHeaderRules('authorizations');
  app.get('/authorizations/:id', guard, headers, async (c) => {
    // The query before the ID, as the transaction-requests-service (whose ID is any string)
    // answers an OTP request with a bad query and an unusable ID.
    const query = c.req.query();
    checkAuthorizationQuery(query);
    const key = exchangePathId(c, AUTHORIZATIONS);
    requireKnownSource(deps, c.get('fspiop').source);
    const hashed = new URL(c.req.url).search;
    return openExchange(c, deps, AUTHORIZATIONS, { key, hashed });
  });
  app.route('/', exchangeCallbackRoutes(deps, AUTHORIZATIONS));
  return app;
}
