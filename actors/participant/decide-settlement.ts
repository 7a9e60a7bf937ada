// Settlement in the Participant actor: the models that apply to it, the window its commits land
// in, the nets it records there, continuous gross settlement, and settlement transfers. The
// window of a commit is decided here, with the commit (see actors/settlement-window/actor.ts).

import { type DecideContext, type Effect, invariant } from '../actor.ts';
import type { PostSettlementTransfer } from '../contracts/settlement-participant.ts';
import {
  type CloseParticipantWindow,
  type JoinSettlementWindows,
  type ParticipantWindowClosed,
  settlementWindowRef,
} from '../contracts/window-participant.ts';
import { accountTypesFor, isGrossSettled, modelsFor } from '../settlement-model/rules.ts';
import { accepted, isHub, notFound, nothing, type ParticipantDecision } from './decide-common.ts';
import { type Account, accountValueMinor } from './ledger.ts';
import type { ParticipantEvent } from './messages.ts';
import type { ApplySettlementModels, CreditInterchangeFee } from './settlement-messages.ts';
import {
  accountIdFor,
  accountList,
  findAccount,
  type ParticipantState,
  type RegisteredParticipant,
  type Reservation,
  recall,
} from './state.ts';

const PARTICIPANT = 'participant';

export function decideApplySettlementModels(
  state: ParticipantState,
  cmd: ApplySettlementModels,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notFound(ctx);
  const currencies = [...new Set(accountList(state).map((a) => a.currency))];
  const accounts = missingAccounts(state, cmd, currencies, ctx.nowMs);
  const grossCurrencies = currencies.filter((c) => isGrossSettled(cmd.models, c)).sort();
  const feeCurrencies = currencies
    .filter((c) => modelsFor(cmd.models, c, 'INTERCHANGE_FEE').length > 0)
    .sort();
  // Joins while it holds no window: not only on its first models, since a commit as payer before
  // them (a participant from before windows existed, or one whose models failed to apply at
  // registration) already created its settlement state, with nets that belong to that window.
  const joins = state.settlement?.windowId === undefined && !isHub(ctx);
  const events: ParticipantEvent[] = [];
  if (accounts.length > 0) events.push({ type: 'AccountsOpened', accounts });
  events.push({
    type: 'SettlementTermsSet',
    grossCurrencies,
    feeCurrencies,
    ...(joins ? { windowId: cmd.settlementWindowId } : {}),
  });
  const join: JoinSettlementWindows = {
    kind: 'JoinSettlementWindows',
    participant: state.name,
    windowId: cmd.settlementWindowId,
  };
  const effects = joins ? [{ kind: 'send' as const, to: settlementWindowRef, command: join }] : [];
  return accepted(events, effects);
}

// Accounts the models call for that the participant lacks (models created after it): active.
function missingAccounts(
  s: RegisteredParticipant,
  cmd: ApplySettlementModels,
  currencies: readonly string[],
  nowMs: number,
): Account[] {
  const opened: Account[] = [];
  for (const currency of currencies) {
    for (const ledgerAccountType of accountTypesFor(cmd.models, currency)) {
      if (findAccount(s, currency, ledgerAccountType)) continue;
      if (ledgerAccountType.startsWith('HUB_')) continue;
      opened.push({
        id: accountIdFor(s.participantId, s.accountSeq + opened.length + 1),
        ledgerAccountType,
        currency,
        isActive: true,
        postedMinor: 0n,
        reservedMinor: 0n,
        createdAtMs: nowMs,
        changedAtMs: nowMs,
      });
    }
  }
  return opened;
}

export function decideCloseWindow(
  state: ParticipantState,
  cmd: CloseParticipantWindow,
): ParticipantDecision {
  const windowId = state.phase === 'registered' ? state.settlement?.windowId : undefined;
  // Already past this window (a repeated close), or never joined: nothing recorded to report.
  if (state.phase === 'absent' || windowId === undefined || windowId > cmd.windowId) return nothing;
  const report: ParticipantWindowClosed = {
    kind: 'ParticipantWindowClosed',
    participant: state.name,
    windowId,
    nets: state.settlement?.nets ?? {},
  };
  return {
    events: [{ type: 'WindowMoved', windowId: cmd.nextWindowId }],
    effects: [{ kind: 'send', to: settlementWindowRef, command: report }],
    reply: undefined,
  };
}

