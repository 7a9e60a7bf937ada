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

export type Outcome = (
  | { readonly state: 'COMMITTED' | 'RELEASED' | 'POSTED' }
  | { readonly state: 'REJECTED'; readonly error: FspiopError }
) & {
  /** Remembering order, set by remember(): snapshots in JSONB lose the maps' key order. */
  readonly seq?: number;
};

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

/**
 * Records an outcome, evicting the oldest past the bound. Age is the `seq` stamped here, never the
 * object's key order: a snapshot read back from JSONB has its keys in JSONB's order (length, then
 * bytes), so key order would evict arbitrary entries, e.g. a funds in whose retry must stay a no-op.
 */
export function remember(
  recent: Readonly<Record<string, Outcome>>,
  key: string,
  outcome: Outcome,
): Record<string, Outcome> {
  const next: Record<string, Outcome> = { ...recent };
  delete next[key];
  let lastSeq = 0;
  for (const kept of Object.values(next)) if ((kept.seq ?? 0) > lastSeq) lastSeq = kept.seq ?? 0;
  next[key] = { ...outcome, seq: lastSeq + 1 };
  for (let excess = Object.keys(next).length - recentOutcomesMax; excess > 0; excess--) {
    delete next[oldestKey(next)];
  }
  return next;
}

function oldestKey(recent: Readonly<Record<string, Outcome>>): string {
  let oldest = '';
  let oldestSeq = Number.POSITIVE_INFINITY;
  for (const [key, kept] of Object.entries(recent)) {
    if ((kept.seq ?? 0) < oldestSeq) {
      oldest = key;
      oldestSeq = kept.seq ?? 0;
    }
  }
  return oldest;
}
