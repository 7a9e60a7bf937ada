// Read models of the Admin API, rendered from Participant and SettlementModel snapshots in the
// shapes central-ledger answers with (fspiop.md §3.8, §6.1): numbers for amounts, 1/0 flags,
// ISO dates. Account `value` includes reservations in flight, as Mojaloop's position value does.

import { PARTICIPANT_ACTOR_TYPE } from '../../actors/participant/directory.ts';
import type { Account } from '../../actors/participant/ledger.ts';
import { accountValueMinor } from '../../actors/participant/ledger.ts';
import {
  HUB_PARTICIPANT_ID,
  newParticipant,
  type ParticipantState,
  type RegisteredParticipant,
} from '../../actors/participant/state.ts';
import {
  SETTLEMENT_MODEL_ACTOR_TYPE,
  type SettlementModel,
  type SettlementModelState,
} from '../../actors/settlement-model/actor.ts';
import { amountAsNumber } from '../../schema/money.ts';
import { type AdminDeps, adminError, flag, isoDate } from './http.ts';

/** The hub exists before its first command, as Mojaloop seeds it. */
function seededHub(name: string): RegisteredParticipant {
  return newParticipant({
    name,
    participantId: HUB_PARTICIPANT_ID,
    isProxy: false,
    createdAtMs: 0,
  });
}

export async function findParticipant(
  deps: AdminDeps,
  name: string,
): Promise<RegisteredParticipant | undefined> {
  const state = await deps.reader.get<ParticipantState>({
    type: PARTICIPANT_ACTOR_TYPE,
    key: name,
  });
  if (state?.phase === 'registered') return state;
  return name === deps.hub.hubName ? seededHub(name) : undefined;
}

export async function requireParticipant(
  deps: AdminDeps,
  name: string,
): Promise<RegisteredParticipant> {
  const found = await findParticipant(deps, name);
  if (!found) throw adminError('3200', `Participant ${name} does not exist`);
  return found;
}

export async function allParticipants(deps: AdminDeps): Promise<RegisteredParticipant[]> {
  const rows = await deps.reader.list<ParticipantState>(PARTICIPANT_ACTOR_TYPE);
  const found = rows.flatMap((r) => (r.state.phase === 'registered' ? [r.state] : []));
  if (!found.some((p) => p.name === deps.hub.hubName)) found.push(seededHub(deps.hub.hubName));
  return found.sort((a, b) => a.participantId - b.participantId || a.name.localeCompare(b.name));
}

export function accountsOf(p: RegisteredParticipant): Account[] {
  return Object.values(p.accounts).sort((a, b) => a.id - b.id);
}

export function participantView(p: RegisteredParticipant, baseUrl: string) {
  const link = `${baseUrl}/participants/${p.name}`;
  return {
    name: p.name,
    id: link,
    created: isoDate(p.createdAtMs),
    isActive: flag(p.isActive),
    links: { self: link },
    accounts: accountsOf(p).map((a) => ({
      id: a.id,
      ledgerAccountType: a.ledgerAccountType,
      currency: a.currency,
      isActive: flag(a.isActive),
      createdDate: isoDate(a.createdAtMs),
      createdBy: 'unknown',
    })),
    isProxy: flag(p.isProxy),
  };
}

export function accountView(a: Account) {
  return {
    id: a.id,
    ledgerAccountType: a.ledgerAccountType,
    currency: a.currency,
    isActive: flag(a.isActive),
    value: amountAsNumber(accountValueMinor(a)),
    reservedValue: 0,
    changedDate: isoDate(a.changedAtMs),
  };
}

export function positionView(a: Account) {
  return {
    currency: a.currency,
    value: amountAsNumber(accountValueMinor(a)),
    changedDate: isoDate(a.changedAtMs),
  };
}

// Snapshot maps come back from JSONB in its key order (length, then bytes), not insertion order:
// answers order limits by the currency's POSITION account id (the order currencies were added,
// as central-ledger's rows) and endpoints by type, so both runtimes answer the same bodies.
function currencyRank(p: RegisteredParticipant): (currency: string) => number {
  const positions = accountsOf(p).filter((a) => a.ledgerAccountType === 'POSITION');
  return (currency) => {
    const index = positions.findIndex((a) => a.currency === currency);
    return index === -1 ? positions.length : index;
  };
}

export function endpointViews(p: RegisteredParticipant): Array<{ type: string; value: string }> {
  return Object.entries(p.endpoints)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([type, value]) => ({ type, value }));
}

export function limitViews(p: RegisteredParticipant, currency?: string) {
  const rank = currencyRank(p);
  return Object.entries(p.limits)
    .filter(([cur]) => currency === undefined || cur === currency)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([cur, limit]) => ({
      currency: cur,
      limit: {
        type: 'NET_DEBIT_CAP',
        value: amountAsNumber(limit.valueMinor),
        alarmPercentage: limit.alarmPercentage,
      },
    }));
}

export async function allSettlementModels(deps: AdminDeps): Promise<SettlementModel[]> {
  const rows = await deps.reader.list<SettlementModelState>(SETTLEMENT_MODEL_ACTOR_TYPE);
  return rows
    .flatMap((r) => (r.state.phase === 'defined' ? [r.state] : []))
    .sort((a, b) => a.settlementModelId - b.settlementModelId);
}

export function settlementModelView(m: SettlementModel) {
  return {
    settlementModelId: m.settlementModelId,
    name: m.name,
    isActive: m.isActive,
    settlementGranularity: m.settlementGranularity,
    settlementInterchange: m.settlementInterchange,
    settlementDelay: m.settlementDelay,
    currency: m.currency ?? null,
    requireLiquidityCheck: m.requireLiquidityCheck,
    // Mojaloop's answer names the ledger account type under this key.
    ledgerAccountTypeId: m.ledgerAccountType,
    ledgerAccountType: m.ledgerAccountType,
    settlementAccountType: m.settlementAccountType,
    autoPositionReset: m.autoPositionReset,
  };
}

/** central-ledger's validateHubAccounts: both hub accounts must exist for the currency. */
export async function requireHubAccounts(deps: AdminDeps, currency: string): Promise<void> {
  const hub = await requireParticipant(deps, deps.hub.hubName);
  const has = (type: string) =>
    accountsOf(hub).some((a) => a.currency === currency && a.ledgerAccountType === type);
  if (!has('HUB_RECONCILIATION')) {
    throw adminError(
      '3003',
      'Hub reconciliation account for the specified currency does not exist',
    );
  }
  if (!has('HUB_MULTILATERAL_SETTLEMENT')) {
    throw adminError(
      '3003',
      'Hub multilateral net settlement account for the specified currency does not exist',
    );
  }
}
