// The position checks of a transfer, serialised per DFSP because they run inside its actor:
// reserve on the payer (fspiop.md §0.5: 4001 before 4200), commit or release that reservation,
// credit the payee. All four are idempotent by transferId; only ReserveFunds answers, and it
// answers the Transfer actor with a message rather than a reply (the sender is an actor).
// The ledger entries are keyed by ledgerKeyOf(cmd) (a conversion's live under fx:<id>, apart
// from any transfer's); the answer names the transferId, for the actor that asked.

import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import { type DecideContext, invariant } from '../actor.ts';
import { nothing, type ParticipantDecision, sendTo } from './decide-common.ts';
import { settleOnCommit, settleOnCredit } from './decide-settlement.ts';
import { accountValueMinor, checkLiquidity } from './ledger.ts';
import type {
  CommitReservation,
  CreditPosition,
  FundsReservedReply,
  Notify,
  ReleaseReservation,
  ReservationRejectedReply,
  ReserveFunds,
} from './messages.ts';
import { ledgerKeyOf } from './messages.ts';
import {
  findAccount,
  type ParticipantState,
  type RegisteredParticipant,
  recall,
  reserveKey,
} from './state.ts';

const TRANSFER = 'transfer';

function answer(
  cmd: Pick<ReserveFunds, 'transferId' | 'replyTo'>,
  error?: FspiopError,
): ParticipantDecision['effects'][number] {
  const { transferId } = cmd;
  const command: FundsReservedReply | ReservationRejectedReply = error
    ? { kind: 'ReservationRejected', transferId, error }
    : { kind: 'FundsReserved', transferId };
  return sendTo(cmd.replyTo ?? TRANSFER, transferId, command);
}

export function decideReserve(
  state: ParticipantState,
  cmd: ReserveFunds,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') {
    const error = fspiopError('3100', `Participant ${ctx.actorId} not found`);
    return { events: [], effects: [answer(cmd, error)], reply: undefined };
  }
  const repeated = repeatOutcome(state, cmd);
  if (repeated) return repeated;
  const error = reserveError(state, cmd);
  if (error) {
    return {
      events: [{ type: 'ReservationRejected', transferId: ledgerKeyOf(cmd), error }],
      effects: [answer(cmd, error)],
      reply: undefined,
    };
  }
  const position = findAccount(state, cmd.currency, 'POSITION');
  invariant(position, 'position account checked above');
  return {
    events: [
      {
        type: 'FundsReserved',
        transferId: ledgerKeyOf(cmd),
        accountId: position.id,
        amountMinor: cmd.amountMinor,
        purpose: 'TRANSFER',
        payeeFsp: cmd.payeeFsp,
        ...(cmd.interchangeFeeMinor === undefined
          ? {}
          : { interchangeFeeMinor: cmd.interchangeFeeMinor }),
        atMs: ctx.nowMs,
      },
    ],
    effects: [answer(cmd)],
    reply: undefined,
  };
}

// A redelivered ReserveFunds answers what the first one answered, and reserves nothing more.
function repeatOutcome(
  state: RegisteredParticipant,
  cmd: ReserveFunds,
): ParticipantDecision | undefined {
  const key = ledgerKeyOf(cmd);
  if (state.reservations[key]) {
    return { events: [], effects: [answer(cmd)], reply: undefined };
  }
  const outcome = recall(state.recent, reserveKey(key));
  if (!outcome) return undefined;
  const error = outcome.state === 'REJECTED' ? outcome.error : undefined;
  return { events: [], effects: [answer(cmd, error)], reply: undefined };
}

function reserveError(state: RegisteredParticipant, cmd: ReserveFunds): FspiopError | undefined {
  const name = state.name;
  if (!state.isActive) return fspiopError('3100', `Participant ${name} is inactive`);
  const position = findAccount(state, cmd.currency, 'POSITION');
  if (!position)
    return fspiopError('3100', `Participant ${name} ${cmd.currency} account not found`);
  if (!position.isActive) {
    return fspiopError('3100', `Participant ${name} ${cmd.currency} account is inactive`);
  }
  const settlement = findAccount(state, cmd.currency, 'SETTLEMENT');
  const verdict = checkLiquidity({
    positionMinor: accountValueMinor(position),
    settlementMinor: settlement ? accountValueMinor(settlement) : 0n,
    netDebitCapMinor: state.limits[cmd.currency]?.valueMinor ?? 0n,
    amountMinor: cmd.amountMinor,
  });
  if (verdict === 'INSUFFICIENT_LIQUIDITY') return fspiopError('4001');
  if (verdict === 'LIMIT_EXCEEDED') return fspiopError('4200');
  return undefined;
}

export function decideFinishReservation(
  state: ParticipantState,
  cmd: CommitReservation | ReleaseReservation,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notified(cmd);
  const key = ledgerKeyOf(cmd);
  const reservation = state.reservations[key];
  // Already finished, rejected, or never reserved here: nothing to move.
  if (reservation?.purpose !== 'TRANSFER') return notified(cmd);
  const type = cmd.kind === 'CommitReservation' ? 'ReservationCommitted' : 'ReservationReleased';
  const settled =
    type === 'ReservationCommitted'
      ? settleOnCommit(state, key, reservation, ctx)
      : { events: [], effects: [] };
  return {
    events: [{ type, transferId: key, atMs: ctx.nowMs }, ...settled.events],
    effects: [...settled.effects, ...notifyEffects(cmd)],
    reply: undefined,
  };
}

export function decideCredit(
  state: ParticipantState,
  cmd: CreditPosition,
  ctx: DecideContext,
): ParticipantDecision {
  invariant(state.phase === 'registered', `credit ${cmd.transferId} to unknown ${ctx.actorId}`);
  const key = ledgerKeyOf(cmd);
  const postingId = `credit:${key}`;
  if (recall(state.recent, postingId)) return notified(cmd);
  const position = findAccount(state, cmd.currency, 'POSITION');
  // The transfer was validated against this account; a committed payer without a credited
  // payee would break conservation, so a missing account is a bug that must stop the partition.
  invariant(position, `payee ${state.name} has no ${cmd.currency} position account`);
  invariant(cmd.amountMinor > 0n, 'a credit is positive');
  return {
    events: [
      {
        type: 'BalancePosted',
        postingId,
        accountId: position.id,
        deltaMinor: -cmd.amountMinor,
        atMs: ctx.nowMs,
      },
      ...settleOnCredit(state, key, position, cmd.amountMinor, ctx),
    ],
    effects: notifyEffects(cmd),
    reply: undefined,
  };
}

/** The callbacks a posting carries (Notify), sent whether or not it moved money this time. */
function notifyEffects(cmd: Notify): ParticipantDecision['effects'] {
  return (cmd.notify ?? []).map((callback) => ({ kind: 'callback', callback }));
}

function notified(cmd: Notify): ParticipantDecision {
  const effects = notifyEffects(cmd);
  return effects.length === 0 ? nothing : { events: [], effects, reply: undefined };
}