type Settled = { readonly events: ParticipantEvent[]; readonly effects: Effect[] };

/**
 * What a payer's commit adds: gross settlement at once (IMMEDIATE GROSS currency), or its net in
 * the open window; and the transfer's interchange fee when a fee model covers the currency.
 *
 * Mixed terms are not repaired here, on purpose. The payer records both sides of a net, so each
 * window sums to zero; each side decides gross or net from the models it was last given. Models
 * are hub-wide, so the sides differ only while a POSITION model change is applied participant by
 * participant, or after applying it to one failed. A commit then leaves a gross payer's payee
 * credited in no window (nothing resets it), or a gross payee settled at once and again in the
 * payer's window. The payer cannot know the payee's terms, and a payee-only net would not sum
 * to zero; the cure is the operator procedure in README.md (the IMMEDIATE GROSS paragraph of the
 * settlement API), pinned by tests/unit/settlement-participant.test.ts.
 */
export function settleOnCommit(
  s: RegisteredParticipant,
  transferId: string,
  reservation: Reservation,
  ctx: DecideContext,
): Settled {
  const position = s.accounts[String(reservation.accountId)];
  invariant(position, `reservation ${transferId} names no account`);
  const { currency } = position;
  if (s.settlement?.grossCurrencies.includes(currency)) {
    return {
      events: grossSettle(s, transferId, position, reservation.amountMinor, ctx),
      effects: [],
    };
  }
  const payee = reservation.payeeFsp;
  // A reservation from before windows existed (snapshots of the previous release) names no
  // payee, and the payee was already credited: halting here would halt the partition after the
  // money moved. The commit stands and leaves the window out entirely, so every window still
  // sums to zero (a payer-only net would not); the amount is kept in the state as unattributed
  // per currency, for the operator to settle by hand. Such a reservation carries no fee.
  if (payee === undefined) {
    const unattributed: ParticipantEvent = {
      type: 'WindowNetUnattributed',
      transferId,
      currency,
      amountMinor: reservation.amountMinor,
    };
    return { events: [unattributed], effects: [] };
  }
  const net = { type: 'WindowNetRecorded' as const, currency, payee };
  const events: ParticipantEvent[] = [
    { ...net, ledgerAccountType: 'POSITION', amountMinor: reservation.amountMinor },
  ];
  const fee = reservation.interchangeFeeMinor;
  const feeAccount = findAccount(s, currency, 'INTERCHANGE_FEE');
  if (!fee || !feeAccount || !s.settlement?.feeCurrencies?.includes(currency)) {
    return { events, effects: [] };
  }
  events.push(
    { ...net, ledgerAccountType: 'INTERCHANGE_FEE', amountMinor: fee },
    feePosting(transferId, feeAccount, fee, ctx),
  );
  const credit: CreditInterchangeFee = {
    kind: 'CreditInterchangeFee',
    transferId,
    currency,
    amountMinor: fee,
  };
  return {
    events,
    effects: [{ kind: 'send', to: { type: PARTICIPANT, key: payee }, command: credit }],
  };
}

function feePosting(
  transferId: string,
  account: Account,
  deltaMinor: bigint,
  ctx: DecideContext,
): ParticipantEvent {
  return {
    type: 'BalancePosted',
    postingId: `fee:${transferId}`,
    accountId: account.id,
    deltaMinor,
    atMs: ctx.nowMs,
  };
}

