// FulfilTransfer (PUT /transfers/{ID} from the payee), in the order of §3.3: ignored forms,
// header routing check, duplicate check, phase, expiry, then sha256(fulfilment) == condition.
// COMMITTED ⇒ relay the payee's PUT to the payer (and a hub copy to the payee when configured);
// RESERVED ⇒ hub PUT COMMITTED to the payer and PATCH to the payee. The position commands are
// sent in the same step as the callbacks: they are durable effects of a durable state.

import { createHash } from 'node:crypto';
import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext } from '../actor.ts';
import { abortReserved } from './abort.ts';
import { hubPatch, hubPut, relayToPayer } from './callbacks.ts';
import {
  answerDuplicate,
  callbackEffect,
  ignore,
  refuse,
  sameFsp,
  type TransferDecision,
  toParticipant,
} from './decision.ts';
import { expireNow } from './expiry.ts';
import type { FulfilTransfer } from './messages.ts';
import type { KnownTransfer, TransferState } from './state.ts';

type Reserved = Extract<KnownTransfer, { phase: 'reserved' }>;

export function decideFulfil(
  state: TransferState,
  cmd: FulfilTransfer,
  ctx: DecideContext,
): TransferDecision {
  const id = `fulfil/${ctx.nowMs}`;
  if (state.phase === 'absent') {
    return refuse(cmd, fspiopError(FspiopCode.TRANSFER_ID_NOT_FOUND), id);
  }
  // The reference ignores ABORTED in a PUT (use PUT …/error) and RESERVED in a 1.0 PUT.
  if (cmd.transferState === 'ABORTED') return ignore('ABORTED is not a fulfil; use PUT /error');
  if (cmd.transferState === 'RESERVED' && cmd.version === '1.0') {
    return ignore('RESERVED fulfil is not part of API 1.0');
  }
  if (state.hub || cmd.transferState === 'RECEIVED') {
    const detail = state.hub
      ? 'hub transfers are not fulfilled over FSPIOP'
      : 'invalid transferState';
    return refuse(cmd, fspiopError(FspiopCode.GENERIC_VALIDATION_ERROR, detail), id);
  }
  const mismatch = headerMismatch(state, cmd);
  if (mismatch) {
    if (state.phase !== 'reserved') return refuse(cmd, mismatch, id);
    return abortReserved(state, ctx, {
      error: mismatch,
      id,
      payee: isReserve(cmd) ? { kind: 'patch' } : { kind: 'none' },
    });
  }
  if (state.fulfilHash !== undefined) {
    return answerDuplicate(state, state.fulfilHash === cmd.requestHash, cmd, id);
  }
  if (state.phase !== 'reserved') return notReserved(state, cmd, id);
  if (ctx.nowMs >= state.terms.expiresAtMs) return expireNow(state, ctx, id, cmd.requestHash);
  if (!fulfils(cmd.fulfilment, state.terms.condition)) {
    const error = fspiopError(FspiopCode.GENERIC_VALIDATION_ERROR, 'invalid fulfilment');
    return abortReserved(state, ctx, {
      error,
      id,
      payee: isReserve(cmd) ? { kind: 'patch' } : { kind: 'error' },
      fulfilHash: cmd.requestHash,
    });
  }
  return commit(state, cmd, ctx, id);
}

/** True when base64url(sha256(fulfilment)) equals the condition and the pre-image is 32 bytes. */
export function fulfils(fulfilment: string | undefined, condition: string): boolean {
  if (fulfilment === undefined) return false;
  const preimage = Buffer.from(fulfilment, 'base64url');
  if (preimage.length !== 32) return false;
  return createHash('sha256').update(preimage).digest('base64url') === condition;
}

function isReserve(cmd: FulfilTransfer): boolean {
  return cmd.transferState === 'RESERVED';
}

function headerMismatch(state: KnownTransfer, cmd: FulfilTransfer) {
  if (!sameFsp(cmd.source, state.terms.payeeFsp)) {
    return fspiopError(
      FspiopCode.GENERIC_VALIDATION_ERROR,
      'FSPIOP-Source does not match payee fsp on the Fulfil callback response',
    );
  }
  if (cmd.destination !== undefined && !sameFsp(cmd.destination, state.terms.payerFsp)) {
    return fspiopError(
      FspiopCode.GENERIC_VALIDATION_ERROR,
      'FSPIOP-Destination does not match payer fsp on the Fulfil callback response',
    );
  }
  return undefined;
}

function notReserved(state: KnownTransfer, cmd: FulfilTransfer, id: string): TransferDecision {
  const expired = state.phase === 'aborted' && state.reason.startsWith('EXPIRED');
  const error = expired
    ? fspiopError(FspiopCode.TRANSFER_EXPIRED)
    : fspiopError(FspiopCode.GENERIC_VALIDATION_ERROR, 'non-RESERVED transfer state');
  return refuse(cmd, error, id);
}

function commit(
  state: Reserved,
  cmd: FulfilTransfer,
  ctx: DecideContext,
  id: string,
): TransferDecision {
  const { transferId, payerFsp, payeeFsp, currency, amountMinor } = state.terms;
  const completedTimestamp = cmd.completedTimestamp ?? formatDateTime(ctx.nowMs);
  const committed = { transferState: 'COMMITTED', completedTimestamp, fulfilment: cmd.fulfilment };
  const callbacks = isReserve(cmd)
    ? [
        // Both are the hub's own messages, in the hub's configured version (ml-api-adapter's
        // RESERVE notification is sent with FSPIOP-Source = hub through transformHeaders).
        hubPut(payerFsp, transferId, committed, `${id}/payer`),
        hubPatch(
          payeeFsp,
          transferId,
          { completedTimestamp, transferState: 'COMMITTED' },
          `${id}/patch`,
        ),
      ]
    : [
        relayToPayer('fulfil', payerFsp, transferId, cmd.relay),
        ...(ctx.hub.confirmToPayee && payerFsp !== payeeFsp
          ? [hubPut(payeeFsp, transferId, committed, `${id}/payee`)]
          : []),
      ];
  return {
    events: [
      {
        type: 'TransferCommitted',
        completedTimestamp,
        fulfilHash: cmd.requestHash,
        ...(cmd.fulfilment === undefined ? {} : { fulfilment: cmd.fulfilment }),
      },
    ],
    effects: [
      toParticipant(payerFsp, { kind: 'CommitReservation', transferId }),
      toParticipant(payeeFsp, { kind: 'CreditPosition', transferId, currency, amountMinor }),
      ...callbacks.map(callbackEffect),
    ],
    reply: { kind: 'accepted' },
  };
}
