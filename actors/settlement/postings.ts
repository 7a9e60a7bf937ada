// The ledger effects of a deferred net settlement (fspiop.md §7), as effects to Participant
// actors: a settlement transfer between a participant's account (the model's ledger account type)
// and the hub's HUB_MULTILATERAL_SETTLEMENT for the account's net. Net recipients' positions move
// when their account reaches PS_TRANSFERS_RESERVED (their NET_DEBIT_CAP raised by the reset if it
// would pass it), net senders' at PS_TRANSFERS_COMMITTED; an abort reverses what RESERVED moved.
// Without autoPositionReset nothing moves. SETTLED moves no money here: the settlement bank's
// movements are recorded as funds in/out.

import type { Effect } from '../actor.ts';
import type { PostSettlementTransfer } from '../contracts/settlement-participant.ts';
import type { AccountStep, OpenSettlementState, SettlementAccount } from './state.ts';

const PARTICIPANT = 'participant';

function post(to: string, command: Omit<PostSettlementTransfer, 'kind'>): Effect {
  return {
    kind: 'send',
    to: { type: PARTICIPANT, key: to },
    command: { kind: 'PostSettlementTransfer', ...command } satisfies PostSettlementTransfer,
  };
}

/** The pair of postings that reset `account`'s net (or undo that with `sign` = -1n). */
function settlementTransfer(
  s: OpenSettlementState,
  account: SettlementAccount,
  hubName: string,
  step: string,
  sign: bigint,
): Effect[] {
  const id = `settlement:${s.settlementId}:${account.accountId}:${step}`;
  const deltaMinor = -account.netMinor * sign;
  // A recipient's reset may take its position past its cap (it paid since the window closed):
  // the cap is raised by the reset, as central-settlement does under requireLiquidityCheck, and
  // here under every model, since no position may pass its cap (DESIGN.md §7 invariant 4).
  const raise = step === 'reserve';
  return [
    post(account.participant, {
      postingId: id,
      currency: account.currency,
      ledgerAccountType: s.model.ledgerAccountType,
      amountMinor: deltaMinor,
      ...(raise ? { raiseNetDebitCap: true as const } : {}),
    }),
    post(hubName, {
      postingId: `${id}:hub`,
      currency: account.currency,
      ledgerAccountType: 'HUB_MULTILATERAL_SETTLEMENT',
      amountMinor: -deltaMinor,
    }),
  ];
}

/** Postings due when `account` steps to `step`. */
export function postingsForStep(
  s: OpenSettlementState,
  account: SettlementAccount,
  step: AccountStep,
  hubName: string,
): Effect[] {
  if (!s.model.autoPositionReset || account.netMinor === 0n) return [];
  const recipient = account.netMinor < 0n;
  if (step === 'PS_TRANSFERS_RESERVED' && recipient) {
    return settlementTransfer(s, account, hubName, 'reserve', 1n);
  }
  if (step === 'PS_TRANSFERS_COMMITTED' && !recipient) {
    return settlementTransfer(s, account, hubName, 'commit', 1n);
  }
  return [];
}

/** Postings that undo what an aborted settlement had moved (recipients already RESERVED). */
export function postingsForAbort(s: OpenSettlementState, hubName: string): Effect[] {
  if (!s.model.autoPositionReset) return [];
  return s.accounts
    .filter((a) => a.netMinor < 0n && a.state === 'PS_TRANSFERS_RESERVED')
    .flatMap((a) => settlementTransfer(s, a, hubName, 'abort', -1n));
}
