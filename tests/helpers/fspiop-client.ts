// What a DFSP sends to the switch's FSPIOP API in end-to-end transfer tests: ILP condition and
// fulfilment pairs, POST /transfers bodies, and requests with the DFSP's headers. Answers come
// back as status plus parsed body, so tests can assert the synchronous errors exactly.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { fspiopHeaders } from './dfsp-sim.ts';

export type IlpPair = { readonly fulfilment: string; readonly condition: string };

/** A fresh 32-byte fulfilment and its condition, base64url(sha256(fulfilment)). */
export function ilpPair(seed?: Buffer): IlpPair {
  const preimage = seed ?? randomBytes(32);
  return {
    fulfilment: preimage.toString('base64url'),
    condition: createHash('sha256').update(preimage).digest('base64url'),
  };
}

/** A well-formed ILP packet text (the switch does not decode it). */
export const ILP_PACKET = Buffer.from('mkondo end-to-end test packet').toString('base64url');

export type PrepareTerms = {
  readonly payerFsp: string;
  readonly payeeFsp: string;
  readonly amount: string;
  readonly currency: string;
  readonly condition: string;
  /** Expiration in ms from now (default 60 s). */
  readonly expiresInMs?: number;
  readonly transferId?: string;
};

export function prepareBody(terms: PrepareTerms): Record<string, unknown> {
  return {
    transferId: terms.transferId ?? randomUUID(),
    payerFsp: terms.payerFsp,
    payeeFsp: terms.payeeFsp,
    amount: { amount: terms.amount, currency: terms.currency },
    ilpPacket: ILP_PACKET,
    condition: terms.condition,
    expiration: new Date(Date.now() + (terms.expiresInMs ?? 60_000)).toISOString(),
  };
}

export type Answer = { readonly status: number; readonly body: unknown };

export type FspiopRequest = {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly source: string;
  readonly destination: string;
  /** Media-type version, default 1.1. */
  readonly version?: string;
  /** A string is sent as is (to test malformed JSON); anything else is JSON-encoded. */
  readonly body?: unknown;
  /** Header overrides; `undefined` removes a header. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
};

/** Sends one FSPIOP request as a DFSP would. */
export async function fspiop(switchUrl: string, request: FspiopRequest): Promise<Answer> {
  const headers: Record<string, string> = {
    ...fspiopHeaders(request.source, request.destination, request.version ?? '1.1'),
  };
  if (request.method !== 'POST' && request.method !== 'GET') delete headers['accept'];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  const response = await fetch(`${switchUrl}${request.path}`, {
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** The errorCode of a synchronous FSPIOP error answer. */
export function errorCodeOf(answer: { readonly body: unknown }): string | undefined {
  const body = answer.body as { errorInformation?: { errorCode?: string } } | undefined;
  return body?.errorInformation?.errorCode;
}
