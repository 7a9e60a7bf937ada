// Folds one Participant event into state. Total over events, and strict: an event that does not
// fit the state (an unknown account, a reservation that is not there) is a bug, not a business
// outcome, so it fails an invariant. Money moves only here, always as bigint minor units.

import { assertNever, invariant } from '../actor.ts';
import { evolveParticipantSettlement } from './evolve-settlement.ts';
import type { Account } from './ledger.ts';
import type { ParticipantEvent } from './messages.ts';
import {
  accountById,
  newParticipant,
  type ParticipantState,
  type RegisteredParticipant,
  remember,
  reserveKey,
} from './state.ts';

export function evolveParticipant(
  state: ParticipantState,
  event: ParticipantEvent,
): ParticipantState {
  if (event.type === 'ParticipantRegistered') {
    invariant(state.phase === 'absent', `participant ${event.name} registered twice`);
    const { name, participantId, isProxy, atMs } = event;
    return newParticipant({ name, participantId, isProxy, createdAtMs: atMs });
  }
  invariant(state.phase === 'registered', `${event.type} before the participant exists`);
  return evolveRegistered(state, event);
}

function evolveRegistered(
  s: RegisteredParticipant,
  event: ParticipantEvent,
): RegisteredParticipant {
  switch (event.type) {
    case 'ParticipantRegistered':
      return invariantFail(s, 'participant registered twice');
    case 'AccountsOpened': {
      const accounts = { ...s.accounts };
      for (const a of event.accounts) accounts[String(a.id)] = a;
      return { ...s, accounts, accountSeq: s.accountSeq + event.accounts.length };
    }
    case 'ParticipantActiveSet':
      return { ...s, isActive: event.isActive };
    case 'AccountActiveSet':
      return updateAccount(s, event.accountId, (a) => ({
        ...a,
        isActive: event.isActive,
        changedAtMs: event.atMs,
      }));
    case 'InitialPositionAndLimitsSet':
      return initialPositionAndLimits(s, event);
    case 'LimitAdjusted':
      return { ...s, limits: { ...s.limits, [event.currency]: event.limit } };
    case 'EndpointSet':
      return { ...s, endpoints: { ...s.endpoints, [event.endpointType]: event.value } };
    case 'ApiTypeSet':
      return { ...s, apiType: { type: event.apiType, learned: event.learned } };
    case 'FundsReserved': {
      invariant(!s.reservations[event.transferId], `reservation ${event.transferId} exists`);
      const reserved = updateAccount(s, event.accountId, (a) => ({
        ...a,
        reservedMinor: a.reservedMinor + event.amountMinor,
        changedAtMs: event.atMs,
      }));
      const { accountId, amountMinor, purpose, payeeFsp, interchangeFeeMinor: fee } = event;
      const reservation = {
        accountId,
        amountMinor,
        purpose,
        ...(payeeFsp ? { payeeFsp } : {}),
        ...(fee === undefined ? {} : { interchangeFeeMinor: fee }),
      };
      return {
        ...reserved,
        reservations: { ...s.reservations, [event.transferId]: reservation },
      };
    }
    case 'ReservationRejected':
      return {
        ...s,
        recent: remember(s.recent, reserveKey(event.transferId), {
          state: 'REJECTED',
          error: event.error,
        }),
      };
    case 'ReservationCommitted':
      return finishReservation(s, event.transferId, event.atMs, true);
    case 'ReservationReleased':
      return finishReservation(s, event.transferId, event.atMs, false);
    case 'BalancePosted': {
      const posted = updateAccount(s, event.accountId, (a) => ({
        ...a,
        postedMinor: a.postedMinor + event.deltaMinor,
        changedAtMs: event.atMs,
      }));
      return { ...posted, recent: remember(s.recent, event.postingId, { state: 'POSTED' }) };
    }
    case 'SettlementTermsSet':
    case 'WindowNetRecorded':
    case 'WindowNetUnattributed':
    case 'WindowMoved':
    case 'GrossSettled':
    case 'SettlementTransferPosted':
      return evolveParticipantSettlement(s, event);
    default:
      return assertNever(event);
  }
}

function invariantFail(_s: RegisteredParticipant, message: string): never {
  invariant(false, message);
}

function updateAccount(
  s: RegisteredParticipant,
  accountId: number,
  change: (account: Account) => Account,
): RegisteredParticipant {
  const account = accountById(s, accountId);
  invariant(account, `participant ${s.name} has no account ${accountId}`);
  return { ...s, accounts: { ...s.accounts, [String(accountId)]: change(account) } };
}

function initialPositionAndLimits(
  s: RegisteredParticipant,
  event: Extract<ParticipantEvent, { type: 'InitialPositionAndLimitsSet' }>,
): RegisteredParticipant {
  const accounts = { ...s.accounts };
  for (const [id, a] of Object.entries(accounts)) {
    if (a.currency !== event.currency) continue;
    if (a.ledgerAccountType === 'POSITION') {
      accounts[id] = { ...a, isActive: true, postedMinor: event.initialPositionMinor };
    } else if (a.ledgerAccountType === 'SETTLEMENT') {
      accounts[id] = { ...a, isActive: true };
    }
  }
  return { ...s, accounts, limits: { ...s.limits, [event.currency]: event.limit } };
}

// Commit posts the reserved amount on the same account; release drops it.
function finishReservation(
  s: RegisteredParticipant,
  transferId: string,
  atMs: number,
  commit: boolean,
): RegisteredParticipant {
  const reservation = s.reservations[transferId];
  invariant(reservation, `no reservation ${transferId} to finish`);
  const moved = updateAccount(s, reservation.accountId, (a) => ({
    ...a,
    reservedMinor: a.reservedMinor - reservation.amountMinor,
    postedMinor: commit ? a.postedMinor + reservation.amountMinor : a.postedMinor,
    changedAtMs: atMs,
  }));
  const reservations = { ...s.reservations };
  delete reservations[transferId];
  const outcome = { state: commit ? ('COMMITTED' as const) : ('RELEASED' as const) };
  return { ...moved, reservations, recent: remember(s.recent, reserveKey(transferId), outcome) };
}
