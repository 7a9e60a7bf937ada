// FSPIOP transfers routes: POST /transfers, PUT /transfers/{ID}, PUT /transfers/{ID}/error and
// GET /transfers/{ID}. Each validates headers and body, turns the request into a Transfer actor
// command and answers 202 (POST, GET) or 200 (PUT) once `bus.send` resolved, i.e. once the
// command is durably published. Nothing invalid is published.
//
// Determinism: the Transfer actor must not look anything up, so the gateway stamps the payee's
// directory facts (exists, active, POSITION account active in the currency) on PrepareTransfer.
// The actor's decision is then a pure function of the message, and a replay of the CMD stream
// sees exactly the facts the live run saw. Payer facts are checked by the payer's Participant
// actor, which owns them, when it is asked to reserve.

import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { ParticipantDirectoryEntry } from '../../../actors/participant/directory.ts';
import { PARTICIPANT_ACTOR_TYPE } from '../../../actors/participant/directory.ts';
import { transactionFactsOf } from '../../../actors/settlement-model/ilp-transaction.ts';
import type {
  FulfilTransfer,
  GetTransfer,
  PayeeFacts,
  PrepareTransfer,
  RejectTransfer,
} from '../../../actors/transfer/index.ts';
import { TRANSFER_ACTOR_TYPE } from '../../../actors/transfer/index.ts';
import { CorrelationId } from '../../../schema/fspiop/common.ts';
import { FspiopCode } from '../../../schema/fspiop/errors.ts';
import {
  TransfersIDErrorPutRequest,
  TransfersIDPutResponse,
  TransfersPostRequest,
} from '../../../schema/fspiop/transfers.ts';
import { parseFspiopAmount } from '../../../schema/money.ts';
import { parseBody, validate } from '../body.ts';
import type { FspiopDeps } from '../deps.ts';
import { type FspiopEnv, fspiopHeaders } from '../headers.ts';
import { FspiopHttpError } from '../problem.ts';
import { captureRelay } from '../relay.ts';

/** A fulfil's completedTimestamp may be at most this far ahead of the hub clock (§3.3). */
export const COMPLETED_AHEAD_MS_MAX = 200;
/** …and at most this far behind it (MAX_FULFIL_TIMEOUT_DURATION_SECONDS = 300). */
export const COMPLETED_BEHIND_MS_MAX = 300_000;

type TransferCommand = PrepareTransfer | FulfilTransfer | RejectTransfer | GetTransfer;

export function transferRoutes(deps: FspiopDeps): Hono {
  const routes = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('transfers');
  const now = deps.nowMs ?? Date.now;
  const send = (c: Context, command: TransferCommand) =>
    deps.bus.send({ type: TRANSFER_ACTOR_TYPE, key: command.transferId }, command, {
      nowMs: now(),
      ...traceOf(c),
    });

  routes.post('/transfers', headers, async (c) => {
    const { text, value } = await parseBody(c, TransfersPostRequest);
    // The payee is named twice; a relay to one while the body names the other is refused.
    const { destination } = c.var.fspiop;
    if (destination !== undefined && destination !== value.payeeFsp) {
      throw new FspiopHttpError(
        FspiopCode.GENERIC_VALIDATION_ERROR,
        'FSPIOP-Destination header should match Payee FSP',
      );
    }
    await send(c, prepareCommand(deps, c.var.fspiop.source, text, value, captureRelay(c, text)));
    return c.body(null, 202);
  });

  routes.put('/transfers/:id', headers, async (c) => {
    const transferId = validate(CorrelationId, c.req.param('id'), '/params/ID');
    const { text, value } = await parseBody(c, TransfersIDPutResponse);
    checkCompletedTimestamp(value.completedTimestamp, now());
    const { source, destination, version } = c.var.fspiop;
    const command: FulfilTransfer = {
      kind: 'FulfilTransfer',
      transferId,
      source,
      ...(destination === undefined ? {} : { destination }),
      requestHash: sha256(text),
      version,
      transferState: value.transferState,
      ...optional('fulfilment', value.fulfilment),
      ...optional('completedTimestamp', value.completedTimestamp),
      ...optional('extensionList', value.extensionList),
      relay: { headers: captureRelay(c).headers, body: text },
    };
    await send(c, command);
    return c.body(null, 200);
  });

  routes.put('/transfers/:id/error', headers, async (c) => {
    const transferId = validate(CorrelationId, c.req.param('id'), '/params/ID');
    const { text, value } = await parseBody(c, TransfersIDErrorPutRequest);
    const { source, destination } = c.var.fspiop;
    const command: RejectTransfer = {
      kind: 'RejectTransfer',
      transferId,
      source,
      ...(destination === undefined ? {} : { destination }),
      requestHash: sha256(text),
      errorInformation: {
        errorCode: value.errorInformation.errorCode,
        errorDescription: value.errorInformation.errorDescription,
        ...optional('extensionList', value.errorInformation.extensionList),
      },
      relay: { headers: captureRelay(c).headers, body: text },
    };
    await send(c, command);
    return c.body(null, 200);
  });

  routes.get('/transfers/:id', headers, async (c) => {
    const transferId = validate(CorrelationId, c.req.param('id'), '/params/ID');
    await send(c, { kind: 'GetTransfer', transferId, source: c.var.fspiop.source });
    return c.body(null, 202);
  });

  return routes as unknown as Hono;
}

