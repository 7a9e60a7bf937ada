// The state of one participant (a DFSP, or the hub itself under ctx.hub.hubName). Accounts are
// keyed by a stable numeric id (participantId * 100 + sequence), so the ids Mojaloop clients read
// from GET .../accounts and post back to stay the same across replays. Reservations in flight
// are keyed by transferId; finished outcomes are remembered (a bounded, insertion-ordered map)
// so a redelivered command answers what it answered the first time.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import { invariant } from '../actor.ts';
import type { Account, LedgerAccountType } from './ledger.ts';
import type { NetDebitCap, ReservationPurpose } from './messages.ts';

export type Reservation = {
  readonly accountId: number;
  readonly amountMinor: bigint;
  readonly purpose: ReservationPurpose;
};

export type Outcome =
  | { readonly state: 'COMMITTED' | 'RELEASED' | 'POSTED' }
  | { readonly state: 'REJECTED'; readonly error: FspiopError };

export type RegisteredParticipant = {
  readonly phase: 'registered';
  readonly name: string;
  readonly participantId: number;
  readonly isActive: boolean;
  readonly isProxy: boolean;
  readonly createdAtMs: number;
  readonly accountSeq: number;
  /** By String(account id), in opening order. */
  readonly accounts: Readonly<Record<string, Account>>;
  /** NET_DEBIT_CAP per currency, set by initialPositionAndLimits. */
  readonly limits: Readonly<Record<string, NetDebitCap>>;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly reservations: Readonly<Record<string, Reservation>>;
  /** `reserve:<id>` and posting ids -> outcome; oldest evicted past recentOutcomesMax. */
  readonly recent: Readonly<Record<string, Outcome>>;
};

export type ParticipantState = { readonly phase: 'absent' } | RegisteredParticipant;

export const initialParticipantState: ParticipantState = { phase: 'absent' };

/** The hub participant's numeric id, as seeded in Mojaloop. */
export const HUB_PARTICIPANT_ID = 1;
/** Accounts per participant: the id is participantId * 100 + sequence. */
export const accountSeqMax = 99;
/** Finished reservation/posting outcomes remembered for redeliveries. */
export const recentOutcomesMax = 1000;

export function accountIdFor(participantId: number, seq: number): number {
  invariant(seq >= 1 && seq <= accountSeqMax, `account sequence ${seq} out of range`);
  return participantId * 100 + seq;
}

export function accountList(state: RegisteredParticipant): readonly Account[] {
  return Object.values(state.accounts);
}

export function findAccount(
  state: RegisteredParticipant,
  currency: string,
  ledgerAccountType: LedgerAccountType,
): Account | undefined {
  return accountList(state).find(
    (a) => a.currency === currency && a.ledgerAccountType === ledgerAccountType,
  );
}

export function accountById(state: RegisteredParticipant, id: number): Account | undefined {
  return state.accounts[String(id)];
}

export function hasCurrency(state: RegisteredParticipant, currency: string): boolean {
  return accountList(state).some((a) => a.currency === currency);
}

export function reserveKey(transferId: string): string {
  return `reserve:${transferId}`;
}

/** Records an outcome, evicting the oldest entries past the bound (insertion order). */
export function remember(
  recent: Readonly<Record<string, Outcome>>,
  key: string,
  outcome: Outcome,
): Record<string, Outcome> {
  const next: Record<string, Outcome> = { ...recent };
  delete next[key];
  next[key] = outcome;
  const keys = Object.keys(next);
  for (let i = 0; i < keys.length - recentOutcomesMax; i++) delete next[keys[i] as string];
  return next;
}
