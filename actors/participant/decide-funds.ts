// Funds in and out (fspiop.md §6.1): hub transfers on the DFSP's SETTLEMENT account, mirrored on
// the hub's HUB_RECONCILIATION account by a PostHubReconciliation command to Participant(hub),
// and recorded in the Transfer actor (RecordHubTransfer) so they can be queried like transfers.
// Like central-ledger, funds in is payer = DFSP, payee = Hub; funds out is payer = Hub, payee =
// DFSP. Funds in posts at once; funds out reserves, then commits or aborts. All by transferId.

import { formatAmount } from '../../schema/money.ts';
import type { DecideContext, Effect } from '../actor.ts';
import {
  accepted,
  notFound,
  type ParticipantDecision,
  refused,
  resolve,
  sendTo,
} from './decide-common.ts';
import { type Account, accountValueMinor, canFundOut } from './ledger.ts';
import type {
  FinishFundsOut,
  PostHubReconciliation,
  RecordFundsIn,
  RecordHubTransfer,
  ReserveFundsOut,
} from './messages.ts';
import {
  accountById,
  findAccount,
  type ParticipantState,
  type RegisteredParticipant,
  recall,
  reserveKey,
} from './state.ts';

type Movement = RecordFundsIn | ReserveFundsOut;

function hubTransfer(
  movement: Pick<Movement, 'transferId' | 'reason' | 'extensionList'>,
  parties: { payerFsp: string; payeeFsp: string },
  money: { amountMinor: bigint; currency: string },
  state: RecordHubTransfer['state'],
): Effect {
  const command: RecordHubTransfer = {
    kind: 'RecordHubTransfer',
    transferId: movement.transferId,
    ...parties,
    amount: { amount: formatAmount(money.amountMinor), currency: money.currency },
    state,
    ...(movement.reason !== undefined ? { reason: movement.reason } : {}),
    ...(movement.extensionList !== undefined ? { extensionList: movement.extensionList } : {}),
  };
  return sendTo('transfer', movement.transferId, command);
}

function hubPosting(transferId: string, currency: string, amountMinor: bigint) {
  const command: PostHubReconciliation = {
    kind: 'PostHubReconciliation',
    transferId,
    currency,
    amountMinor,
  };
  return command;
}

// Sends the hub mirror as an effect and hands it back in the reply for the route to await.
function acceptedWithHub(
  events: ParticipantDecision['events'],
  effects: readonly Effect[],
  hubName: string,
  posting: PostHubReconciliation,
): ParticipantDecision {
  return {
    events,
    effects: [...effects, sendTo('participant', hubName, posting)],
    reply: { ok: true, hubPosting: posting },
  };
}

// central-ledger's checks for a funds movement, in its order, with its texts.
function settlementAccountFor(
  s: RegisteredParticipant,
  accountId: number,
  currency: string | undefined,
): Account | ParticipantDecision {
  if (!s.isActive) return refused('3100', 'Participant is currently set inactive');
  const account = accountById(s, accountId);
  if (!account || (currency !== undefined && account.currency !== currency)) {
    return refused('3100', 'The account does not match participant or currency specified');
  }
  if (!account.isActive) return refused('3100', 'Account is currently set inactive');
  if (account.ledgerAccountType !== 'SETTLEMENT') {
    return refused('3100', 'Account is not SETTLEMENT type');
  }
  return account;
}

function isAccount(value: Account | ParticipantDecision): value is Account {
  return 'ledgerAccountType' in value;
}

export function decideFundsIn(
  state: ParticipantState,
  cmd: RecordFundsIn,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notFound(ctx);
  const postingId = `fundsIn:${cmd.transferId}`;
  if (recall(state.recent, postingId)) return accepted([]);
  const account = settlementAccountFor(state, cmd.accountId, cmd.currency);
  if (!isAccount(account)) return account;
  const { hubName } = ctx.hub;
  const money = { amountMinor: cmd.amountMinor, currency: cmd.currency };
  return acceptedWithHub(
    [
      {
        type: 'BalancePosted',
        postingId,
        accountId: account.id,
        deltaMinor: -cmd.amountMinor,
        atMs: ctx.nowMs,
      },
    ],
    [hubTransfer(cmd, { payerFsp: state.name, payeeFsp: hubName }, money, 'COMMITTED')],
    hubName,
    hubPosting(cmd.transferId, cmd.currency, cmd.amountMinor),
  );
}

