// The first middleware of the FSPIOP and the Admin API: the limits every request meets before a
// route sees it. Its text is checked (request-text.ts), its body read within the byte limit and
// scanned for JSON hazards (strict-json.ts), and the whole request answered within
// requestTimeoutMs: past it, the client gets 2004 Server timed out rather than a hung connection.
// A route still running then may yet publish its command; like any FSPIOP timeout, the outcome
// is unknown to the client, which retries with the same id (duplicate checks make that safe).

import type { Context, MiddlewareHandler } from 'hono';
import { FspiopCode } from '../../schema/fspiop/errors.ts';
import { errorResponse, FspiopHttpError } from './problem.ts';
import { BodyTooLargeError, readRequestBody } from './request-body.ts';
import { checkRequestText, type ParamNames } from './request-text.ts';
import { type JsonFault, jsonFault } from './strict-json.ts';
import { textFault } from './text.ts';

export type EdgeLimits = {
  /** Largest request body read, in bytes (HTTP_BODY_BYTES_MAX). */
  readonly bodyBytesMax: number;
  /** Longest a request waits for its answer, in ms (REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number;
  /**
   * Largest body of a /bulkTransfers request (BULK_BODY_BYTES_MAX): a bulk of 1,000 is far
   * above bodyBytesMax; the gateway splits it into chunks (routes/bulk-transfers.ts).
   */
  readonly bulkBodyBytesMax?: number;
};

/**
 * 128 KiB: a transfer with the largest ILP packet the API allows (32 KiB) is under 40 KiB, and a
 * command carries its body JSON-escaped (at most twice its size) plus the headers (16 KiB at
 * most, Node's limit) inside NATS's default max_payload of 1 MiB with room to spare.
 */
export const BODY_BYTES_MAX_DEFAULT = 128 * 1024;
export const REQUEST_TIMEOUT_MS_DEFAULT = 10_000;
/**
 * 768 KiB: 1,000 individual transfers with ILP packets of about 600 bytes. The payee's copy (one
 * OUT message) is no larger than the payer's body, so it fits NATS's default 1 MiB max_payload
 * with the headers; bulkLimitFault checks that at start.
 */
export const BULK_BODY_BYTES_MAX_DEFAULT = 768 * 1024;

export const EDGE_DEFAULTS: EdgeLimits = {
  bodyBytesMax: BODY_BYTES_MAX_DEFAULT,
  requestTimeoutMs: REQUEST_TIMEOUT_MS_DEFAULT,
  bulkBodyBytesMax: BULK_BODY_BYTES_MAX_DEFAULT,
};

/** Why a bulk body limit is unsafe for a broker's max_payload (see BULK_BODY_BYTES_MAX_DEFAULT). */
export function bulkLimitFault(bulkBytesMax: number, maxPayloadBytes: number): string | undefined {
  const needed = bulkBytesMax + ENVELOPE_BYTES_MAX;
  if (needed <= maxPayloadBytes) return undefined;
  return (
    `BULK_BODY_BYTES_MAX=${bulkBytesMax} needs a NATS max_payload of at least ${needed} bytes ` +
    `(the server's is ${maxPayloadBytes}): lower it or raise max_payload`
  );
}

function bodyLimitFor(c: Context, limits: EdgeLimits): number {
  const bulk = limits.bulkBodyBytesMax;
  if (bulk === undefined || !c.req.path.startsWith('/bulkTransfers')) return limits.bodyBytesMax;
  return Math.max(bulk, limits.bodyBytesMax);
}

/** Room for the envelope and the relayed headers (at most Node's 16 KiB) around a body. */
const ENVELOPE_BYTES_MAX = 64 * 1024;

/**
 * Why a body limit is unsafe for a broker's max_payload, or undefined: a command carries its body
 * JSON-escaped, which can double it, so a body the edge accepts must never fail at publish.
 */
export function bodyLimitFault(bodyBytesMax: number, maxPayloadBytes: number): string | undefined {
  const needed = 2 * bodyBytesMax + ENVELOPE_BYTES_MAX;
  if (needed <= maxPayloadBytes) return undefined;
  return (
    `HTTP_BODY_BYTES_MAX=${bodyBytesMax} needs a NATS max_payload of at least ${needed} bytes ` +
    `(the server's is ${maxPayloadBytes}): lower it or raise max_payload`
  );
}

/**
 * How strictly JSON bodies are read. FSPIOP bodies are relayed as written and carry no number the
 * hub reads (Mojaloop's services accept a long number in, say, an extension a mock invents), so
 * only the Admin API, whose amounts may be JSON numbers, refuses numbers a double cannot hold.
 */
export type BodyRules = { readonly exactNumbers: boolean };

async function checkRequest(
  c: Context,
  limits: EdgeLimits,
  names: ParamNames,
  rules: BodyRules,
): Promise<void> {
  // The body is read first: whatever the answer, the client must be able to read it.
  const text = await readRequestBody(c, bodyLimitFor(c, limits));
  checkRequestText(c, names);
  if (text.length === 0) return;
  // Whatever its Content-Type says, a body is scanned as JSON (the Admin API parses it as JSON
  // regardless); text that is not JSON is checked for raw control characters.
  const fault = jsonFault(text, '/requestBody', rules) ?? plainTextFault(text);
  if (fault) {
    throw new FspiopHttpError(FspiopCode.MALFORMED_SYNTAX, `${fault.pointer} ${fault.reason}`);
  }
}

function plainTextFault(text: string): JsonFault | undefined {
  const reason = textFault(text, 'freeText');
  return reason === undefined ? undefined : { pointer: '/requestBody', reason };
}

function timedOut(limits: EdgeLimits): FspiopHttpError {
  return new FspiopHttpError(
    FspiopCode.SERVER_TIMED_OUT,
    `no answer within ${limits.requestTimeoutMs} ms; the request may still take effect`,
  );
}

/** The edge middleware; `names` maps route parameter names to the API's (`id` ⇒ `ID`). */
export function edgeGuard(
  limits: EdgeLimits,
  names: ParamNames = {},
  rules: BodyRules = { exactNumbers: true },
): MiddlewareHandler {
  return async (c, next) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), limits.requestTimeoutMs);
    });
    try {
      const checked = await Promise.race([checkRequest(c, limits, names, rules), deadline]);
      if (checked === 'expired') throw timedOut(limits);
      if ((await Promise.race([next(), deadline])) === 'expired') throw timedOut(limits);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      // The connection may hold the rest of an oversized body: answer, then close it.
      c.header('Connection', 'close');
      return errorResponse(c, error.error);
    } finally {
      clearTimeout(timer);
    }
  };
}
