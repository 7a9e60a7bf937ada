// The state of one settlement (key = settlement id): its model, the windows it settles, and per
// participant account the net amount and the account's step. Accounts move one step at a time;
// the settlement's state follows them (the slowest account, SETTLING once some are SETTLED).

import type { SettlementModelRef } from '../contracts/window-settlement.ts';

export const ACCOUNT_STEPS = [
  'PENDING_SETTLEMENT',
  'PS_TRANSFERS_RECORDED',
  'PS_TRANSFERS_RESERVED',
  'PS_TRANSFERS_COMMITTED',
  'SETTLED',
] as const;
export type AccountStep = (typeof ACCOUNT_STEPS)[number];
export type SettlementStateName = AccountStep | 'SETTLING' | 'ABORTED';

export type SettlementAccount = {
  readonly participant: string;
  readonly participantId: number;
  readonly accountId: number;
  readonly currency: string;
  /** Positive: net sender (owes the hub); negative: net recipient; zero: SETTLEMENT_NET_ZERO. */
  readonly netMinor: bigint;
  readonly state: AccountStep;
  readonly reason: string;
  readonly externalReference?: string;
  readonly changedAtMs: number;
};

export type OpenSettlementState = {
  readonly phase: 'open';
  readonly settlementId: number;
  readonly state: SettlementStateName;
  readonly reason: string;
  readonly externalReference?: string;
  readonly model: SettlementModelRef;
  readonly windowIds: readonly number[];
  readonly accounts: readonly SettlementAccount[];
  readonly createdAtMs: number;
  readonly changedAtMs: number;
};

export type SettlementState = { readonly phase: 'absent' } | OpenSettlementState;

export function isAccountStep(value: string): value is AccountStep {
  return (ACCOUNT_STEPS as readonly string[]).includes(value);
}

export function nextStep(step: AccountStep): AccountStep | undefined {
  return ACCOUNT_STEPS[ACCOUNT_STEPS.indexOf(step) + 1];
}

/** The settlement's state from its accounts' steps. */
export function settlementStateOf(accounts: readonly SettlementAccount[]): SettlementStateName {
  if (accounts.every((a) => a.state === 'SETTLED')) return 'SETTLED';
  if (accounts.some((a) => a.state === 'SETTLED')) return 'SETTLING';
  let slowest = ACCOUNT_STEPS.length - 1;
  for (const a of accounts) {
    const index = ACCOUNT_STEPS.indexOf(a.state);
    if (index < slowest) slowest = index;
  }
  return ACCOUNT_STEPS[slowest] ?? 'PENDING_SETTLEMENT';
}

/** Until an account's transfers are committed, the settlement can be aborted. */
export function canAbort(s: OpenSettlementState): boolean {
  if (s.state === 'ABORTED') return false;
  const committed = ACCOUNT_STEPS.indexOf('PS_TRANSFERS_COMMITTED');
  return s.accounts.every((a) => ACCOUNT_STEPS.indexOf(a.state) < committed);
}