export function decideFundsOutReserve(
  state: ParticipantState,
  cmd: ReserveFundsOut,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notFound(ctx);
  if (state.reservations[cmd.transferId] || recall(state.recent, reserveKey(cmd.transferId))) {
    return accepted([]);
  }
  const account = settlementAccountFor(state, cmd.accountId, cmd.currency);
  if (!isAccount(account)) return account;
  if (!canFundOut(accountValueMinor(account), cmd.amountMinor)) {
    return refused('4001', `settlement balance of ${state.name} is below the funds-out amount`);
  }
  const parties = { payerFsp: ctx.hub.hubName, payeeFsp: state.name };
  const money = { amountMinor: cmd.amountMinor, currency: cmd.currency };
  return accepted(
    [
      {
        type: 'FundsReserved',
        transferId: cmd.transferId,
        accountId: account.id,
        amountMinor: cmd.amountMinor,
        purpose: 'FUNDS_OUT',
        atMs: ctx.nowMs,
      },
    ],
    [hubTransfer(cmd, parties, money, 'RESERVED')],
  );
}

export function decideFundsOutFinish(
  state: ParticipantState,
  cmd: FinishFundsOut,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notFound(ctx);
  const commit = cmd.kind === 'CommitFundsOut';
  const reservation = state.reservations[cmd.transferId];
  if (reservation?.purpose !== 'FUNDS_OUT') return finished(state, cmd, commit);
  const account = settlementAccountFor(state, cmd.accountId, undefined);
  if (!isAccount(account)) return account;
  if (account.id !== reservation.accountId) {
    return refused('3100', 'The account does not match participant or currency specified');
  }
  const { hubName } = ctx.hub;
  const money = { amountMinor: reservation.amountMinor, currency: account.currency };
  const transfer = hubTransfer(
    cmd,
    { payerFsp: hubName, payeeFsp: state.name },
    money,
    commit ? 'COMMITTED' : 'ABORTED',
  );
  const type = commit ? 'ReservationCommitted' : 'ReservationReleased';
  const events = [{ type, transferId: cmd.transferId, atMs: ctx.nowMs }] as const;
  if (!commit) return accepted(events, [transfer]);
  const posting = hubPosting(cmd.transferId, account.currency, -reservation.amountMinor);
  return acceptedWithHub(events, [transfer], hubName, posting);
}

// No reservation in flight: a repeat of the same action is accepted again, anything else refused.
function finished(s: RegisteredParticipant, cmd: FinishFundsOut, commit: boolean) {
  const outcome = recall(s.recent, reserveKey(cmd.transferId));
  if (!outcome) return refused('3208', `Transfer ${cmd.transferId} has no funds-out reservation`);
  const same = commit ? outcome.state === 'COMMITTED' : outcome.state === 'RELEASED';
  if (same) return accepted([]);
  return refused('3000', `Transfer ${cmd.transferId} is already finished`);
}

export function decideHubReconciliation(
  state: ParticipantState,
  cmd: PostHubReconciliation,
  ctx: DecideContext,
): ParticipantDecision {
  const resolved = resolve(state, ctx);
  if (!resolved) return notFound(ctx);
  const { state: s, prefix } = resolved;
  const postingId = `hub:${cmd.transferId}`;
  if (recall(s.recent, postingId)) return accepted([]);
  const account = findAccount(s, cmd.currency, 'HUB_RECONCILIATION');
  if (!account) {
    return refused('3003', 'Hub reconciliation account for the specified currency does not exist');
  }
  return accepted([
    ...prefix,
    {
      type: 'BalancePosted',
      postingId,
      accountId: account.id,
      deltaMinor: cmd.amountMinor,
      atMs: ctx.nowMs,
    },
  ]);
}
