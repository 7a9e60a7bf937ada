// POST /bulkTransfers, PUT /bulkTransfers/{ID}, PUT /bulkTransfers/{ID}/error and
// GET /bulkTransfers/{ID} (fspiop.md §11), turned into BulkTransfer actor commands. A bulk of up to
// 1,000 individuals is published as its header (PrepareBulkTransfer) followed by chunks of at
// most BULK_CHUNK_INDIVIDUALS individuals (AddBulkIndividuals), so no NATS message carries a
// whole bulk; the 202 follows the last chunk. A resend publishes the same commands, which the
// actor recognises by the body hash. As for single transfers, the payee's directory facts are
// stamped on the command, so the actor's decisions are a pure function of its messages.

import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import {
  BULK_TRANSFER_ACTOR_TYPE,
  type BulkIndividual,
  type BulkTransferCommand,
  type IndividualTransferResult,
} from '../../../actors/bulk-transfer/index.ts';
import {
  BULK_CHUNK_INDIVIDUALS,
  type PayeeByCurrency,
} from '../../../actors/bulk-transfer/messages.ts';
import { transactionFactsOf } from '../../../actors/settlement-model/ilp-transaction.ts';
import type { PayeeFacts } from '../../../actors/transfer/messages.ts';
import {
  BulkTransfersIDPutResponse,
  BulkTransfersPostRequest,
} from '../../../schema/fspiop/bulk.ts';
import { ErrorInformationObject } from '../../../schema/fspiop/common.ts';
import { FspiopCode, type FspiopError } from '../../../schema/fspiop/errors.ts';
import { parseFspiopAmount } from '../../../schema/money.ts';
import { parseBody } from '../body.ts';
import type { FspiopDeps } from '../deps.ts';
import { type FspiopEnv, fspiopHeaders } from '../headers.ts';
import { FspiopHttpError } from '../problem.ts';
import { captureRelay } from '../relay.ts';
import { pathCorrelationId, requireKnownSource } from './facts.ts';
import { payeeFacts } from './transfers.ts';

