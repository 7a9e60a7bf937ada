// Read models of the Settlement API, rendered from SettlementWindow and Settlement snapshots in
// central-settlement's shapes (fspiop.md §7): ISO dates, numeric ids, amounts as JSON numbers at
// the edge only.

import { settlementWindowRef } from '../../actors/contracts/window-participant.ts';
import { SETTLEMENT_ACTOR_TYPE } from '../../actors/contracts/window-settlement.ts';
import type { OpenSettlementState, SettlementState } from '../../actors/settlement/index.ts';
import type {
  RunningWindows,
  SettlementWindow,
  WindowsState,
} from '../../actors/settlement-window/index.ts';
import { amountAsNumber } from '../../schema/money.ts';
import { type AdminDeps, adminError, isoDate } from '../admin/http.ts';
import { readUntil, windowCommand } from './commands.ts';

/**
 * The hub's windows. Before any window command none exist; the first read starts them (window 1
 * OPEN, created now, as Mojaloop seeds it at install), so every window shows a real creation time.
 */
export async function readWindows(deps: AdminDeps): Promise<RunningWindows> {
  const state = await deps.reader.get<WindowsState>(settlementWindowRef);
  if (state?.phase === 'running') return state;
  await windowCommand(deps, { kind: 'StartSettlementWindows' });
  const started = await readUntil(
    () => deps.reader.get<WindowsState>(settlementWindowRef),
    (s) => s?.phase === 'running',
  );
  if (started?.phase !== 'running') throw adminError('2001', 'Settlement windows are starting');
  return started;
}

export function requireWindow(windows: RunningWindows, id: number): SettlementWindow {
  const found = windows.windows[String(id)];
  if (!found) throw adminError('3100', `Settlement window ${id} not found`);
  return found;
}

export function windowView(w: SettlementWindow) {
  return {
    id: w.id,
    settlementWindowId: w.id,
    reason: w.reason ?? null,
    state: w.state,
    createdDate: isoDate(w.createdAtMs),
    changedDate: isoDate(w.changedAtMs),
    content: w.contents.map((c) => ({
      id: c.id,
      settlementWindowId: w.id,
      state: c.state,
      ledgerAccountType: c.ledgerAccountType,
      currencyId: c.currency,
      createdDate: isoDate(c.createdAtMs),
      changedDate: isoDate(c.changedAtMs),
      settlementId: c.settlementId ?? null,
    })),
  };
}

export async function findSettlement(
  deps: AdminDeps,
  id: number,
): Promise<OpenSettlementState | undefined> {
  const ref = { type: SETTLEMENT_ACTOR_TYPE, key: String(id) };
  const state = await deps.reader.get<SettlementState>(ref);
  return state?.phase === 'open' ? state : undefined;
}

export async function requireSettlement(deps: AdminDeps, id: number): Promise<OpenSettlementState> {
  const found = await findSettlement(deps, id);
  if (!found) throw adminError('3100', `Settlement ${id} not found`);
  return found;
}

export async function allSettlements(deps: AdminDeps): Promise<OpenSettlementState[]> {
  const rows = await deps.reader.list<SettlementState>(SETTLEMENT_ACTOR_TYPE);
  return rows
    .flatMap((r) => (r.state.phase === 'open' ? [r.state] : []))
    .sort((a, b) => a.settlementId - b.settlementId);
}

export type AccountError = { readonly errorCode: string; readonly errorDescription: string };

/** A settlement as central-settlement answers it; `errors` by account id from a PUT. */
export function settlementView(
  s: OpenSettlementState,
  windows: RunningWindows,
  options: { participantId?: number; errors?: ReadonlyMap<number, AccountError> } = {},
) {
  const byParticipant = new Map<number, ReturnType<typeof accountView>[]>();
  for (const a of s.accounts) {
    if (options.participantId !== undefined && a.participantId !== options.participantId) continue;
    const accounts = byParticipant.get(a.participantId) ?? [];
    const error = options.errors?.get(a.accountId);
    accounts.push({ ...accountView(a), ...(error ? { errorInformation: error } : {}) });
    byParticipant.set(a.participantId, accounts);
  }
  return {
    id: s.settlementId,
    state: s.state,
    reason: s.reason,
    ...(s.externalReference === undefined ? {} : { externalReference: s.externalReference }),
    settlementModel: s.model.name,
    createdDate: isoDate(s.createdAtMs),
    changedDate: isoDate(s.changedAtMs),
    settlementWindows: s.windowIds.flatMap((id) => {
      const w = windows.windows[String(id)];
      return w ? [windowView(w)] : [];
    }),
    participants: [...byParticipant].map(([id, accounts]) => ({ id, accounts })),
  };
}

function accountView(a: OpenSettlementState['accounts'][number]) {
  return {
    id: a.accountId,
    state: a.state,
    reason: a.reason,
    ...(a.externalReference === undefined ? {} : { externalReference: a.externalReference }),
    changedDate: isoDate(a.changedAtMs),
    netSettlementAmount: { amount: amountAsNumber(a.netMinor), currency: a.currency },
  };
}
