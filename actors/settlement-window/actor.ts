// The SettlementWindow actor (one per hub, key `hub`): the OPEN window, window closes, window
// contents, and which contents each settlement takes.
//
// Design: each commit lands in exactly one window, and closing never pauses the transfer path.
// - The window of a commit is decided where the commit is posted: in the payer's Participant
//   actor, which records the transfer's net (+amount for itself, -amount for the payee) in the
//   window it holds as open, in its own state, with the commit. A participant's commits and the
//   close it receives are serialised in its partition, so each commit is before or after the
//   close there: in exactly one window. Both sides of a transfer land in the payer's window. A
//   transfer whose payer heard COMMITTED before the close was asked for is in the closed window:
//   its CommitReservation entered the payer's partition before that callback left the switch.
// - Closing is one command here: the OPEN window becomes PROCESSING, the next one opens, and one
//   CloseParticipantWindow goes to each participant (O(participants), never O(transfers)). Each
//   participant answers with the nets it recorded (O(counterparties x currencies)) and moves on.
// - A window's content is final when every participant that joined before the close reported:
//   the window becomes CLOSED, its content per (ledgerAccountType, currency) is the sum of the
//   reports, and it sums to zero across participants because every transfer added +a and -a.
// - Participants join when registered, with the window id the gateway read as open; a join for a
//   window closed meanwhile is answered with a close, so no participant records in a stale window.
// - Settlements take CLOSED (or ABORTED) contents in one event and get the nets as a message.
// - Every window stays in this one snapshot (a few hundred bytes per window and currency), so a
//   hub that closes daily carries years of windows in it; archiving settled windows to a read
//   model is the next step when that matters.

import { type ActorDefinition, assertNever, type DecideContext, type Decision } from '../actor.ts';
import {
  type CloseParticipantWindow,
  isEmptyNets,
  type JoinSettlementWindows,
  type ParticipantWindowClosed,
  SETTLEMENT_WINDOW_ACTOR_TYPE,
} from '../contracts/window-participant.ts';
import { decideCreateSettlement, refuseWindow } from './decide-settlement.ts';
import { evolveWindows } from './evolve.ts';
import type { CloseSettlementWindow, WindowCommand, WindowEvent, WindowReply } from './messages.ts';
import { firstWindows, type RunningWindows, type WindowsState } from './state.ts';

type WindowDecision = Decision<WindowEvent, WindowReply>;

const PARTICIPANT = 'participant';

function closeFor(participant: string, windowId: number, nextWindowId: number) {
  const command: CloseParticipantWindow = {
    kind: 'CloseParticipantWindow',
    windowId,
    nextWindowId,
  };
  return { kind: 'send' as const, to: { type: PARTICIPANT, key: participant }, command };
}

function decideClose(s: RunningWindows, cmd: CloseSettlementWindow, ctx: DecideContext) {
  const w = s.windows[String(cmd.windowId)];
  if (!w) return refuseWindow(`Settlement window ${cmd.windowId} not found`);
  if (w.state !== 'OPEN') return refuseWindow(`Settlement window ${cmd.windowId} is not OPEN`);
  const nextWindowId = s.openWindowId + 1;
  return {
    events: [
      {
        type: 'WindowClosing' as const,
        windowId: w.id,
        reason: cmd.reason,
        nextWindowId,
        atMs: ctx.nowMs,
      },
    ],
    effects: s.participants.map((p) => closeFor(p, w.id, nextWindowId)),
    reply: { ok: true as const, windowId: nextWindowId },
  };
}

function decideJoin(s: RunningWindows, cmd: JoinSettlementWindows): WindowDecision {
  const events: WindowEvent[] = s.participants.includes(cmd.participant)
    ? []
    : [{ type: 'ParticipantJoined', participant: cmd.participant }];
  // Registered with a window that closed before this join: move it to the open one now.
  const effects =
    cmd.windowId < s.openWindowId ? [closeFor(cmd.participant, cmd.windowId, s.openWindowId)] : [];
  return { events, effects, reply: { ok: true } };
}

function decideReport(
  s: RunningWindows,
  cmd: ParticipantWindowClosed,
  ctx: DecideContext,
): WindowDecision {
  const w = s.windows[String(cmd.windowId)];
  if (w?.awaiting.includes(cmd.participant)) {
    const { windowId, participant, nets } = cmd;
    return {
      events: [{ type: 'WindowNetsReported', windowId, participant, nets, atMs: ctx.nowMs }],
      effects: [],
      reply: { ok: true },
    };
  }
  // A repeat, or a late joiner's catch-up: nothing to add.
  if (isEmptyNets(cmd.nets)) return { events: [], effects: [], reply: { ok: true } };
  // Nets nobody awaited: a participant that joined after this window closed (its join raced the
  // close, or it paid before its first models). Dropping them would leave positions that no
  // settlement resets; they go into this window while it is not final, else into the open one,
  // with the window they were for kept as the reason. Each report sums to zero, so every
  // window's content still does.
  const open = w?.state === 'OPEN' || w?.state === 'PROCESSING';
  const late: WindowEvent = {
    type: 'LateNetsReported',
    windowId: cmd.windowId,
    intoWindowId: w && open ? w.id : s.openWindowId,
    participant: cmd.participant,
    nets: cmd.nets,
    atMs: ctx.nowMs,
  };
  return { events: [late], effects: [], reply: { ok: true } };
}

function decideRunning(
  s: RunningWindows,
  command: WindowCommand,
  ctx: DecideContext,
): WindowDecision {
  switch (command.kind) {
    case 'StartSettlementWindows':
      return { events: [], effects: [], reply: { ok: true, windowId: s.openWindowId } };
    case 'CloseSettlementWindow':
      return decideClose(s, command, ctx);
    case 'JoinSettlementWindows':
      return decideJoin(s, command);
    case 'ParticipantWindowClosed':
      return decideReport(s, command, ctx);
    case 'CreateSettlement':
      return decideCreateSettlement(s, command, ctx);
    case 'ReleaseSettlementWindows':
    case 'SettleSettlementWindows': {
      const state = command.kind === 'SettleSettlementWindows' ? 'SETTLED' : 'ABORTED';
      const { settlementId } = command;
      return {
        events: [{ type: 'SettlementContentsFinished', settlementId, state, atMs: ctx.nowMs }],
        effects: [],
        reply: { ok: true },
      };
    }
    default:
      return assertNever(command);
  }
}

export function decideWindows(
  state: WindowsState,
  command: WindowCommand,
  ctx: DecideContext,
): WindowDecision {
  if (state.phase === 'running') return decideRunning(state, command, ctx);
  // The first command starts window 1, then applies to it.
  const started: WindowEvent = { type: 'WindowsStarted', atMs: ctx.nowMs };
  const decision = decideRunning(firstWindows(ctx.nowMs), command, ctx);
  return { ...decision, events: [started, ...decision.events] };
}

export const settlementWindowActor: ActorDefinition<
  WindowsState,
  WindowCommand,
  WindowEvent,
  WindowReply
> = {
  type: SETTLEMENT_WINDOW_ACTOR_TYPE,
  initial: { phase: 'absent' },
  decide: decideWindows,
  evolve: evolveWindows,
};
