// The settlement report: per participant account, the net amount, its direction, the account's
// state and external reference, as JSON and as CSV (RFC 4180 quoting, so a participant name or a
// reference with a comma or a quote stays one field; a leading =, +, - or @ is prefixed with a
// quote so a spreadsheet does not run it as a formula).

import type { RegisteredParticipant } from '../../actors/participant/state.ts';
import type { OpenSettlementState } from '../../actors/settlement/index.ts';
import { formatAmount } from '../../schema/money.ts';
import { isoDate } from '../admin/http.ts';

function direction(netMinor: bigint): string {
  if (netMinor > 0n) return 'NET_SENDER';
  if (netMinor < 0n) return 'NET_RECIPIENT';
  return 'NET_ZERO';
}

export function reportJson(s: OpenSettlementState, participants: readonly RegisteredParticipant[]) {
  const names = new Map(participants.map((p) => [p.participantId, p.name]));
  return {
    settlementId: s.settlementId,
    state: s.state,
    settlementModel: s.model.name,
    settlementWindows: s.windowIds,
    createdDate: isoDate(s.createdAtMs),
    changedDate: isoDate(s.changedAtMs),
    participants: s.accounts.map((a) => ({
      participantId: a.participantId,
      participantName: names.get(a.participantId) ?? a.participant,
      accountId: a.accountId,
      currency: a.currency,
      netSettlementAmount: formatAmount(a.netMinor < 0n ? -a.netMinor : a.netMinor),
      direction: direction(a.netMinor),
      state: a.state,
      externalReference: a.externalReference ?? null,
    })),
  };
}

const COLUMNS = [
  'settlementId',
  'participantId',
  'participantName',
  'accountId',
  'currency',
  'netSettlementAmount',
  'direction',
  'state',
  'externalReference',
] as const;

function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(text) && !/^-?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function reportCsv(s: OpenSettlementState, participants: readonly RegisteredParticipant[]) {
  const report = reportJson(s, participants);
  const rows = report.participants.map((p) =>
    COLUMNS.map((column) => csvField(column === 'settlementId' ? report.settlementId : p[column])),
  );
  return [COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\r\n').concat('\r\n');
}
