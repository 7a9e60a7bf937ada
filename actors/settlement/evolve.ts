// Folds one Settlement event into state. Strict: a step for an unknown account or a step that
// skips one is a bug in decide() and fails an invariant.

import { assertNever, invariant } from '../actor.ts';
import type { SettlementEvent } from './messages.ts';
import { nextStep, type SettlementState } from './state.ts';

export function evolveSettlement(state: SettlementState, event: SettlementEvent): SettlementState {
  if (event.type === 'SettlementOpened') {
    invariant(state.phase === 'absent', 'a settlement opens once');
    return event.settlement;
  }
  invariant(state.phase === 'open', `${event.type} before the settlement opened`);
  switch (event.type) {
    case 'SettlementAccountStepped': {
      const accounts = state.accounts.map((a) => {
        if (a.accountId !== event.accountId) return a;
        invariant(nextStep(a.state) === event.state, `account ${a.accountId} skips a step`);
        return {
          ...a,
          state: event.state,
          reason: event.reason,
          ...(event.externalReference === undefined
            ? {}
            : { externalReference: event.externalReference }),
          changedAtMs: event.atMs,
        };
      });
      invariant(
        accounts.some((a, i) => a !== state.accounts[i]),
        'stepped an unknown account',
      );
      return { ...state, accounts, changedAtMs: event.atMs };
    }
    case 'SettlementStateChanged':
      return {
        ...state,
        state: event.state,
        ...(event.reason === undefined ? {} : { reason: event.reason }),
        ...(event.externalReference === undefined
          ? {}
          : { externalReference: event.externalReference }),
        changedAtMs: event.atMs,
      };
    default:
      return assertNever(event);
  }
}
