// Folds one SettlementWindow event into state. Strict: a report for a window that does not await
// the participant, or contents taken twice, is a bug in decide() and fails an invariant.

import { assertNever, invariant } from '../actor.ts';
import { mergeNets } from '../contracts/window-participant.ts';
import type { WindowEvent } from './messages.ts';
import {
  closedWindowState,
  contentsOf,
  firstWindows,
  openWindow,
  type RunningWindows,
  type SettlementWindow,
  type WindowContent,
  type WindowsState,
} from './state.ts';

export function evolveWindows(state: WindowsState, event: WindowEvent): WindowsState {
  if (event.type === 'WindowsStarted') {
    invariant(state.phase === 'absent', 'settlement windows started twice');
    return firstWindows(event.atMs);
  }
  invariant(state.phase === 'running', `${event.type} before the windows started`);
  switch (event.type) {
    case 'WindowClosing':
      return closing(state, event);
    case 'ParticipantJoined':
      return { ...state, participants: [...state.participants, event.participant] };
    case 'WindowNetsReported':
      return reported(state, event);
    case 'LateNetsReported':
      return lateReported(state, event);
    case 'SettlementContentsTaken':
      return withContents(state, event.atMs, (c) =>
        event.contentIds.includes(c.id)
          ? { ...c, state: 'PENDING_SETTLEMENT', settlementId: event.settlementId }
          : c,
      ).withSeq(event.settlementId);
    case 'SettlementContentsFinished':
      return withContents(state, event.atMs, (c) =>
        c.settlementId === event.settlementId && c.state === 'PENDING_SETTLEMENT'
          ? { ...c, state: event.state }
          : c,
      ).withSeq(state.settlementSeq);
    default:
      return assertNever(event);
  }
}

function window(state: RunningWindows, id: number): SettlementWindow {
  const found = state.windows[String(id)];
  invariant(found, `settlement window ${id} does not exist`);
  return found;
}

function closing(
  state: RunningWindows,
  event: Extract<WindowEvent, { type: 'WindowClosing' }>,
): RunningWindows {
  const open = window(state, event.windowId);
  invariant(open.state === 'OPEN', `window ${event.windowId} closes only when OPEN`);
  const closed: SettlementWindow = {
    ...open,
    reason: event.reason,
    changedAtMs: event.atMs,
    awaiting: state.participants,
    // With nobody to await, the content is final now: what late reports added to it.
    ...(state.participants.length === 0
      ? { state: 'CLOSED', reported: {}, contents: contentsOf(open.id, open.reported, event.atMs) }
      : { state: 'PROCESSING' }),
  };
  return {
    ...state,
    openWindowId: event.nextWindowId,
    windows: {
      ...state.windows,
      [String(open.id)]: closed,
      [String(event.nextWindowId)]: openWindow(event.nextWindowId, event.atMs),
    },
  };
}

function reported(
  state: RunningWindows,
  event: Extract<WindowEvent, { type: 'WindowNetsReported' }>,
): RunningWindows {
  const w = window(state, event.windowId);
  invariant(w.awaiting.includes(event.participant), `window ${w.id} did not await this report`);
  const awaiting = w.awaiting.filter((p) => p !== event.participant);
  const sum = mergeNets(w.reported, event.nets);
  const done = awaiting.length === 0;
  const next: SettlementWindow = done
    ? {
        ...w,
        awaiting,
        reported: {},
        contents: contentsOf(w.id, sum, event.atMs),
        state: 'CLOSED',
        changedAtMs: event.atMs,
      }
    : { ...w, awaiting, reported: sum };
  return { ...state, windows: { ...state.windows, [String(w.id)]: next } };
}

function lateReported(
  state: RunningWindows,
  event: Extract<WindowEvent, { type: 'LateNetsReported' }>,
): RunningWindows {
  const into = window(state, event.intoWindowId);
  invariant(into.state === 'OPEN' || into.state === 'PROCESSING', `window ${into.id} is final`);
  const reason = { participant: event.participant, windowId: event.windowId, atMs: event.atMs };
  const next: SettlementWindow = {
    ...into,
    reported: mergeNets(into.reported, event.nets),
    lateReports: [...(into.lateReports ?? []), reason],
  };
  return { ...state, windows: { ...state.windows, [String(into.id)]: next } };
}

// Applies `change` to every content, re-deriving the state of the windows it touched.
function withContents(
  state: RunningWindows,
  atMs: number,
  change: (content: WindowContent) => WindowContent,
) {
  const windows: Record<string, SettlementWindow> = { ...state.windows };
  for (const [key, w] of Object.entries(state.windows)) {
    const contents = w.contents.map(change);
    if (contents.every((c, i) => c === w.contents[i])) continue;
    const stamped = contents.map((c, i) => (c === w.contents[i] ? c : { ...c, changedAtMs: atMs }));
    windows[key] = {
      ...w,
      contents: stamped,
      state: closedWindowState(stamped),
      changedAtMs: atMs,
    };
  }
  return { withSeq: (settlementSeq: number) => ({ ...state, windows, settlementSeq }) };
}