export function bulkTransfersRoutes(deps: FspiopDeps): Hono<FspiopEnv> {
  const routes = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('bulkTransfers');
  const now = deps.nowMs ?? Date.now;
  const send = (c: Context, key: string, command: BulkTransferCommand) =>
    deps.bus.send({ type: BULK_TRANSFER_ACTOR_TYPE, key }, command, {
      nowMs: now(),
      ...traceOf(c),
    });

  routes.post('/bulkTransfers', headers, async (c) => {
    const { text, value } = await parseBody(c, BulkTransfersPostRequest);
    const { source, destination } = c.var.fspiop;
    requireKnownSource(deps, source);
    if (destination !== undefined && destination !== value.payeeFsp) {
      throw new FspiopHttpError(
        FspiopCode.GENERIC_VALIDATION_ERROR,
        'FSPIOP-Destination header should match Payee FSP',
      );
    }
    const individuals = value.individualTransfers.map(individualOf);
    const duplicate = firstRepeated(individuals.map((individual) => individual.transferId));
    if (duplicate !== undefined) {
      throw new FspiopHttpError(
        FspiopCode.GENERIC_VALIDATION_ERROR,
        `transferId ${duplicate} appears more than once in individualTransfers`,
      );
    }
    const requestHash = sha256(text);
    const chunks = chunked(individuals, BULK_CHUNK_INDIVIDUALS);
    const key = value.bulkTransferId;
    await send(c, key, {
      kind: 'PrepareBulkTransfer',
      bulkTransferId: key,
      bulkQuoteId: value.bulkQuoteId,
      payerFsp: value.payerFsp,
      payeeFsp: value.payeeFsp,
      expiration: value.expiration,
      expiresAtMs: Date.parse(value.expiration),
      ...(value.extensionList === undefined ? {} : { extensionList: value.extensionList }),
      source,
      requestHash,
      individualCount: individuals.length,
      chunkCount: chunks.length,
      payee: payeeFacts(deps, value.payeeFsp, individuals[0]?.transferAmount.currency ?? ''),
      payeeByCurrency: payeeByCurrency(deps, value.payeeFsp, individuals),
      headers: captureRelay(c).headers,
    });
    for (const [chunkIndex, chunk] of chunks.entries()) {
      await send(c, key, {
        kind: 'AddBulkIndividuals',
        requestHash,
        chunkIndex,
        individuals: chunk,
      });
    }
    return c.body(null, 202);
  });

  routes.put('/bulkTransfers/:id', headers, async (c) => {
    const key = pathCorrelationId(c);
    const { text, value } = await parseBody(c, BulkTransfersIDPutResponse);
    const { source, destination } = c.var.fspiop;
    const results: IndividualTransferResult[] = (value.individualTransferResults ?? []).map(
      (result) => ({
        transferId: result.transferId,
        ...(result.fulfilment === undefined ? {} : { fulfilment: result.fulfilment }),
        ...(result.errorInformation === undefined
          ? {}
          : { errorInformation: errorOf(result.errorInformation) }),
        ...(result.extensionList === undefined ? {} : { extensionList: result.extensionList }),
      }),
    );
    await send(c, key, {
      kind: 'FulfilBulkTransfer',
      source,
      ...(destination === undefined ? {} : { destination }),
      requestHash: sha256(`answer:${text}`),
      bulkTransferState: value.bulkTransferState,
      ...(value.completedTimestamp === undefined
        ? {}
        : { completedTimestamp: value.completedTimestamp }),
      results,
    });
    return c.body(null, 200);
  });

  routes.put('/bulkTransfers/:id/error', headers, async (c) => {
    const key = pathCorrelationId(c);
    const { text, value } = await parseBody(c, ErrorInformationObject);
    const { source, destination } = c.var.fspiop;
    await send(c, key, {
      kind: 'RejectBulkTransfer',
      source,
      ...(destination === undefined ? {} : { destination }),
      requestHash: sha256(`error:${text}`),
      errorInformation: errorOf(value.errorInformation),
    });
    return c.body(null, 200);
  });

  routes.get('/bulkTransfers/:id', headers, async (c) => {
    const key = pathCorrelationId(c);
    await send(c, key, { kind: 'GetBulkTransfer', source: c.var.fspiop.source });
    return c.body(null, 202);
  });

  return routes;
}

/** The payee's facts in each currency the individuals use, each stamped on its individuals. */
function payeeByCurrency(
  deps: FspiopDeps,
  payeeFsp: string,
  individuals: readonly BulkIndividual[],
): PayeeByCurrency {
  const facts: Record<string, PayeeFacts> = {};
  for (const { transferAmount } of individuals) {
    facts[transferAmount.currency] ??= payeeFacts(deps, payeeFsp, transferAmount.currency);
  }
  return facts;
}

type IndividualBody = BulkTransfersPostRequest['individualTransfers'][number];

function individualOf(individual: IndividualBody): BulkIndividual {
  const amount = parseFspiopAmount(individual.transferAmount.amount);
  // The schema's Amount pattern already guarantees this parses.
  if (!amount.ok) throw new FspiopHttpError(FspiopCode.GENERIC_VALIDATION_ERROR, amount.reason);
  const transaction = transactionFactsOf(individual.ilpPacket);
  return {
    transferId: individual.transferId,
    transferAmount: individual.transferAmount,
    amountMinor: amount.minor,
    ilpPacket: individual.ilpPacket,
    condition: individual.condition,
    ...(individual.extensionList === undefined ? {} : { extensionList: individual.extensionList }),
    ...(transaction === undefined ? {} : { transaction }),
  };
}

type ErrorBody = {
  errorCode: string;
  errorDescription: string;
  extensionList?: FspiopError['extensionList'] | undefined;
};

function errorOf(error: ErrorBody): FspiopError {
  const { errorCode, errorDescription, extensionList } = error;
  return extensionList === undefined
    ? { errorCode, errorDescription }
    : { errorCode, errorDescription, extensionList };
}

function firstRepeated(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function traceOf(c: Context): { traceparent?: string } {
  const traceparent = c.req.header('traceparent');
  return traceparent === undefined ? {} : { traceparent };
}
