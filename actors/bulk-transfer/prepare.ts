// PrepareBulkTransfer and AddBulkIndividuals (POST /bulkTransfers). The header is checked first:
// duplicate (same hash ⇒ resend the result when final, else wait; other hash ⇒ 3106), then the
// bulk's own rules (the sender is the payer, the payee exists and is active, the expiration is
// ahead, payer ≠ payee): a failure refuses the bulk as a whole and creates no individual. Each
// chunk of individuals then becomes PrepareTransfer commands to their own Transfer actors, which
// check and reserve each one like a single transfer and report back (IndividualReported). Each
// carries the payee's facts in its own currency, so a bulk may mix currencies.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext, Effect } from '../actor.ts';
import { individualPrepareHash } from '../contracts/bulk-transfer.ts';
import type { PayeeFacts, PrepareTransfer } from '../transfer/messages.ts';
import { TRANSFER_ACTOR_TYPE } from '../transfer/messages.ts';
import { advance } from './advance.ts';
import { hubError, hubPut } from './callbacks.ts';
import type { BulkDecision } from './decision.ts';
import { ignore } from './decision.ts';
import type {
  AddBulkIndividuals,
  BulkIndividual,
  BulkTerms,
  PrepareBulkTransfer,
} from './messages.ts';
import { type BulkRecord, type BulkTransferState, isFinal } from './state.ts';

export function decidePrepareBulk(
  state: BulkTransferState,
  cmd: PrepareBulkTransfer,
  ctx: DecideContext,
): BulkDecision {
  const terms = termsOf(cmd);
  const id = `prepare/${ctx.nowMs}`;
  if (state.phase !== 'absent') {
    if (state.requestHash !== cmd.requestHash) {
      const error = fspiopError(FspiopCode.MODIFIED_REQUEST);
      return refuse(cmd.source, terms.bulkTransferId, error, `${id}/modified`);
    }
    if (!isFinal(state.phase)) return ignore('duplicate bulk in flight');
    return {
      events: [],
      effects: [finalAnswer(state, cmd.source, `${id}/duplicate`)],
      reply: ignored,
    };
  }
  const failure = validateBulk(cmd, ctx);
  if (failure !== undefined) {
    const error = fspiopError(FspiopCode.GENERIC_VALIDATION_ERROR, failure);
    return {
      events: [
        {
          type: 'BulkInvalidated',
          terms,
          requestHash: cmd.requestHash,
          error,
          completedTimestamp: formatDateTime(ctx.nowMs),
        },
      ],
      effects: [hubError(cmd.source, terms.bulkTransferId, error, 'prepare/invalid')],
      reply: { kind: 'rejected', error },
    };
  }
  return {
    events: [
      {
        type: 'BulkReceived',
        terms,
        requestHash: cmd.requestHash,
        headers: cmd.headers,
        payee: cmd.payee,
        payeeByCurrency: cmd.payeeByCurrency,
        chunkCount: cmd.chunkCount,
      },
    ],
    effects: [],
    reply: { kind: 'accepted' },
  };
}

const ignored = { kind: 'ignored', reason: 'duplicate bulk' } as const;

/** The bulk's result as its payer last heard it (or would hear it now). */
export function finalAnswer(bulk: BulkRecord, to: string, id: string): Effect {
  return bulk.error === undefined
    ? hubPut(to, bulk, id)
    : hubError(to, bulk.terms.bulkTransferId, bulk.error, id);
}

function refuse(
  to: string,
  bulkTransferId: string,
  error: ReturnType<typeof fspiopError>,
  id: string,
): BulkDecision {
  return {
    events: [],
    effects: [hubError(to, bulkTransferId, error, id)],
    reply: { kind: 'rejected', error },
  };
}

/** The first failing bulk-level rule, as the reason text (wording of fspiop.md §3.2). */
function validateBulk(cmd: PrepareBulkTransfer, ctx: DecideContext): string | undefined {
  if (cmd.source !== cmd.payerFsp) return 'FSPIOP-Source header should match Payer';
  if (cmd.payee === null) return `Participant ${cmd.payeeFsp} not found`;
  if (!cmd.payee.isActive) return `Participant ${cmd.payeeFsp} is inactive`;
  if (cmd.expiresAtMs <= ctx.nowMs) {
    return `Expiration date ${formatDateTime(cmd.expiresAtMs)} is already in the past`;
  }
  if (cmd.payerFsp === cmd.payeeFsp && !ctx.hub.onUsTransfers) {
    return 'Payer FSP and Payee FSP should be different, unless on-us tranfers are allowed by the Scheme';
  }
  return undefined;
}

