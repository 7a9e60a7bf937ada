// The rest of a bulk's life. IndividualReported: an individual's Transfer actor moved (reserved,
// committed, aborted). FulfilBulkTransfer / RejectBulkTransfer: the payee's PUT (or PUT …/error),
// checked like a transfer's fulfil (known bulk, sender is the payee, duplicate by hash, bulk is
// ACCEPTED, not expired), then split into one FulfilTransfer or RejectTransfer per reserved
// individual: each commits or aborts on its own in its Transfer actor and reports back.

import { FspiopCode, type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext, Effect } from '../actor.ts';
import type { IndividualReported } from '../contracts/bulk-transfer.ts';
import type { FulfilTransfer, RejectTransfer } from '../transfer/messages.ts';
import { TRANSFER_ACTOR_TYPE } from '../transfer/messages.ts';
import { advance } from './advance.ts';
import { hubError } from './callbacks.ts';
import { type BulkDecision, ignore } from './decision.ts';
import type {
  FulfilBulkTransfer,
  IndividualTransferResult,
  RejectBulkTransfer,
} from './messages.ts';
import { finalAnswer } from './prepare.ts';
import { type BulkRecord, type BulkTransferState, isFinal, isIndividualFinal } from './state.ts';

export function decideIndividualReported(
  state: BulkTransferState,
  cmd: IndividualReported,
  ctx: DecideContext,
): BulkDecision {
  if (state.phase === 'absent') return ignore('report for an unknown bulk');
  const entry = state.individuals[cmd.transferId];
  if (entry === undefined) return ignore('report for an individual of another bulk');
  if (isIndividualFinal(entry)) return ignore('individual already final');
  if (entry.status === cmd.outcome.state) return ignore('individual already in this state');
  const step = advance(
    state,
    {
      events: [{ type: 'IndividualChanged', transferId: cmd.transferId, outcome: cmd.outcome }],
      effects: [],
    },
    ctx,
  );
  return { ...step, reply: { kind: 'accepted' } };
}

type PayeeAnswer = FulfilBulkTransfer | RejectBulkTransfer;

/** The checks a payee's answer passes before it is applied, or the decision that refuses it. */
function checkAnswer(
  state: BulkTransferState,
  cmd: PayeeAnswer,
  ctx: DecideContext,
): BulkDecision | BulkRecord {
  const id = `answer/${ctx.nowMs}`;
  if (state.phase === 'absent') {
    return refuse(cmd.source, ctx.actorId, fspiopError(FspiopCode.BULK_TRANSFER_ID_NOT_FOUND), id);
  }
  const validation = (detail: string) => fspiopError(FspiopCode.GENERIC_VALIDATION_ERROR, detail);
  if (cmd.source !== state.terms.payeeFsp) {
    return refuse(
      cmd.source,
      ctx.actorId,
      validation('FSPIOP-Source does not match payee fsp'),
      id,
    );
  }
  if (cmd.destination !== undefined && cmd.destination !== state.terms.payerFsp) {
    return refuse(
      cmd.source,
      ctx.actorId,
      validation('FSPIOP-Destination does not match payer fsp'),
      id,
    );
  }
  if (state.answerHash !== undefined) {
    if (state.answerHash !== cmd.requestHash) {
      return refuse(cmd.source, ctx.actorId, fspiopError(FspiopCode.MODIFIED_REQUEST), id);
    }
    if (!isFinal(state.phase)) return ignore('duplicate answer in flight');
    return {
      events: [],
      effects: [finalAnswer(state, cmd.source, `${id}/duplicate`)],
      reply: ignored,
    };
  }
  if (state.phase !== 'ACCEPTED' || ctx.nowMs >= state.terms.expiresAtMs) {
    const expired = state.phase === 'EXPIRED' || ctx.nowMs >= state.terms.expiresAtMs;
    const error = expired
      ? fspiopError(FspiopCode.TRANSFER_EXPIRED)
      : validation(`bulk transfer is ${state.phase}, not ACCEPTED`);
    return refuse(cmd.source, ctx.actorId, error, id);
  }
  return state;
}

