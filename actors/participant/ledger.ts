// The money rules of a participant, as pure predicates over bigint minor units. Sign conventions
// follow Mojaloop central-ledger, so Admin API answers read the same as Mojaloop's:
// - POSITION: positive = net owed by the DFSP. Prepare reserves +amount on the payer, commit
//   posts it; the payee's position is credited −amount; abort releases the reservation.
// - SETTLEMENT: negative when funded. Funds in posts −amount; funds out reserves +amount at
//   prepare and posts it at commit; liquidity cover = −(settlement value).
// - HUB_RECONCILIATION: the hub's mirror of funds movements: +amount on funds in, −amount on a
//   committed funds out. HUB_MULTILATERAL_SETTLEMENT moves only at settlement (later work).
// So per currency, once no reservation is in flight, every POSITION + SETTLEMENT +
// HUB_RECONCILIATION + HUB_MULTILATERAL_SETTLEMENT value sums to zero (DESIGN.md §7 invariant 1),
// except for non-zero initial positions given through initialPositionAndLimits, as in Mojaloop.

import { invariant } from '../actor.ts';

/** One ledger account; `valueMinor` is posted, `reservedMinor` is in flight (both signed). */
export type Account = {
  readonly id: number;
  readonly ledgerAccountType: LedgerAccountType;
  readonly currency: string;
  readonly isActive: boolean;
  readonly postedMinor: bigint;
  readonly reservedMinor: bigint;
  readonly createdAtMs: number;
  readonly changedAtMs: number;
};

export const LEDGER_ACCOUNT_TYPES = [
  'POSITION',
  'SETTLEMENT',
  'HUB_RECONCILIATION',
  'HUB_MULTILATERAL_SETTLEMENT',
  'INTERCHANGE_FEE',
  'INTERCHANGE_FEE_SETTLEMENT',
] as const;
export type LedgerAccountType = (typeof LEDGER_ACCOUNT_TYPES)[number];

/** The accounts only the hub participant holds, one of each per currency. */
export const HUB_ACCOUNT_TYPES: readonly LedgerAccountType[] = [
  'HUB_RECONCILIATION',
  'HUB_MULTILATERAL_SETTLEMENT',
];

export function isLedgerAccountType(value: string): value is LedgerAccountType {
  return (LEDGER_ACCOUNT_TYPES as readonly string[]).includes(value);
}

/** The value Mojaloop shows for an account: reservations count as part of it. */
export function accountValueMinor(account: Account): bigint {
  return account.postedMinor + account.reservedMinor;
}

export type LiquidityVerdict = 'OK' | 'INSUFFICIENT_LIQUIDITY' | 'LIMIT_EXCEEDED';

export type LiquidityInput = {
  /** POSITION value including reservations in flight. */
  readonly positionMinor: bigint;
  /** SETTLEMENT value including funds-out reservations (negative when funded). */
  readonly settlementMinor: bigint;
  readonly netDebitCapMinor: bigint;
  readonly amountMinor: bigint;
};

/** fspiop.md §0.5: cover first (4001), then the net debit cap (4200). */
export function checkLiquidity(input: LiquidityInput): LiquidityVerdict {
  invariant(input.amountMinor > 0n, 'a reservation is positive');
  const coverMinor = -input.settlementMinor;
  if (coverMinor - input.positionMinor < input.amountMinor) return 'INSUFFICIENT_LIQUIDITY';
  if (input.netDebitCapMinor - input.positionMinor < input.amountMinor) return 'LIMIT_EXCEEDED';
  return 'OK';
}

/** Funds out may not take the settlement balance past what the DFSP holds. */
export function canFundOut(settlementMinor: bigint, amountMinor: bigint): boolean {
  invariant(amountMinor > 0n, 'a funds-out amount is positive');
  return settlementMinor + amountMinor <= 0n;
}