/** The payee's side of an interchange fee: its INTERCHANGE_FEE account is owed the fee. */
export function decideCreditInterchangeFee(
  state: ParticipantState,
  cmd: CreditInterchangeFee,
  ctx: DecideContext,
): ParticipantDecision {
  invariant(state.phase === 'registered', `fee credit to unknown ${ctx.actorId}`);
  if (recall(state.recent, `fee:${cmd.transferId}`)) return nothing;
  const found = findAccount(state, cmd.currency, 'INTERCHANGE_FEE');
  // The payer books a fee only under a fee model, which opens this account on every participant;
  // but the gateway applies a new model to participants one at a time, so a fee credit can reach
  // this payee first. The payer's side is already booked: open the account here, never halt.
  const account = found ?? {
    id: accountIdFor(state.participantId, state.accountSeq + 1),
    ledgerAccountType: 'INTERCHANGE_FEE' as const,
    currency: cmd.currency,
    isActive: true,
    postedMinor: 0n,
    reservedMinor: 0n,
    createdAtMs: ctx.nowMs,
    changedAtMs: ctx.nowMs,
  };
  const opened: ParticipantEvent[] = found ? [] : [{ type: 'AccountsOpened', accounts: [account] }];
  return {
    events: [...opened, feePosting(cmd.transferId, account, -cmd.amountMinor, ctx)],
    effects: [],
    reply: undefined,
  };
}

/** Events a payee's credit adds: gross settlement at once when its currency is CGS. */
export function settleOnCredit(
  s: RegisteredParticipant,
  transferId: string,
  position: Account,
  amountMinor: bigint,
  ctx: DecideContext,
): ParticipantEvent[] {
  if (!s.settlement?.grossCurrencies.includes(position.currency)) return [];
  return grossSettle(s, transferId, position, -amountMinor, ctx);
}

function grossSettle(
  s: RegisteredParticipant,
  transferId: string,
  position: Account,
  deltaMinor: bigint,
  ctx: DecideContext,
): ParticipantEvent[] {
  const settlement = findAccount(s, position.currency, 'SETTLEMENT');
  invariant(
    settlement,
    `${s.name} settles ${position.currency} gross without a SETTLEMENT account`,
  );
  return [
    {
      type: 'GrossSettled',
      transferId,
      positionAccountId: position.id,
      settlementAccountId: settlement.id,
      deltaMinor,
      atMs: ctx.nowMs,
    },
  ];
}

export function decidePostSettlementTransfer(
  state: ParticipantState,
  cmd: PostSettlementTransfer,
  ctx: DecideContext,
): ParticipantDecision {
  invariant(state.phase === 'registered', `settlement posting to unknown ${ctx.actorId}`);
  if (state.settlement?.postings.includes(cmd.postingId)) return nothing;
  const account = accountList(state).find(
    (a) => a.currency === cmd.currency && a.ledgerAccountType === cmd.ledgerAccountType,
  );
  // The settlement was created from this participant's accounts; a missing one is a bug.
  invariant(account, `${state.name} has no ${cmd.currency} ${cmd.ledgerAccountType} account`);
  const posted: ParticipantEvent = {
    type: 'SettlementTransferPosted',
    postingId: cmd.postingId,
    accountId: account.id,
    deltaMinor: cmd.amountMinor,
    atMs: ctx.nowMs,
  };
  const raised = cmd.raiseNetDebitCap ? raisedCap(state, account, cmd.amountMinor, ctx) : [];
  return { events: [...raised, posted], effects: [], reply: undefined };
}

/**
 * central-settlement's check at PS_TRANSFERS_RESERVED (settlementTransfersReserve, under
 * requireLiquidityCheck): when a net recipient's reset would take its position (reservations
 * included) past its NET_DEBIT_CAP, the cap is raised by the reset.
 */
function raisedCap(
  s: RegisteredParticipant,
  account: Account,
  deltaMinor: bigint,
  ctx: DecideContext,
): ParticipantEvent[] {
  const limit = s.limits[account.currency];
  if (!limit || account.ledgerAccountType !== 'POSITION') return [];
  if (limit.valueMinor - accountValueMinor(account) - deltaMinor >= 0n) return [];
  const raised = { ...limit, valueMinor: limit.valueMinor + deltaMinor, changedAtMs: ctx.nowMs };
  return [{ type: 'LimitAdjusted', currency: account.currency, limit: raised }];
}