const ignored = { kind: 'ignored', reason: 'duplicate answer' } as const;

function refuse(to: string, bulkTransferId: string, error: FspiopError, id: string): BulkDecision {
  return {
    events: [],
    effects: [hubError(to, bulkTransferId, error, id)],
    reply: { kind: 'rejected', error },
  };
}

export function decideFulfilBulk(
  state: BulkTransferState,
  cmd: FulfilBulkTransfer,
  ctx: DecideContext,
): BulkDecision {
  const checked = checkAnswer(state, cmd, ctx);
  if (!('terms' in checked)) return checked;
  const results = new Map(cmd.results.map((result) => [result.transferId, result]));
  const declined = cmd.bulkTransferState === 'REJECTED';
  const effects = reservedIds(checked).map((transferId) =>
    answerIndividual(checked, transferId, declined ? undefined : results.get(transferId), cmd),
  );
  return applied(state, cmd.requestHash, effects, ctx);
}

export function decideRejectBulk(
  state: BulkTransferState,
  cmd: RejectBulkTransfer,
  ctx: DecideContext,
): BulkDecision {
  const checked = checkAnswer(state, cmd, ctx);
  if (!('terms' in checked)) return checked;
  const effects = reservedIds(checked).map((transferId) =>
    rejectIndividual(checked, transferId, cmd.errorInformation, cmd.requestHash),
  );
  return applied(state, cmd.requestHash, effects, ctx, cmd.errorInformation);
}

function applied(
  state: BulkTransferState,
  answerHash: string,
  effects: Effect[],
  ctx: DecideContext,
  error?: FspiopError,
): BulkDecision {
  const answered = { type: 'BulkAnswered' as const, answerHash, ...(error ? { error } : {}) };
  const step = advance(state, { events: [answered], effects }, ctx);
  return { ...step, reply: { kind: 'accepted' } };
}

function reservedIds(bulk: BulkRecord): string[] {
  return bulk.order.filter((id) => bulk.individuals[id]?.status === 'RESERVED');
}

const NO_RESULT = "no fulfilment for the individual transfer in the payee's answer";

function answerIndividual(
  bulk: BulkRecord,
  transferId: string,
  result: IndividualTransferResult | undefined,
  cmd: FulfilBulkTransfer,
): Effect {
  if (result?.fulfilment === undefined) {
    const error =
      result?.errorInformation ?? fspiopError(FspiopCode.GENERIC_VALIDATION_ERROR, NO_RESULT);
    return rejectIndividual(bulk, transferId, error, cmd.requestHash);
  }
  const command: FulfilTransfer = {
    kind: 'FulfilTransfer',
    transferId,
    source: bulk.terms.payeeFsp,
    destination: bulk.terms.payerFsp,
    requestHash: `bulk:${cmd.requestHash}`,
    version: '1.1',
    transferState: 'COMMITTED',
    fulfilment: result.fulfilment,
    ...(cmd.completedTimestamp === undefined ? {} : { completedTimestamp: cmd.completedTimestamp }),
    ...(result.extensionList === undefined ? {} : { extensionList: result.extensionList }),
    relay: { headers: {}, body: '' },
  };
  return toTransfer(transferId, command);
}

export function rejectIndividual(
  bulk: BulkRecord,
  transferId: string,
  error: FspiopError,
  hash: string,
): Effect {
  const command: RejectTransfer = {
    kind: 'RejectTransfer',
    transferId,
    source: bulk.terms.payeeFsp,
    destination: bulk.terms.payerFsp,
    requestHash: `bulk:${hash}`,
    errorInformation: error,
    relay: { headers: {}, body: '' },
  };
  return toTransfer(transferId, command);
}

function toTransfer(transferId: string, command: FulfilTransfer | RejectTransfer): Effect {
  return { kind: 'send', to: { type: TRANSFER_ACTOR_TYPE, key: transferId }, command };
}