function prepareCommand(
  deps: FspiopDeps,
  source: string,
  text: string,
  body: TransfersPostRequest,
  relay: { headers: Readonly<Record<string, string>> },
): PrepareTransfer {
  const amount = parseFspiopAmount(body.amount.amount);
  // The schema's Amount pattern already guarantees this parses.
  if (!amount.ok) throw new FspiopHttpError(FspiopCode.GENERIC_VALIDATION_ERROR, amount.reason);
  return {
    kind: 'PrepareTransfer',
    transferId: body.transferId,
    source,
    requestHash: sha256(text),
    payerFsp: body.payerFsp,
    payeeFsp: body.payeeFsp,
    currency: body.amount.currency,
    amountMinor: amount.minor,
    condition: body.condition,
    expiresAtMs: Date.parse(body.expiration),
    ...optional('extensionList', body.extensionList),
    payee: payeeFacts(deps, body.payeeFsp, body.amount.currency),
    ...optional('transaction', transactionFactsOf(body.ilpPacket)),
    relay: { headers: relay.headers, body: text },
  };
}

/** The payee as the directory shows it now; stamped on the command (see the module comment). */
export function payeeFacts(deps: FspiopDeps, payeeFsp: string, currency: string): PayeeFacts {
  const entry = deps.directory.lookup<ParticipantDirectoryEntry>(PARTICIPANT_ACTOR_TYPE, payeeFsp);
  if (entry === undefined) return null;
  const account = entry.currencies[currency];
  return {
    isActive: entry.isActive,
    positionAccountActive: account?.positionAccountActive === true,
    positionAccountExists: account !== undefined,
  };
}

function checkCompletedTimestamp(completedTimestamp: string | undefined, nowMs: number): void {
  if (completedTimestamp === undefined) return;
  const completedMs = Date.parse(completedTimestamp);
  if (completedMs > nowMs + COMPLETED_AHEAD_MS_MAX) {
    throw new FspiopHttpError(
      FspiopCode.GENERIC_VALIDATION_ERROR,
      'completedTimestamp is in the future',
    );
  }
  if (completedMs < nowMs - COMPLETED_BEHIND_MS_MAX) {
    throw new FspiopHttpError(FspiopCode.GENERIC_VALIDATION_ERROR, 'completedTimestamp is too old');
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function traceOf(c: Context): { traceparent?: string } {
  const traceparent = c.req.header('traceparent');
  return traceparent === undefined ? {} : { traceparent };
}
