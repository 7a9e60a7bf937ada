// The Settlement actor (key = settlement id): a deferred net settlement's state machine. It is
// opened by the SettlementWindow actor with the nets of the contents it took; the operator then
// steps every participant account through PS_TRANSFERS_RECORDED, PS_TRANSFERS_RESERVED,
// PS_TRANSFERS_COMMITTED and SETTLED, one step at a time, and the settlement follows its slowest
// account. Ledger effects are postings sent to the Participant actors (postings.ts). ABORTED is
// allowed until an account is committed and gives the windows back for another settlement.

import { fspiopError } from '../../schema/fspiop/errors.ts';
import {
  type ActorDefinition,
  assertNever,
  type DecideContext,
  type Decision,
  type Effect,
  invariant,
} from '../actor.ts';
import {
  SETTLEMENT_WINDOW_ACTOR_TYPE,
  SETTLEMENT_WINDOW_KEY,
} from '../contracts/window-participant.ts';
import { type OpenSettlement, SETTLEMENT_ACTOR_TYPE } from '../contracts/window-settlement.ts';
import { evolveSettlement } from './evolve.ts';
import type {
  AbortSettlement,
  RefusedUpdate,
  SettlementCommand,
  SettlementEvent,
  SettlementReply,
  UpdateSettlementAccounts,
} from './messages.ts';
import { postingsForAbort, postingsForStep } from './postings.ts';
import {
  type AccountStep,
  canAbort,
  isAccountStep,
  nextStep,
  type OpenSettlementState,
  type SettlementState,
  settlementStateOf,
} from './state.ts';

type SettlementDecision = Decision<SettlementEvent, SettlementReply>;

const windowRef = { type: SETTLEMENT_WINDOW_ACTOR_TYPE, key: SETTLEMENT_WINDOW_KEY };

function refuse(detail: string): SettlementDecision {
  return { events: [], effects: [], reply: { ok: false, error: fspiopError('3100', detail) } };
}

function decideOpen(
  state: SettlementState,
  cmd: OpenSettlement,
  ctx: DecideContext,
): SettlementDecision {
  if (state.phase === 'open') return { events: [], effects: [], reply: { ok: true, refused: [] } };
  const settlement: OpenSettlementState = {
    phase: 'open',
    settlementId: cmd.settlementId,
    state: 'PENDING_SETTLEMENT',
    reason: cmd.reason,
    model: cmd.model,
    windowIds: cmd.windowIds,
    accounts: cmd.accounts.map((a) => ({
      ...a,
      state: 'PENDING_SETTLEMENT',
      reason: cmd.reason,
      changedAtMs: ctx.nowMs,
    })),
    createdAtMs: ctx.nowMs,
    changedAtMs: ctx.nowMs,
  };
  return {
    events: [{ type: 'SettlementOpened', settlement }],
    effects: [],
    reply: { ok: true, refused: [] },
  };
}

function refusal(participantId: number, accountId: number, detail: string): RefusedUpdate {
  return { participantId, accountId, error: fspiopError('3000', detail) };
}

function decideUpdate(
  s: OpenSettlementState,
  cmd: UpdateSettlementAccounts,
  ctx: DecideContext,
): SettlementDecision {
  if (s.state === 'ABORTED' || s.state === 'SETTLED') {
    return refuse(`Settlement ${s.settlementId} is ${s.state}`);
  }
  const events: SettlementEvent[] = [];
  const effects: Effect[] = [];
  const refused: RefusedUpdate[] = [];
  let current = s;
  for (const u of cmd.updates) {
    const account = current.accounts.find((a) => a.accountId === u.accountId);
    if (!current.accounts.some((a) => a.participantId === u.participantId)) {
      refused.push(refusal(u.participantId, u.accountId, 'Participant not found'));
    } else if (!account) {
      refused.push(refusal(u.participantId, u.accountId, 'Account not found'));
    } else if (account.participantId !== u.participantId) {
      refused.push(refusal(u.participantId, u.accountId, 'Participant and account mismatch'));
    } else if (!stepAllowed(s, account.state, u.state)) {
      refused.push(refusal(u.participantId, u.accountId, 'State change not allowed'));
    } else {
      const event: SettlementEvent = {
        type: 'SettlementAccountStepped',
        accountId: u.accountId,
        state: u.state,
        reason: u.reason,
        ...(u.externalReference === undefined ? {} : { externalReference: u.externalReference }),
        atMs: ctx.nowMs,
      };
      effects.push(...postingsForStep(current, account, u.state, ctx.hub.hubName));
      events.push(event);
      current = evolveOpen(current, event);
    }
  }
  const state = settlementStateOf(current.accounts);
  if (state !== current.state) {
    events.push({ type: 'SettlementStateChanged', state, atMs: ctx.nowMs });
    if (state === 'SETTLED') {
      const { settlementId } = s;
      effects.push({
        kind: 'send',
        to: windowRef,
        command: { kind: 'SettleSettlementWindows', settlementId },
      });
    }
  }
  return { events, effects, reply: { ok: true, refused } };
}

/**
 * central-settlement's rule: an account moves one step, and only from the state the whole
 * settlement is in when the request arrives (SETTLED also while SETTLING). So no account runs
 * ahead of the others by more than the step being made.
 */
function stepAllowed(s: OpenSettlementState, from: AccountStep, to: string): to is AccountStep {
  if (!isAccountStep(to) || nextStep(from) !== to) return false;
  return s.state === from || (to === 'SETTLED' && s.state === 'SETTLING');
}

function evolveOpen(s: OpenSettlementState, event: SettlementEvent): OpenSettlementState {
  const next = evolveSettlement(s, event);
  invariant(next.phase === 'open', 'a settlement stays open');
  return next;
}

function decideAbort(
  s: OpenSettlementState,
  cmd: AbortSettlement,
  ctx: DecideContext,
): SettlementDecision {
  if (!canAbort(s)) return refuse(`Settlement ${s.settlementId} cannot be aborted in ${s.state}`);
  const { settlementId } = s;
  return {
    events: [
      {
        type: 'SettlementStateChanged',
        state: 'ABORTED',
        reason: cmd.reason,
        ...(cmd.externalReference === undefined
          ? {}
          : { externalReference: cmd.externalReference }),
        atMs: ctx.nowMs,
      },
    ],
    effects: [
      ...postingsForAbort(s, ctx.hub.hubName),
      { kind: 'send', to: windowRef, command: { kind: 'ReleaseSettlementWindows', settlementId } },
    ],
    reply: { ok: true, refused: [] },
  };
}

export function decideSettlement(
  state: SettlementState,
  command: SettlementCommand,
  ctx: DecideContext,
): SettlementDecision {
  if (command.kind === 'OpenSettlement') return decideOpen(state, command, ctx);
  if (state.phase === 'absent') return refuse(`Settlement ${ctx.actorId} not found`);
  switch (command.kind) {
    case 'UpdateSettlementAccounts':
      return decideUpdate(state, command, ctx);
    case 'AbortSettlement':
      return decideAbort(state, command, ctx);
    default:
      return assertNever(command);
  }
}

export const settlementActor: ActorDefinition<
  SettlementState,
  SettlementCommand,
  SettlementEvent,
  SettlementReply
> = {
  type: SETTLEMENT_ACTOR_TYPE,
  initial: { phase: 'absent' },
  decide: decideSettlement,
  evolve: evolveSettlement,
};
