// The state of one participant (a DFSP, or the hub itself under ctx.hub.hubName). Accounts are
// keyed by a stable numeric id (participantId * 100 + sequence), so the ids Mojaloop clients read
// from GET .../accounts and post back to stay the same across replays. Reservations in flight
// are keyed by transferId; finished outcomes are remembered (a bounded, insertion-ordered map)
// so a redelivered command answers what it answered the first time.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import { invariant } from '../actor.ts';
import type { ApiType } from './directory.ts';
import type { Account, LedgerAccountType } from './ledger.ts';
import type { NetDebitCap, ReservationPurpose } from './messages.ts';
import type { ParticipantSettlement } from './settlement-messages.ts';

export type Reservation = {
  readonly accountId: number;
  readonly amountMinor: bigint;
  readonly purpose: ReservationPurpose;
  /** For a TRANSFER: the payee, whose side of the net the payer records at commit. */
  readonly payeeFsp?: string;
  /** For a TRANSFER with an interchange fee: the fee, booked at commit. */
  readonly interchangeFeeMinor?: bigint;
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
  /** Absent until set through the Admin API or learned from an ISO 20022 request. */
  readonly apiType?: { readonly type: ApiType; readonly learned: boolean };
  readonly reservations: Readonly<Record<string, Reservation>>;
  /** `reserve:<id>` and posting ids -> outcome; oldest dropped past recentOutcomesMax. */
  readonly recent: RecentOutcomes;
  /** Settlement terms, window and nets (decide-settlement.ts); absent before the first models. */
  readonly settlement?: ParticipantSettlement;
};

export type ParticipantState = { readonly phase: 'absent' } | RegisteredParticipant;

export const initialParticipantState: ParticipantState = { phase: 'absent' };

/** A participant as registered: active, with no accounts, limits, endpoints or reservations yet. */
export function newParticipant(p: {
  readonly name: string;
  readonly participantId: number;
  readonly isProxy: boolean;
  readonly createdAtMs: number;
}): RegisteredParticipant {
  return {
    phase: 'registered',
    ...p,
    isActive: true,
    accountSeq: 0,
    accounts: {},
    limits: {},
    endpoints: {},
    reservations: {},
    recent: [],
  };
}

/** The hub participant's numeric id, as seeded in Mojaloop. */
export const HUB_PARTICIPANT_ID = 1;
/** Accounts per participant: the id is participantId * 100 + sequence. */
export const accountSeqMax = 99;
/**
 * Finished reservation/posting outcomes remembered, so a repeated command answers what it answered
 * the first time. Kept short on purpose: the snapshot is rewritten with every batch that touches
 * this DFSP, and 1,000 entries (about 60 KB of JSON) cost a fifth of the switch's throughput. A
 * command reaches an actor twice only when an outbox row is re-published after a crash; JetStream
 * drops such copies for two minutes, the runtime skips any later copy it applied before
 * (applied_commands), and parks, never applies, a copy older than those records reach
 * (runtime/step.ts): that is the durable per-posting guard, not this memory.
 */
export const recentOutcomesMax = 100;

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

/** Newest last; at most recentOutcomesMax entries, so appending and scanning stay cheap. */
export type RecentOutcomes = readonly (readonly [key: string, outcome: Outcome])[];

/** The remembered outcome of `key`, newest first (a key remembered twice answers its latest). */
export function recall(recent: RecentOutcomes, key: string): Outcome | undefined {
  for (let i = recent.length - 1; i >= 0; i--) {
    const entry = recent[i]!;
    if (entry[0] === key) return entry[1];
  }
  return undefined;
}

/**
 * Records an outcome, dropping the oldest past the bound. An array rather than a keyed object:
 * copying and scanning a few hundred references per event is far cheaper than rebuilding a
 * dictionary-mode object, and JSONB keeps array order, so eviction order survives snapshots.
 */
export function remember(recent: RecentOutcomes, key: string, outcome: Outcome): RecentOutcomes {
  // The newest recentOutcomesMax - 1 entries, then this one.
  const next = recent.slice(1 - recentOutcomesMax);
  next.push([key, outcome]);
  return next;
}
