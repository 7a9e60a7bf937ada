// The core-banking side of a test DFSP: the small HTTP backend that Mojaloop's DFSP connector
// (sdk-scheme-adapter) calls for parties, quotes and transfers, answering like
// mojaloop-simulator's defaults (no fees, every transfer accepted). A test can make it refuse
// transfers of one amount with an FSPIOP error code, the way a bank's core system rejects a
// payment; the connector then sends the hub `PUT /transfers/{ID}/error` with that code.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A customer of this DFSP, as mojaloop-simulator's party repository holds one. */
export type BackendParty = {
  readonly idType: string;
  readonly idValue: string;
  readonly displayName: string;
  readonly firstName: string;
  readonly lastName: string;
};

/** The connector's call into the backend, kept for assertions. */
export type BackendCall = {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
};

export class SdkBackend {
  readonly calls: BackendCall[] = [];
  private readonly parties = new Map<string, BackendParty>();
  /** Transfer amount (SDK text, e.g. "13") → the error the backend answers with. */
  private readonly refusals = new Map<string, { statusCode: string; message: string }>();
  private server?: Server;
  url = '';

  addParty(party: BackendParty): void {
    this.parties.set(`${party.idType}/${party.idValue}`, party);
  }

  /** Transfers of `amount` are refused with `statusCode` (an FSPIOP error code). */
  refuseTransfersOf(amount: string, statusCode: string, message: string): void {
    this.refusals.set(amount, { statusCode, message });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readJson(req).then((body) => this.answer(req, body, res));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private answer(req: IncomingMessage, body: unknown, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    this.calls.push({ method, path, body });
    const [status, answer] = this.route(method, path.split('/').filter(Boolean), body);
    const text = answer === undefined ? '' : JSON.stringify(answer);
    res.writeHead(status, { 'content-type': 'application/json' }).end(text);
  }

  private route(method: string, segments: string[], body: unknown): [number, unknown] {
    const [resource, ...rest] = segments;
    const fields = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && resource === 'parties' && rest.length === 2) {
      const party = this.parties.get(rest.map(decodeURIComponent).join('/'));
      // mojaloop-simulator src/models/errors.js: an unknown party is 404 {3200, "ID not found"}.
      return party ? [200, party] : [404, { statusCode: '3200', message: 'ID not found' }];
    }
    if (method === 'POST' && resource === 'quoterequests') {
      return [200, quoteAnswer(fields)];
    }
    if (method === 'POST' && resource === 'transfers') {
      const refusal = this.refusals.get(String(fields['amount']));
      if (refusal) return [500, refusal];
      return [200, { homeTransactionId: randomUUID() }];
    }
    if (method === 'PUT' && resource === 'transfers') return [200, {}];
    return [404, { statusCode: '3002', message: `no route ${method} /${segments.join('/')}` }];
  }
}

/** mojaloop-simulator src/models/quote.js with FEE_MULTIPLIER=0: the payee takes no fee. */
function quoteAnswer(request: Record<string, unknown>) {
  const currency = request['currency'];
  return {
    quoteId: request['quoteId'],
    transactionId: request['transactionId'],
    transferAmount: request['amount'],
    transferAmountCurrency: currency,
    payeeFspFeeAmount: '0',
    payeeFspFeeAmountCurrency: currency,
    payeeFspCommissionAmount: '0',
    payeeFspCommissionAmountCurrency: currency,
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
