// PrepareFxTransfer (POST /fxTransfers): duplicate check, then the prepare validation of
// fspiop.md §10 step 4 (source is the initiating FSP; the FXP is active with POSITION accounts in
// both currencies; condition; expiry), then a reservation of the SOURCE amount on the payer's
// position, answered to this actor (replyTo). The determining transfer hears of the conversion
// at once (PENDING), so a dependent POST /transfers sent too early is refused, not misrouted.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext } from '../actor.ts';
import { FX_TRANSFER_ACTOR_TYPE } from '../contracts/transfer-fx.ts';
import { fxLedgerId, type ReserveFunds } from '../participant/messages.ts';
import type { FundsReserved, ReservationRejected } from '../transfer/messages.ts';
import {
  answerDuplicate,
  type FxDecision,
  forwardPrepare,
  hubError,
  ignore,
  linkTransfer,
  releasePayer,
  toParticipant,
} from './callbacks.ts';
import type { PrepareFxTransfer } from './messages.ts';
import type { FxTerms, FxTransferState } from './state.ts';

const CONDITION_LENGTH = 43;

export function decidePrepareFx(
  state: FxTransferState,
  cmd: PrepareFxTransfer,
  ctx: DecideContext,
): FxDecision {
  if (state.phase !== 'absent') {
    const sameHash = state.prepareHash === cmd.requestHash;
    return answerDuplicate(state, sameHash, cmd.source, `prepare/${ctx.nowMs}`);
  }
  const terms = termsOf(cmd);
  const failure = validateFxPrepare(cmd, ctx);
  if (failure) return invalid(cmd, terms, fspiopError('3100', failure), ctx);
  const reserve: ReserveFunds = {
    kind: 'ReserveFunds',
    transferId: cmd.commitRequestId,
    ledgerId: fxLedgerId(cmd.commitRequestId),
    payerFsp: cmd.payerFsp,
    payeeFsp: cmd.fxpFsp,
    currency: cmd.sourceCurrency,
    amountMinor: cmd.sourceAmountMinor,
    replyTo: FX_TRANSFER_ACTOR_TYPE,
  };
  return {
    events: [{ type: 'FxTransferPrepared', terms, prepareHash: cmd.requestHash, relay: cmd.relay }],
    effects: [linkTransfer(terms, 'PENDING'), toParticipant(cmd.payerFsp, reserve)],
    reply: { kind: 'accepted' },
  };
}

/** The first failing prepare rule, as the reason text of a 3100. */
export function validateFxPrepare(cmd: PrepareFxTransfer, ctx: DecideContext): string | undefined {
  if (cmd.source !== cmd.payerFsp) return 'FSPIOP-Source header should match initiatingFsp';
  if (cmd.determiningTransferId === '') {
    return 'determiningTransferId is required: only payer-DFSP conversion is supported';
  }
  if (cmd.sourceAmountMinor <= 0n || cmd.targetAmountMinor <= 0n) {
    return 'Amounts must be greater than zero';
  }
  if (cmd.sourceCurrency === cmd.targetCurrency) {
    return 'sourceAmount and targetAmount must be in different currencies';
  }
  if (cmd.payerFsp === cmd.fxpFsp) return 'initiatingFsp and counterPartyFsp must differ';
  if (cmd.fxp === null) return `Participant ${cmd.fxpFsp} not found`;
  if (!cmd.fxp.isActive) return `Participant ${cmd.fxpFsp} is inactive`;
  if (!cmd.fxp.sourceAccountActive) {
    return `Participant ${cmd.fxpFsp} ${cmd.sourceCurrency} account not found or inactive`;
  }
  if (!cmd.fxp.targetAccountActive) {
    return `Participant ${cmd.fxpFsp} ${cmd.targetCurrency} account not found or inactive`;
  }
  if (cmd.condition.length !== CONDITION_LENGTH) return 'Condition must be 32 bytes';
  if (cmd.expiresAtMs <= ctx.nowMs) {
    return `Expiration date ${formatDateTime(cmd.expiresAtMs)} is already in the past`;
  }
  return undefined;
}

function termsOf(cmd: PrepareFxTransfer): FxTerms {
  return {
    commitRequestId: cmd.commitRequestId,
    determiningTransferId: cmd.determiningTransferId,
    payerFsp: cmd.payerFsp,
    fxpFsp: cmd.fxpFsp,
    sourceCurrency: cmd.sourceCurrency,
    sourceAmountMinor: cmd.sourceAmountMinor,
    targetCurrency: cmd.targetCurrency,
    targetAmountMinor: cmd.targetAmountMinor,
    condition: cmd.condition,
    expiresAtMs: cmd.expiresAtMs,
  };
}

function invalid(
  cmd: PrepareFxTransfer,
  terms: FxTerms,
  error: FspiopError,
  ctx: DecideContext,
): FxDecision {
  return {
    events: [
      {
        type: 'FxTransferInvalidated',
        terms,
        prepareHash: cmd.requestHash,
        error,
        completedTimestamp: formatDateTime(ctx.nowMs),
      },
    ],
    effects: [hubError(cmd.source, cmd.commitRequestId, error, 'prepare/invalid')],
    reply: { kind: 'rejected', error },
  };
}

/** The payer's position is reserved: forward the POST to the FXP. */
export function decideFxFundsReserved(state: FxTransferState, _cmd: FundsReserved): FxDecision {
  if (state.phase === 'received') {
    return {
      events: [{ type: 'FxTransferReserved' }],
      effects: [forwardPrepare(state.terms, state.relay)],
      reply: { kind: 'accepted' },
    };
  }
  // Aborted while the reservation was on its way (expired, or its transfer refused it).
  if (state.phase === 'aborted') {
    return {
      events: [],
      effects: [releasePayer(state.terms)],
      reply: { kind: 'ignored', reason: 'conversion already aborted; reservation released' },
    };
  }
  return ignore(`reservation for a conversion in phase ${state.phase}`);
}

/** 4001, 4200 or a payer check failed: abort, tell the payer and the determining transfer. */
export function decideFxReservationRejected(
  state: FxTransferState,
  cmd: ReservationRejected,
  ctx: DecideContext,
): FxDecision {
  if (state.phase !== 'received') return ignore(`rejection in phase ${state.phase}`);
  return {
    events: [
      {
        type: 'FxTransferAborted',
        reason: 'ABORTED_REJECTED',
        error: cmd.error,
        completedTimestamp: formatDateTime(ctx.nowMs),
      },
    ],
    effects: [
      hubError(state.terms.payerFsp, state.terms.commitRequestId, cmd.error, 'rejected'),
      linkTransfer(state.terms, 'ABORTED'),
    ],
    reply: { kind: 'rejected', error: cmd.error },
  };
}
