// Simulated DFSPs: one keep-alive node:http server (no framework) hosting every bench DFSP under
// its own path prefix, `http://127.0.0.1:<port>/<fsp>/...`. As payee it answers at once: a
// prepare with a valid fulfilment (PUT /transfers/{id}), a party lookup with the party, a quote
// with a condition derived from the transactionId, a bulk (scenario f) with a fulfilment for every
// individual in one PUT /bulkTransfers/{id}. As payer it hands callbacks to the load generator
// (PayerHooks). Requests are acknowledged before any follow-up is sent, as DFSPs do.

import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  bulkFulfilBody,
  errorCodeOf,
  fspiopHeaders,
  fulfilBody,
  type Money,
  partyBody,
  quoteResponseBody,
} from './fspiop.ts';
import type { FspiopSender } from './switch-client.ts';
import type { Tracker } from './tracker.ts';

/** What the payer side of the load generator does with lookup and quote callbacks. */
export type PayerHooks = {
  party(payer: string, partyPath: string, body: string | undefined, code: string): void;
  quote(payer: string, quoteId: string, body: string | undefined, code: string): void;
  /** Scenario f: PUT /bulkTransfers/{id} (body) or .../error (undefined, code) at a DFSP. */
  bulk?(
    fsp: string,
    bulkTransferId: string,
    body: string | undefined,
    code: string,
    nowMs: number,
  ): void;
};

export type SimulatorStats = {
  payeePrepares: number;
  /** Scenario f: POST /bulkTransfers answered with a fulfilment for every individual. */
  payeeBulks: number;
  payeeFulfilsRejected: number;
  lookupsAnswered: number;
  quotesAnswered: number;
  sendFailures: number;
  participantCallbacks: number;
  participantErrors: number;
  /** Messages whose FSPIOP-Signature the inbound check verified, and refused (scenario s). */
  signaturesVerified: number;
  signaturesRefused: number;
  /** Messages in the ISO 20022 media type (scenario i: the ISO payer's callbacks). */
  isoReceived: number;
};

/** Checks a message before it is handled (scenario s: its FSPIOP-Signature); false counts it. */
export type InboundCheck = (method: string, headers: IncomingHttpHeaders, body: string) => boolean;

export type Simulator = {
  readonly baseUrl: string;
  readonly stats: SimulatorStats;
  /** Points the payer side at the tracker and hooks of the next scenario. */
  use(tracker: Tracker, hooks: PayerHooks): void;
  close(): Promise<void>;
};

type Context = {
  readonly client: FspiopSender;
  tracker: Tracker;
  hooks: PayerHooks;
  readonly stats: SimulatorStats;
  readonly inbound?: InboundCheck;
};

export async function startSimulator(options: {
  client: FspiopSender;
  tracker: Tracker;
  hooks: PayerHooks;
  inbound?: InboundCheck;
}): Promise<Simulator> {
  const stats: SimulatorStats = {
    payeePrepares: 0,
    payeeBulks: 0,
    payeeFulfilsRejected: 0,
    lookupsAnswered: 0,
    quotesAnswered: 0,
    sendFailures: 0,
    participantCallbacks: 0,
    participantErrors: 0,
    signaturesVerified: 0,
    signaturesRefused: 0,
    isoReceived: 0,
  };
  const context: Context = { ...options, stats };
  const server: Server = createServer({ keepAlive: true }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => route(context, request, response, Buffer.concat(chunks).toString()));
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stats,
    use(tracker, hooks) {
      context.tracker = tracker;
      context.hooks = hooks;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'content-length': '0' });
  response.end();
}