function termsOf(cmd: PrepareBulkTransfer): BulkTerms {
  const { bulkTransferId, bulkQuoteId, payerFsp, payeeFsp, expiration, expiresAtMs } = cmd;
  const terms = { bulkTransferId, bulkQuoteId, payerFsp, payeeFsp, expiration, expiresAtMs };
  return cmd.extensionList === undefined ? terms : { ...terms, extensionList: cmd.extensionList };
}

export function decideAddIndividuals(
  state: BulkTransferState,
  cmd: AddBulkIndividuals,
  ctx: DecideContext,
): BulkDecision {
  if (state.phase === 'absent') return ignore('chunk of an unknown bulk');
  if (state.requestHash !== cmd.requestHash) return ignore('chunk of another request');
  if (state.phase !== 'RECEIVED' || state.expired) return ignore(`chunk of a ${state.phase} bulk`);
  if (state.chunksSplit.includes(cmd.chunkIndex)) return ignore('chunk already split');
  if (cmd.chunkIndex < 0 || cmd.chunkIndex >= state.chunkCount) return ignore('no such chunk');
  // The gateway refuses a body that names a transferId twice; evolve() asserts it, so a chunk
  // that would break it is dropped here rather than reaching the assertion.
  if (repeatsAnId(state, cmd.individuals)) return ignore('chunk repeats a transferId');
  const step = advance(
    state,
    {
      events: [
        { type: 'BulkChunkSplit', chunkIndex: cmd.chunkIndex, individuals: cmd.individuals },
      ],
      effects: cmd.individuals.map((individual) => prepareIndividual(state, individual)),
    },
    ctx,
  );
  return { ...step, reply: { kind: 'accepted' } };
}

function repeatsAnId(bulk: BulkRecord, individuals: readonly BulkIndividual[]): boolean {
  const ids = new Set(individuals.map((individual) => individual.transferId));
  if (ids.size !== individuals.length) return true;
  return [...ids].some((id) => Object.hasOwn(bulk.individuals, id));
}

function prepareIndividual(bulk: BulkRecord, individual: BulkIndividual): Effect {
  const { terms } = bulk;
  const command: PrepareTransfer = {
    kind: 'PrepareTransfer',
    transferId: individual.transferId,
    payerFsp: terms.payerFsp,
    payeeFsp: terms.payeeFsp,
    currency: individual.transferAmount.currency,
    amountMinor: individual.amountMinor,
    condition: individual.condition,
    expiresAtMs: terms.expiresAtMs,
    bulkTransferId: terms.bulkTransferId,
    ...(individual.extensionList === undefined ? {} : { extensionList: individual.extensionList }),
    source: terms.payerFsp,
    requestHash: individualPrepareHash(terms.bulkTransferId, bulk.requestHash),
    payee: payeeIn(bulk, individual.transferAmount.currency),
    relay: { headers: {}, body: '' },
    ...(individual.transaction === undefined ? {} : { transaction: individual.transaction }),
  };
  return { kind: 'send', to: { type: TRANSFER_ACTOR_TYPE, key: individual.transferId }, command };
}

/**
 * The payee's facts for an individual in `currency`. A currency the gateway did not stamp is one
 * the payee has no position account in, so the individual's Transfer actor refuses it (3100)
 * before any reservation. A bulk recorded before the per-currency facts keeps its single stamp.
 */
function payeeIn(bulk: BulkRecord, currency: string): PayeeFacts {
  if (bulk.payee === null || bulk.payeeByCurrency === undefined) return bulk.payee;
  const facts = Object.hasOwn(bulk.payeeByCurrency, currency)
    ? bulk.payeeByCurrency[currency]
    : undefined;
  if (facts !== undefined) return facts;
  return {
    isActive: bulk.payee.isActive,
    positionAccountActive: false,
    positionAccountExists: false,
  };
}
