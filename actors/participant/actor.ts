// The Participant actor (key = participant name; the hub is ctx.hub.hubName): accounts per
// currency, positions and reservations, NDC limits, settlement balances and endpoints of one
// DFSP. Every command that moves its money arrives here, one at a time, which is what serialises
// a DFSP's position checks without locks (DESIGN.md §3). Money rules are in ledger.ts.

import { type ActorDefinition, assertNever, type DecideContext } from '../actor.ts';
import {
  decideAddHubAccount,
  decideAdjustLimit,
  decideCreate,
  decideInitialPositionAndLimits,
  decideSetAccountActive,
  decideSetActive,
  decideSetApiType,
  decideSetEndpoint,
} from './decide-admin.ts';
import type { ParticipantDecision } from './decide-common.ts';
import {
  decideFundsIn,
  decideFundsOutFinish,
  decideFundsOutReserve,
  decideHubReconciliation,
} from './decide-funds.ts';
import { decideCredit, decideFinishReservation, decideReserve } from './decide-position.ts';
import {
  decideApplySettlementModels,
  decideCloseWindow,
  decideCreditInterchangeFee,
  decidePostSettlementTransfer,
} from './decide-settlement.ts';
import { PARTICIPANT_ACTOR_TYPE, type ParticipantDirectoryEntry } from './directory.ts';
import { evolveParticipant } from './evolve.ts';
import type { ParticipantCommand, ParticipantEvent, ParticipantReply } from './messages.ts';
import { accountList, initialParticipantState, type ParticipantState } from './state.ts';

export function decideParticipant(
  state: ParticipantState,
  command: ParticipantCommand,
  ctx: DecideContext,
): ParticipantDecision {
  switch (command.kind) {
    case 'ReserveFunds':
      return decideReserve(state, command, ctx);
    case 'CommitReservation':
    case 'ReleaseReservation':
      return decideFinishReservation(state, command, ctx);
    case 'CreditPosition':
      return decideCredit(state, command, ctx);
    case 'AddHubAccount':
      return decideAddHubAccount(state, command, ctx);
    case 'CreateParticipant':
      return decideCreate(state, command, ctx);
    case 'SetParticipantActive':
      return decideSetActive(state, command, ctx);
    case 'SetAccountActive':
      return decideSetAccountActive(state, command, ctx);
    case 'SetInitialPositionAndLimits':
      return decideInitialPositionAndLimits(state, command, ctx);
    case 'AdjustLimit':
      return decideAdjustLimit(state, command, ctx);
    case 'SetEndpoint':
      return decideSetEndpoint(state, command, ctx);
    case 'SetApiType':
      return decideSetApiType(state, command, ctx);
    case 'RecordFundsIn':
      return decideFundsIn(state, command, ctx);
    case 'ReserveFundsOut':
      return decideFundsOutReserve(state, command, ctx);
    case 'CommitFundsOut':
    case 'AbortFundsOut':
      return decideFundsOutFinish(state, command, ctx);
    case 'PostHubReconciliation':
      return decideHubReconciliation(state, command, ctx);
    case 'ApplySettlementModels':
      return decideApplySettlementModels(state, command, ctx);
    case 'CloseParticipantWindow':
      return decideCloseWindow(state, command);
    case 'PostSettlementTransfer':
      return decidePostSettlementTransfer(state, command, ctx);
    case 'CreditInterchangeFee':
      return decideCreditInterchangeFee(state, command, ctx);
    default:
      return assertNever(command);
  }
}

/** The public projection published to the `dir-participant` directory. */
export function participantDirectoryEntry(
  state: ParticipantState,
): ParticipantDirectoryEntry | undefined {
  if (state.phase === 'absent') return undefined;
  const currencies: Record<string, { positionAccountActive: boolean }> = {};
  for (const account of accountList(state)) {
    if (account.ledgerAccountType !== 'POSITION') continue;
    currencies[account.currency] = { positionAccountActive: account.isActive };
  }
  const entry = {
    name: state.name,
    isActive: state.isActive,
    currencies,
    endpoints: state.endpoints,
  };
  return state.apiType === undefined ? entry : { ...entry, apiType: state.apiType.type };
}

export const participantActor: ActorDefinition<
  ParticipantState,
  ParticipantCommand,
  ParticipantEvent,
  ParticipantReply
> = {
  type: PARTICIPANT_ACTOR_TYPE,
  initial: initialParticipantState,
  decide: decideParticipant,
  evolve: evolveParticipant,
  directoryEntry: participantDirectoryEntry,
};