function route(c: Context, req: IncomingMessage, res: ServerResponse, body: string): void {
  const nowMs = performance.now();
  const [fsp = '', resource = '', ...rest] = (req.url ?? '').split('?')[0]!.slice(1).split('/');
  const method = req.method ?? '';
  const source = String(req.headers['fspiop-source'] ?? '');
  const isError = rest[rest.length - 1] === 'error';
  answer(res, method === 'PUT' || method === 'PATCH' ? 200 : 202);
  if (String(req.headers['content-type'] ?? '').includes('.iso20022.')) c.stats.isoReceived++;
  if (c.inbound !== undefined) {
    if (c.inbound(method, req.headers, body)) c.stats.signaturesVerified++;
    else c.stats.signaturesRefused++;
  }
  const answerBody = isError ? undefined : body;
  const code = isError ? errorCodeOf(body) : '';
  if (resource === 'transfers') {
    if (method === 'POST') payeeFulfil(c, fsp, source, body);
    else if (method === 'PUT') transferCallback(c, fsp, rest[0] ?? '', isError, body, nowMs);
  } else if (resource === 'parties') {
    const partyPath = (isError ? rest.slice(0, -1) : rest).join('/');
    if (method === 'GET') payeeParty(c, fsp, source, partyPath);
    else c.hooks.party(fsp, partyPath, answerBody, code);
  } else if (resource === 'quotes') {
    if (method === 'POST') payeeQuote(c, fsp, source, body);
    else c.hooks.quote(fsp, rest[0] ?? '', answerBody, code);
  } else if (resource === 'bulkTransfers') {
    if (method === 'POST') payeeBulk(c, fsp, source, body);
    else if (method === 'PUT') c.hooks.bulk?.(fsp, rest[0] ?? '', answerBody, code, nowMs);
  } else if (resource === 'participants') {
    if (isError) c.stats.participantErrors++;
    else c.stats.participantCallbacks++;
  }
}

function transferCallback(
  c: Context,
  fsp: string,
  transferId: string,
  isError: boolean,
  body: string,
  nowMs: number,
): void {
  const flow = c.tracker.flows.get(transferId);
  if (flow !== undefined && flow.payer !== fsp) {
    c.tracker.total.payeeNotifications++;
    return;
  }
  // FSPIOP transferState COMMITTED, or (an ISO 20022 payer, scenario i) pacs.002 TxSts COMM.
  const committed = !isError && (body.includes('"COMMITTED"') || body.includes('"COMM"'));
  const code = isError ? errorCodeOf(body) : 'not-committed';
  c.tracker.finalCallback(transferId, committed ? 'committed' : 'error', code, nowMs);
}

function checkSent(c: Context, status: number): void {
  if (status !== 200 && status !== 202) c.stats.sendFailures++;
}

function payeeFulfil(c: Context, payee: string, payer: string, body: string): void {
  c.stats.payeePrepares++;
  const transferId = (JSON.parse(body) as { transferId: string }).transferId;
  const headers = fspiopHeaders('transfers', 'PUT', payee, payer);
  void c.client
    .send('PUT', `/transfers/${transferId}`, headers, fulfilBody(transferId))
    .then((result) => checkSent(c, result.status));
}

function payeeBulk(c: Context, payee: string, payer: string, body: string): void {
  c.stats.payeeBulks++;
  const bulk = JSON.parse(body) as {
    bulkTransferId: string;
    individualTransfers: { transferId: string }[];
  };
  const headers = fspiopHeaders('bulkTransfers', 'PUT', payee, payer);
  const ids = bulk.individualTransfers.map((individual) => individual.transferId);
  void c.client
    .send('PUT', `/bulkTransfers/${bulk.bulkTransferId}`, headers, bulkFulfilBody(ids))
    .then((result) => checkSent(c, result.status));
}

function payeeParty(c: Context, payee: string, requester: string, partyPath: string): void {
  c.stats.lookupsAnswered++;
  const [idType = 'MSISDN', id = ''] = partyPath.split('/');
  const headers = fspiopHeaders('parties', 'PUT', payee, requester);
  void c.client
    .send('PUT', `/parties/${partyPath}`, headers, partyBody({ idType, id, fspId: payee }))
    .then((result) => checkSent(c, result.status));
}

function payeeQuote(c: Context, payee: string, payer: string, body: string): void {
  c.stats.quotesAnswered++;
  const quote = JSON.parse(body) as { quoteId: string; transactionId: string; amount: Money };
  const headers = fspiopHeaders('quotes', 'PUT', payee, payer);
  void c.client
    .send(
      'PUT',
      `/quotes/${quote.quoteId}`,
      headers,
      quoteResponseBody(quote.transactionId, quote.amount),
    )
    .then((result) => checkSent(c, result.status));
}
