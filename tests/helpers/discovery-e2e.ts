// What the discovery end-to-end tests send and expect: FSPIOP requests of any resource with the
// DFSP's headers at a chosen version, the bodies of parties, quotes, transaction requests and
// authorizations answers, and one check of a callback's method, path, routing headers, media
// type and body as a simulated DFSP received it. The world itself (switch, NATS, PostgreSQL,
// simulated DFSPs, Admin API onboarding) is tests/helpers/transfer-world.ts.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { DfspSim, Received } from './dfsp-sim.ts';
import { ILP_PACKET } from './fspiop-client.ts';

export type Answer = { readonly status: number; readonly body: unknown };

export type DfspCall = {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  /** Resource of the media type (`parties`, `quotes`, ...). */
  readonly resource: string;
  readonly source: string;
  readonly destination?: string;
  /** Content-Type version, default 1.1. */
  readonly version?: string;
  /** Accept version on GET/POST/DELETE, default the major of `version`; never on PUT. */
  readonly accept?: string;
  readonly body?: unknown;
};

export function media(resource: string, version: string): string {
  return `application/vnd.interoperability.${resource}+json;version=${version}`;
}

/** The headers a DFSP sends with a call. */
export function callHeaders(call: DfspCall): Record<string, string> {
  const version = call.version ?? '1.1';
  const headers: Record<string, string> = {
    'content-type': media(call.resource, version),
    date: new Date().toUTCString(),
    'fspiop-source': call.source,
  };
  if (call.destination !== undefined) headers['fspiop-destination'] = call.destination;
  if (call.method !== 'PUT') {
    headers['accept'] = media(call.resource, call.accept ?? version.split('.')[0] ?? version);
  }
  return headers;
}

/**
 * Sends one FSPIOP call to the switch; answers status and parsed body. Over node:http, not
 * fetch: fetch adds a wildcard Accept, which the switch rightly refuses on a PUT callback (3101).
 */
export function dfspCall(switchUrl: string, call: DfspCall): Promise<Answer> {
  const text = call.body === undefined ? undefined : JSON.stringify(call.body);
  const headers = callHeaders(call);
  if (text !== undefined) headers['content-length'] = String(Buffer.byteLength(text, 'utf8'));
  return new Promise((resolve, reject) => {
    const req = request(`${switchUrl}${call.path}`, { method: call.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const answer = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: answer ? JSON.parse(answer) : undefined });
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** A call that must be accepted (202 for requests, 200 for callbacks). */
export async function accepted(switchUrl: string, call: DfspCall): Promise<void> {
  const answer = await dfspCall(switchUrl, call);
  const expected = call.method === 'PUT' ? 200 : 202;
  assert.equal(answer.status, expected, `${call.method} ${call.path}: ${JSON.stringify(answer)}`);
}

export type ExpectedCallback = {
  readonly method: string;
  readonly path: string;
  readonly source: string;
  /** Undefined when the header must be absent (a relayed GET /parties sent without one). */
  readonly destination: string | undefined;
  /** Full Content-Type, e.g. media('parties', '1.1'). */
  readonly contentType: string;
  /** Exact parsed body; omitted for a GET (no body). */
  readonly body?: unknown;
  /** Text the request contains (an id), to pick it among requests on the same path. */
  readonly containing?: string;
};

/** Waits for the DFSP to receive a request with this method and path, then checks it whole. */
export async function expectCallback(sim: DfspSim, expected: ExpectedCallback): Promise<Received> {
  const { containing, ...want } = expected;
  const received = await sim.waitFor(
    (r) =>
      r.method === want.method &&
      r.path === want.path &&
      (containing === undefined || r.text.includes(containing)),
  );
  const { headers } = received;
  assert.deepEqual(
    {
      method: received.method,
      path: received.path,
      source: headers['fspiop-source'],
      destination: headers['fspiop-destination'],
      contentType: headers['content-type'],
      body: received.body,
    },
    { ...want, body: want.body },
  );
  if (expected.method === 'PUT') assert.equal(headers['accept'], undefined, 'no Accept on PUT');
  if (expected.body !== undefined) {
    assert.equal(headers['content-length'], String(Buffer.byteLength(received.text, 'utf8')));
  }
  return received;
}

/** The errorCode of a body (sync answer or error callback). */
export function errorCode(body: unknown): string | undefined {
  return (body as { errorInformation?: { errorCode?: string } } | undefined)?.errorInformation
    ?.errorCode;
}

/** Waits for an error callback on `path` and checks the hub's headers and the code. */
export async function expectHubError(
  sim: DfspSim,
  options: { path: string; to: string; resource: string; code: string; version?: string },
): Promise<void> {
  const received = await sim.waitFor((r) => r.method === 'PUT' && r.path === options.path);
  assert.equal(received.headers['fspiop-source'], 'Hub');
  assert.equal(received.headers['fspiop-destination'], options.to);
  assert.equal(received.headers['content-type'], media(options.resource, options.version ?? '1.0'));
  assert.equal(errorCode(received.body), options.code, JSON.stringify(received.body));
}

export type PartyInfo = {
  readonly partyIdType: string;
  readonly partyIdentifier: string;
  readonly partySubIdOrType?: string;
  readonly fspId: string;
};

/** PUT /parties body of a payee, with a (possibly Unicode) name. */
export function partyAnswer(info: PartyInfo, name: string) {
  const [firstName = name, lastName = name] = name.split(' ');
  return {
    party: {
      partyIdInfo: { ...info },
      name,
      personalInfo: { complexName: { firstName, lastName }, dateOfBirth: '1990-01-01' },
    },
  };
}

export type QuoteTerms = {
  readonly payer: PartyInfo;
  readonly payee: PartyInfo;
  readonly amount: string;
  readonly currency: string;
  readonly quoteId?: string;
};

export function quoteRequest(terms: QuoteTerms) {
  return {
    quoteId: terms.quoteId ?? randomUUID(),
    transactionId: randomUUID(),
    payee: { partyIdInfo: { ...terms.payee } },
    payer: { partyIdInfo: { ...terms.payer } },
    amountType: 'SEND',
    amount: { amount: terms.amount, currency: terms.currency },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    note: 'e2e',
  };
}

export function quoteAnswer(amount: string, currency: string, condition: string) {
  return {
    transferAmount: { amount, currency },
    payeeReceiveAmount: { amount, currency },
    expiration: new Date(Date.now() + 60_000).toISOString(),
    ilpPacket: ILP_PACKET,
    condition,
  };
}

export function transactionRequest(payer: PartyInfo, payee: PartyInfo, amount: string) {
  return {
    transactionRequestId: randomUUID(),
    payee: { partyIdInfo: { ...payee } },
    payer: { ...payer },
    amount: { amount, currency: 'USD' },
    transactionType: { scenario: 'PAYMENT', initiator: 'PAYEE', initiatorType: 'BUSINESS' },
    authenticationType: 'OTP',
  };
}
