// Folds the Participant actor's settlement events into state (see settlement-messages.ts).

import { assertNever, invariant } from '../actor.ts';
import { addNet } from '../contracts/window-participant.ts';
import type { Account } from './ledger.ts';
import type { ParticipantSettlement, ParticipantSettlementEvent } from './settlement-messages.ts';
import { accountById, type RegisteredParticipant } from './state.ts';

const NONE: ParticipantSettlement = { grossCurrencies: [], nets: {}, postings: [] };

export function evolveParticipantSettlement(
  s: RegisteredParticipant,
  event: ParticipantSettlementEvent,
): RegisteredParticipant {
  const settlement = s.settlement ?? NONE;
  switch (event.type) {
    case 'SettlementTermsSet':
      return {
        ...s,
        settlement: {
          ...settlement,
          grossCurrencies: event.grossCurrencies,
          feeCurrencies: event.feeCurrencies,
          ...(event.windowId === undefined ? {} : { windowId: event.windowId }),
        },
      };
    // Before its first ApplySettlementModels (a participant from before settlement existed) the
    // nets wait here and belong to the window it then joins.
    case 'WindowNetRecorded':
      return {
        ...s,
        settlement: { ...settlement, nets: addNet(settlement.nets, { ...event, payer: s.name }) },
      };
    case 'WindowNetUnattributed': {
      const before = settlement.unattributedMinor ?? {};
      const sum = (before[event.currency] ?? 0n) + event.amountMinor;
      const unattributedMinor = { ...before, [event.currency]: sum };
      return { ...s, settlement: { ...settlement, unattributedMinor } };
    }
    case 'WindowMoved':
      return { ...s, settlement: { ...settlement, windowId: event.windowId, nets: {} } };
    case 'GrossSettled': {
      const moved = post(s, event.positionAccountId, -event.deltaMinor, event.atMs);
      return post(moved, event.settlementAccountId, event.deltaMinor, event.atMs);
    }
    case 'SettlementTransferPosted': {
      const posted = post(s, event.accountId, event.deltaMinor, event.atMs);
      const postings = [...settlement.postings, event.postingId];
      return { ...posted, settlement: { ...settlement, postings } };
    }
    default:
      return assertNever(event);
  }
}

function post(
  s: RegisteredParticipant,
  accountId: number,
  deltaMinor: bigint,
  atMs: number,
): RegisteredParticipant {
  const account = accountById(s, accountId);
  invariant(account, `participant ${s.name} has no account ${accountId}`);
  const next: Account = {
    ...account,
    postedMinor: account.postedMinor + deltaMinor,
    changedAtMs: atMs,
  };
  return { ...s, accounts: { ...s.accounts, [String(accountId)]: next } };
}
