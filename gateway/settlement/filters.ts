// The query filters of GET /settlements (central-settlement): state, currency, participantId,
// accountId, settlementWindowId, and date ranges on the settlement and on its windows. A filter
// that names nothing known matches nothing; a malformed one is a 3101.

import type { RegisteredParticipant } from '../../actors/participant/state.ts';
import type { OpenSettlementState } from '../../actors/settlement/index.ts';
import type { RunningWindows } from '../../actors/settlement-window/index.ts';
import { adminError } from '../admin/http.ts';

type Query = Readonly<Record<string, string>>;
type Predicate = (s: OpenSettlementState) => boolean;

function idOf(query: Query, name: string): number | undefined {
  const text = query[name];
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,14}$/.test(text)) throw adminError('3101', `"${name}" must be an id`);
  return Number(text);
}

function msOf(query: Query, name: string): number | undefined {
  const text = query[name];
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw adminError('3101', `"${name}" must be a date-time`);
  return ms;
}

function within(ms: number, from: number | undefined, to: number | undefined): boolean {
  return (from === undefined || ms >= from) && (to === undefined || ms <= to);
}

export function filterSettlements(
  settlements: readonly OpenSettlementState[],
  windows: RunningWindows,
  participants: readonly RegisteredParticipant[],
  query: Query,
): OpenSettlementState[] {
  const predicates: Predicate[] = [];
  const { state, currency } = query;
  if (state !== undefined) predicates.push((s) => s.state === state);
  if (currency !== undefined)
    predicates.push((s) => s.accounts.some((a) => a.currency === currency));
  const participantId = idOf(query, 'participantId');
  if (participantId !== undefined) {
    const known = participants.some((p) => p.participantId === participantId);
    predicates.push((s) => known && s.accounts.some((a) => a.participantId === participantId));
  }
  const accountId = idOf(query, 'accountId');
  if (accountId !== undefined)
    predicates.push((s) => s.accounts.some((a) => a.accountId === accountId));
  const windowId = idOf(query, 'settlementWindowId');
  if (windowId !== undefined) predicates.push((s) => s.windowIds.includes(windowId));
  const from = msOf(query, 'fromDateTime');
  const to = msOf(query, 'toDateTime');
  predicates.push((s) => within(s.createdAtMs, from, to));
  const windowFrom = msOf(query, 'fromSettlementWindowDateTime');
  const windowTo = msOf(query, 'toSettlementWindowDateTime');
  if (windowFrom !== undefined || windowTo !== undefined) {
    predicates.push((s) =>
      s.windowIds.some((id) => {
        const w = windows.windows[String(id)];
        return w !== undefined && within(w.createdAtMs, windowFrom, windowTo);
      }),
    );
  }
  return settlements.filter((s) => predicates.every((p) => p(s)));
}
