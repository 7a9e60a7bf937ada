// Onboarding commands from the Admin API: hub accounts, participants and their currencies,
// activation, initial position and limits, endpoints. Checks and messages follow central-ledger
// (fspiop.md §6) so operators' scripts see the same errors: 3003 for hub-account problems, 3000
// for a duplicate currency, 3200 for an unknown participant, 2001 for limits already set.

import type { DecideContext } from '../actor.ts';
import {
  accepted,
  isHub,
  notFound,
  type ParticipantDecision,
  refused,
  resolve,
} from './decide-common.ts';
import {
  type Account,
  HUB_ACCOUNT_TYPES,
  isLedgerAccountType,
  type LedgerAccountType,
} from './ledger.ts';
import type {
  AddHubAccount,
  AdjustLimit,
  CreateParticipant,
  SetAccountActive,
  SetApiType,
  SetEndpoint,
  SetInitialPositionAndLimits,
  SetParticipantActive,
} from './messages.ts';
import {
  accountById,
  accountIdFor,
  accountSeqMax,
  findAccount,
  hasCurrency,
  newParticipant,
  type ParticipantState,
  type RegisteredParticipant,
} from './state.ts';

/** Mojaloop's default thresholdAlarmPercentage for a NET_DEBIT_CAP. */
export const DEFAULT_ALARM_PERCENTAGE = 10;

function openAccounts(
  s: RegisteredParticipant,
  types: readonly LedgerAccountType[],
  currency: string,
  options: { isActive: boolean; nowMs: number },
): Account[] {
  return types.map((ledgerAccountType, i) => ({
    id: accountIdFor(s.participantId, s.accountSeq + i + 1),
    ledgerAccountType,
    currency,
    isActive: options.isActive,
    postedMinor: 0n,
    reservedMinor: 0n,
    createdAtMs: options.nowMs,
    changedAtMs: options.nowMs,
  }));
}

export function decideAddHubAccount(
  state: ParticipantState,
  cmd: AddHubAccount,
  ctx: DecideContext,
): ParticipantDecision {
  const resolved = resolve(state, ctx);
  if (!resolved) return refused('3003', 'Participant was not found.');
  const { state: s, prefix } = resolved;
  if (!isLedgerAccountType(cmd.ledgerAccountType)) {
    return refused('3003', 'Ledger account type was not found.');
  }
  if (findAccount(s, cmd.currency, cmd.ledgerAccountType)) {
    return refused('3003', 'Hub account has already been registered.');
  }
  if (!isHub(ctx)) {
    return refused('3003', 'Endpoint is reserved for creation of Hub account types only.');
  }
  if (!HUB_ACCOUNT_TYPES.includes(cmd.ledgerAccountType)) {
    return refused('3003', 'The requested hub operator account type is not allowed.');
  }
  if (s.accountSeq + 1 > accountSeqMax) return refused('3000', 'Too many accounts');
  const accounts = openAccounts(s, [cmd.ledgerAccountType], cmd.currency, {
    isActive: true,
    nowMs: ctx.nowMs,
  });
  return accepted([...prefix, { type: 'AccountsOpened', accounts }]);
}

export function decideCreate(
  state: ParticipantState,
  cmd: CreateParticipant,
  ctx: DecideContext,
): ParticipantDecision {
  if (isHub(ctx)) return refused('3000', 'The Hub participant holds hub accounts only');
  if (state.phase === 'registered' && hasCurrency(state, cmd.currency)) {
    return refused('3000', 'Participant currency has already been registered');
  }
  const registered =
    state.phase === 'registered'
      ? { state, prefix: [] }
      : resolveNew(ctx.actorId, cmd.participantId, cmd.isProxy, ctx.nowMs);
  const s = registered.state;
  if (s.accountSeq + cmd.accountTypes.length > accountSeqMax) {
    return refused('3000', 'Too many accounts');
  }
  const accounts = openAccounts(s, cmd.accountTypes, cmd.currency, {
    isActive: false,
    nowMs: ctx.nowMs,
  });
  return accepted([...registered.prefix, { type: 'AccountsOpened', accounts }]);
}

