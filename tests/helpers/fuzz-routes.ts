// Every route of the FSPIOP and the Admin API as one valid request each, for the fuzzer to mutate.
// Requests name only what the campaign owns: its payer and payee DFSPs (whose transfers expire
// unfulfilled, so no position moves), a sacrificial participant for the Admin writes, its own
// settlement model name and an oracle id no one uses. So a campaign against a shared `make run`
// changes nothing the later checks or other users rely on.

import { ilp43, type Rng, uuid } from './fuzz-random.ts';

export type FuzzApi = 'fspiop' | 'admin';

export type FuzzRequest = {
  readonly api: FuzzApi;
  readonly label: string;
  method: string;
  /** Path and query as sent, already percent-encoded. */
  path: string;
  /** Header lines in order; names may repeat. Values are sent as latin1 bytes. */
  headers: Array<[string, string]>;
  body?: Buffer;
  readonly mutations: string[];
};

export type FuzzCast = {
  readonly payer: string;
  readonly payee: string;
  /** The participant the Admin writes may change (deactivate, re-limit, fund). */
  readonly sacrificial: string;
  readonly model: string;
  readonly currency: string;
  readonly nowMs: () => number;
};

const ILP_PACKET = Buffer.from('mkondo fuzz packet').toString('base64url');

function fspiopHeaders(resource: string, method: string, source: string, destination?: string) {
  const media = `application/vnd.interoperability.${resource}+json;version=1.1`;
  const headers: Array<[string, string]> = [['content-type', media]];
  if (method !== 'PUT') headers.push(['accept', media]);
  headers.push(['date', new Date().toUTCString()], ['fspiop-source', source]);
  if (destination !== undefined) headers.push(['fspiop-destination', destination]);
  return headers;
}

function request(
  api: FuzzApi,
  method: string,
  path: string,
  headers: Array<[string, string]>,
  body?: unknown,
): FuzzRequest {
  const label = `${api} ${method} ${path.replace(/\?.*$/, '')}`;
  const encoded = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
  return {
    api,
    label,
    method,
    path,
    headers,
    mutations: [],
    ...(encoded ? { body: encoded } : {}),
  };
}

function party(rng: Rng, fspId?: string) {
  const partyIdInfo = {
    partyIdType: 'MSISDN',
    partyIdentifier: `2557${rng.int(10_000_000, 99_999_999)}`,
    ...(fspId ? { fspId } : {}),
  };
  return { partyIdInfo, name: 'Fuzz Party' };
}

