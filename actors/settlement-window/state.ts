// The state of the hub's settlement windows: the id of the one OPEN window, the participants
// that record commits, and every window with its content. A closed window's content is built
// from the participants' reports, per (ledgerAccountType, currency), and its state follows the
// states of its contents once every participant reported.

import type { WindowNets } from '../contracts/window-participant.ts';

export type WindowState =
  | 'OPEN'
  | 'PROCESSING'
  | 'CLOSED'
  | 'PENDING_SETTLEMENT'
  | 'SETTLED'
  | 'ABORTED';

export type ContentState = 'CLOSED' | 'PENDING_SETTLEMENT' | 'SETTLED' | 'ABORTED';

export type WindowContent = {
  /** windowId * 100 + position: stable and unique across windows. */
  readonly id: number;
  readonly ledgerAccountType: string;
  readonly currency: string;
  readonly state: ContentState;
  /** Net per participant, signed minor units (positive: owes). */
  readonly nets: Readonly<Record<string, bigint>>;
  readonly settlementId?: number;
  readonly createdAtMs: number;
  readonly changedAtMs: number;
};

export type SettlementWindow = {
  readonly id: number;
  readonly state: WindowState;
  readonly reason?: string;
  readonly createdAtMs: number;
  readonly changedAtMs: number;
  /** Participants whose report for this window has not arrived (PROCESSING while non-empty). */
  readonly awaiting: readonly string[];
  /** Reports summed so far; turned into `contents` when the last one arrives. */
  readonly reported: WindowNets;
  /** Reports added here that were for another window, final before they arrived (the reason). */
  readonly lateReports?: readonly LateReport[];
  readonly contents: readonly WindowContent[];
};

export type LateReport = {
  readonly participant: string;
  readonly windowId: number;
  readonly atMs: number;
};

export type RunningWindows = {
  readonly phase: 'running';
  readonly openWindowId: number;
  readonly participants: readonly string[];
  /** By String(window id). */
  readonly windows: Readonly<Record<string, SettlementWindow>>;
  /** The last settlement id handed out. */
  readonly settlementSeq: number;
};

export type WindowsState = { readonly phase: 'absent' } | RunningWindows;

export const contentsPerWindowMax = 99;

export function openWindow(id: number, atMs: number): SettlementWindow {
  return {
    id,
    state: 'OPEN',
    createdAtMs: atMs,
    changedAtMs: atMs,
    awaiting: [],
    reported: {},
    contents: [],
  };
}

/** The first command the hub's windows see starts window 1, as Mojaloop seeds it. */
export function firstWindows(atMs: number): RunningWindows {
  return {
    phase: 'running',
    openWindowId: 1,
    participants: [],
    windows: { '1': openWindow(1, atMs) },
    settlementSeq: 0,
  };
}

/** A closed window's state, derived from its contents. */
export function closedWindowState(contents: readonly WindowContent[]): WindowState {
  if (contents.some((c) => c.state === 'PENDING_SETTLEMENT')) return 'PENDING_SETTLEMENT';
  if (contents.length > 0 && contents.every((c) => c.state === 'SETTLED')) return 'SETTLED';
  if (contents.some((c) => c.state === 'ABORTED')) return 'ABORTED';
  return 'CLOSED';
}

/** Window contents from the summed reports, in a stable (type, currency) order. */
export function contentsOf(
  windowId: number,
  nets: WindowNets,
  atMs: number,
): readonly WindowContent[] {
  const contents: WindowContent[] = [];
  for (const type of Object.keys(nets).sort()) {
    const byCurrency = nets[type] ?? {};
    for (const currency of Object.keys(byCurrency).sort()) {
      contents.push({
        id: windowId * 100 + contents.length + 1,
        ledgerAccountType: type,
        currency,
        state: 'CLOSED',
        nets: byCurrency[currency] ?? {},
        createdAtMs: atMs,
        changedAtMs: atMs,
      });
    }
  }
  return contents;
}