function resolveNew(name: string, participantId: number, isProxy: boolean, nowMs: number) {
  const state = newParticipant({ name, participantId, isProxy, createdAtMs: nowMs });
  const prefix = [
    { type: 'ParticipantRegistered' as const, name, participantId, isProxy, atMs: nowMs },
  ];
  return { state, prefix };
}

export function decideSetActive(
  state: ParticipantState,
  cmd: SetParticipantActive,
  ctx: DecideContext,
): ParticipantDecision {
  const resolved = resolve(state, ctx);
  if (!resolved) return notFound(ctx);
  return accepted([...resolved.prefix, { type: 'ParticipantActiveSet', isActive: cmd.isActive }]);
}

export function decideSetAccountActive(
  state: ParticipantState,
  cmd: SetAccountActive,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notFound(ctx);
  const account = accountById(state, cmd.accountId);
  if (!account) return refused('3200', `Account ${cmd.accountId} not found`);
  if (account.ledgerAccountType !== 'POSITION') {
    return refused('3100', 'Only position account update is permitted');
  }
  return accepted([
    { type: 'AccountActiveSet', accountId: account.id, isActive: cmd.isActive, atMs: ctx.nowMs },
  ]);
}

export function decideInitialPositionAndLimits(
  state: ParticipantState,
  cmd: SetInitialPositionAndLimits,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notFound(ctx);
  if (!findAccount(state, cmd.currency, 'POSITION')) {
    return refused('3200', `Participant ${state.name} ${cmd.currency} account not found`);
  }
  if (state.limits[cmd.currency]) {
    return refused('2001', 'Participant Limit or Initial Position already set');
  }
  const limit = {
    valueMinor: cmd.netDebitCapMinor,
    alarmPercentage: cmd.alarmPercentage,
    changedAtMs: ctx.nowMs,
  };
  return accepted([
    {
      type: 'InitialPositionAndLimitsSet',
      currency: cmd.currency,
      limit,
      initialPositionMinor: cmd.initialPositionMinor,
      atMs: ctx.nowMs,
    },
  ]);
}

export function decideAdjustLimit(
  state: ParticipantState,
  cmd: AdjustLimit,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notFound(ctx);
  if (!findAccount(state, cmd.currency, 'POSITION')) {
    return refused('3200', `Participant ${state.name} ${cmd.currency} account not found`);
  }
  const alarmPercentage =
    cmd.alarmPercentage ?? state.limits[cmd.currency]?.alarmPercentage ?? DEFAULT_ALARM_PERCENTAGE;
  const limit = { valueMinor: cmd.netDebitCapMinor, alarmPercentage, changedAtMs: ctx.nowMs };
  return accepted([{ type: 'LimitAdjusted', currency: cmd.currency, limit }]);
}

export function decideSetEndpoint(
  state: ParticipantState,
  cmd: SetEndpoint,
  ctx: DecideContext,
): ParticipantDecision {
  const resolved = resolve(state, ctx);
  if (!resolved) return notFound(ctx);
  return accepted([
    ...resolved.prefix,
    { type: 'EndpointSet', endpointType: cmd.endpointType, value: cmd.value },
  ]);
}

export function decideSetApiType(
  state: ParticipantState,
  cmd: SetApiType,
  ctx: DecideContext,
): ParticipantDecision {
  if (state.phase === 'absent') return notFound(ctx);
  const learned = cmd.learned === true;
  const current = state.apiType;
  // The operator's choice stands; a learned type only fills a gap, and a repeat changes nothing.
  if (current !== undefined && learned && !current.learned) return accepted([]);
  if (current?.type === cmd.apiType && current.learned === learned) return accepted([]);
  return accepted([{ type: 'ApiTypeSet', apiType: cmd.apiType, learned }]);
}