function fspiopRoutes(rng: Rng, cast: FuzzCast): FuzzRequest[] {
  const { payer, payee, currency } = cast;
  const f = (
    resource: string,
    method: string,
    path: string,
    from: string,
    to?: string,
    body?: unknown,
  ) => request('fspiop', method, path, fspiopHeaders(resource, method, from, to), body);
  const id = uuid(rng);
  const msisdn = `2557${rng.int(10_000_000, 99_999_999)}`;
  const amount = { amount: '1', currency };
  const expiration = new Date(cast.nowMs() + 3000).toISOString();
  const error = { errorInformation: { errorCode: '5100', errorDescription: 'fuzz' } };
  const transactionType = { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' };
  return [
    f('transfers', 'POST', '/transfers', payer, payee, {
      transferId: id,
      payerFsp: payer,
      payeeFsp: payee,
      amount,
      ilpPacket: ILP_PACKET,
      condition: ilp43(rng),
      expiration,
    }),
    f('transfers', 'PUT', `/transfers/${id}`, payee, payer, {
      transferState: 'COMMITTED',
      fulfilment: ilp43(rng),
      completedTimestamp: new Date(cast.nowMs()).toISOString(),
    }),
    f('transfers', 'PUT', `/transfers/${id}/error`, payee, payer, error),
    f('transfers', 'GET', `/transfers/${id}`, payer),
    f('parties', 'GET', `/parties/MSISDN/${msisdn}`, payer),
    f(
      'parties',
      'GET',
      `/parties/PERSONAL_ID/${msisdn}/DRIVING_LICENSE?currency=${currency}`,
      payer,
      payee,
    ),
    f('parties', 'PUT', `/parties/MSISDN/${msisdn}`, payee, payer, { party: party(rng, payee) }),
    f('parties', 'PUT', `/parties/MSISDN/${msisdn}/error`, payee, payer, error),
    f('participants', 'POST', `/participants/MSISDN/${msisdn}`, payee, undefined, {
      fspId: payee,
      currency,
    }),
    f('participants', 'GET', `/participants/MSISDN/${msisdn}`, payer),
    f('participants', 'DELETE', `/participants/EMAIL/fuzz${rng.int(0, 999)}@example.org`, payee),
    f('participants', 'POST', '/participants', payee, undefined, {
      requestId: uuid(rng),
      partyList: [party(rng).partyIdInfo],
      currency,
    }),
    f('participants', 'PUT', `/participants/${uuid(rng)}/error`, payee, payer, error),
    f('quotes', 'POST', '/quotes', payer, payee, {
      quoteId: id,
      transactionId: uuid(rng),
      payee: party(rng, payee),
      payer: party(rng, payer),
      amountType: 'SEND',
      amount,
      transactionType,
    }),
    f('quotes', 'PUT', `/quotes/${id}`, payee, payer, {
      transferAmount: amount,
      expiration,
      ilpPacket: ILP_PACKET,
      condition: ilp43(rng),
    }),
    f('quotes', 'PUT', `/quotes/${id}/error`, payee, payer, error),
    f('quotes', 'GET', `/quotes/${id}`, payer, payee),
    f('transactionRequests', 'POST', '/transactionRequests', payee, payer, {
      transactionRequestId: id,
      payee: party(rng, payee),
      payer: party(rng, payer).partyIdInfo,
      amount,
      transactionType,
    }),
    f('transactionRequests', 'PUT', `/transactionRequests/${id}`, payer, payee, {
      transactionRequestState: 'RECEIVED',
    }),
    f('transactionRequests', 'GET', `/transactionRequests/${id}`, payee, payer),
    f(
      'authorizations',
      'GET',
      `/authorizations/${id}?authenticationType=OTP&retriesLeft=1&amount=1&currency=${currency}`,
      payer,
      payee,
    ),
    f('authorizations', 'PUT', `/authorizations/${id}`, payee, payer, { responseType: 'ENTERED' }),
    request('fspiop', 'GET', '/health', []),
  ];
}

function adminRoutes(rng: Rng, cast: FuzzCast): FuzzRequest[] {
  const { sacrificial: x, currency, model } = cast;
  const json: Array<[string, string]> = [['content-type', 'application/json']];
  const a = (method: string, path: string, body?: unknown) =>
    request(
      'admin',
      method,
      path,
      json.map(([n, v]) => [n, v]),
      body,
    );
  const limit = { type: 'NET_DEBIT_CAP', value: 1000 };
  const funds = {
    transferId: uuid(rng),
    externalReference: 'fuzz',
    action: 'recordFundsIn',
    reason: 'fuzz',
    amount: { amount: '1', currency },
  };
  return [
    a('GET', '/health'),
    a('GET', '/participants'),
    a('POST', '/participants', { name: `${x}${rng.hex(4)}`, currency }),
    a('GET', `/participants/${x}`),
    a('PUT', `/participants/${x}`, { isActive: true }),
    a('POST', `/participants/${x}/accounts`, { type: 'HUB_RECONCILIATION', currency }),
    a('POST', `/participants/${x}/endpoints`, {
      type: 'FSPIOP_CALLBACK_URL_QUOTES',
      value: 'http://127.0.0.1:9/fuzz',
    }),
    a('GET', `/participants/${x}/endpoints?type=FSPIOP_CALLBACK_URL_QUOTES`),
    a('GET', `/participants/limits?currency=${currency}`),
    a('POST', `/participants/${x}/initialPositionAndLimits`, {
      currency,
      limit,
      initialPosition: 0,
    }),
    a('GET', `/participants/${x}/limits`),
    a('PUT', `/participants/${x}/limits`, { currency, limit }),
    a('GET', `/participants/${x}/positions?currency=${currency}`),
    a('GET', `/participants/${x}/accounts`),
    a('PUT', `/participants/${x}/accounts/${rng.int(1, 99)}`, { isActive: true }),
    a('POST', `/participants/${x}/accounts/${rng.int(1, 99)}`, funds),
    a('PUT', `/participants/${x}/accounts/${rng.int(1, 99)}/transfers/${uuid(rng)}`, {
      action: 'recordFundsOutAbort',
      reason: 'fuzz',
    }),
    a('GET', '/ledgerAccountTypes'),
    a('GET', '/settlementModels'),
    a('POST', '/settlementModels', {
      name: model,
      settlementGranularity: 'NET',
      settlementInterchange: 'MULTILATERAL',
      settlementDelay: 'DEFERRED',
      currency,
      requireLiquidityCheck: true,
      ledgerAccountType: 'INTERCHANGE_FEE',
      autoPositionReset: true,
    }),
    a('GET', `/settlementModels/${model}`),
    a('PUT', `/settlementModels/${model}`, { isActive: true }),
    a('GET', '/oracles?type=MSISDN'),
    a('POST', '/oracles', {
      oracleIdType: 'CONSENT',
      endpoint: { value: 'http://127.0.0.1:9', endpointType: 'URL' },
      currency,
    }),
    a('PUT', '/oracles/999999', {
      oracleIdType: 'ALIAS',
      endpoint: { value: 'http://127.0.0.1:9', endpointType: 'URL' },
    }),
    a('DELETE', '/oracles/999999'),
  ];
}

/** One valid request of a route drawn at random (FSPIOP three times as often as Admin). */
export function baseRequest(rng: Rng, cast: FuzzCast): FuzzRequest {
  const routes = rng.chance(0.75) ? fspiopRoutes(rng, cast) : adminRoutes(rng, cast);
  return rng.pick(routes);
}

/** How many routes the catalogue covers, per API (for the campaign's report). */
export function routeLabels(rng: Rng, cast: FuzzCast): string[] {
  return [...fspiopRoutes(rng, cast), ...adminRoutes(rng, cast)].map((r) => r.label);
}
