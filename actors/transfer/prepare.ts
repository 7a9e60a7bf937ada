// PrepareTransfer (POST /transfers): duplicate check first, then the validation of §3.2 in the
// reference order, then a reservation request to the payer's Participant actor. Payer checks
// (exists, active, account in the currency, liquidity, NDC) happen there because that actor owns
// the payer's data; the payee's directory facts were stamped on the command by the gateway.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { FspiopCode, type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext } from '../actor.ts';
import { interchangeFees } from '../settlement-model/interchange-fee.ts';
import { hubError } from './callbacks.ts';
import {
  answerDuplicate,
  callbackEffect,
  type TransferDecision,
  toParticipant,
} from './decision.ts';
import type { PrepareTransfer } from './messages.ts';
import type { TransferState, TransferTerms } from './state.ts';

/** base64url of 32 bytes without padding. */
const CONDITION_LENGTH = 43;

export function decidePrepare(
  state: TransferState,
  cmd: PrepareTransfer,
  ctx: DecideContext,
): TransferDecision {
  if (state.phase !== 'absent') {
    return answerDuplicate(
      state,
      state.prepareHash === cmd.requestHash,
      cmd,
      `prepare/${ctx.nowMs}`,
    );
  }
  const terms = termsOf(cmd);
  const failure = validatePrepare(cmd, ctx);
  if (failure) {
    const error = fspiopError(FspiopCode.GENERIC_VALIDATION_ERROR, failure);
    return invalid(cmd, terms, error, ctx);
  }
  return {
    events: [{ type: 'TransferPrepared', terms, prepareHash: cmd.requestHash, relay: cmd.relay }],
    effects: [
      toParticipant(cmd.payerFsp, {
        kind: 'ReserveFunds',
        transferId: cmd.transferId,
        payerFsp: cmd.payerFsp,
        payeeFsp: cmd.payeeFsp,
        currency: cmd.currency,
        amountMinor: cmd.amountMinor,
        ...interchangeFeeOf(cmd),
      }),
    ],
    reply: { kind: 'accepted' },
  };
}

/** The first failing rule of §3.2 that this actor can check, as the reason text. */
export function validatePrepare(cmd: PrepareTransfer, ctx: DecideContext): string | undefined {
  if (cmd.source !== cmd.payerFsp) return 'FSPIOP-Source header should match Payer';
  if (cmd.amountMinor <= 0n) return 'Amount must be greater than zero';
  if (cmd.payee === null) return `Participant ${cmd.payeeFsp} not found`;
  if (!cmd.payee.isActive) return `Participant ${cmd.payeeFsp} is inactive`;
  if (cmd.condition.length !== CONDITION_LENGTH) return 'Condition must be 32 bytes';
  if (cmd.expiresAtMs <= ctx.nowMs) {
    return `Expiration date ${formatDateTime(cmd.expiresAtMs)} is already in the past`;
  }
  if (cmd.payerFsp === cmd.payeeFsp && !ctx.hub.onUsTransfers) {
    return 'Payer FSP and Payee FSP should be different, unless on-us tranfers are allowed by the Scheme';
  }
  if (!cmd.payee.positionAccountActive) {
    // central-ledger's wording (src/handlers/transfers/validator.js); the Active_Inactive
    // collections look for "account is inactive".
    const state = cmd.payee.positionAccountExists ? 'is inactive' : 'not found';
    return `Participant ${cmd.payeeFsp} ${cmd.currency} account ${state}`;
  }
  return undefined;
}

/** The interchange fee the payer owes the payee on this transfer, if a fee rule applies. */
function interchangeFeeOf(cmd: PrepareTransfer): { interchangeFeeMinor?: bigint } {
  if (cmd.transaction === undefined) return {};
  const fees = interchangeFees(cmd.transaction, cmd.amountMinor, cmd.currency);
  const total = fees.reduce((sum, fee) => sum + fee.amountMinor, 0n);
  return total > 0n ? { interchangeFeeMinor: total } : {};
}

function termsOf(cmd: PrepareTransfer): TransferTerms {
  const terms = {
    transferId: cmd.transferId,
    payerFsp: cmd.payerFsp,
    payeeFsp: cmd.payeeFsp,
    currency: cmd.currency,
    amountMinor: cmd.amountMinor,
    condition: cmd.condition,
    expiresAtMs: cmd.expiresAtMs,
  };
  return {
    ...terms,
    ...(cmd.extensionList === undefined ? {} : { extensionList: cmd.extensionList }),
    ...(cmd.bulkTransferId === undefined ? {} : { bulkTransferId: cmd.bulkTransferId }),
  };
}

function invalid(
  cmd: PrepareTransfer,
  terms: TransferTerms,
  error: FspiopError,
  ctx: DecideContext,
): TransferDecision {
  return {
    events: [
      {
        type: 'TransferInvalidated',
        terms,
        prepareHash: cmd.requestHash,
        error,
        completedTimestamp: formatDateTime(ctx.nowMs),
      },
    ],
    effects: [callbackEffect(hubError(cmd.source, cmd.transferId, error, 'prepare/invalid'))],
    reply: { kind: 'rejected', error },
  };
}
