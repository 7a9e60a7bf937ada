// The SettlementModel actor (key = model name) stores the settlement models a hub operator
// defines (fspiop.md §6.4). Only the four combinations Mojaloop supports are accepted. The admin
// routes read the models to decide which accounts a new participant currency gets; the
// settlement work later reads granularity, interchange and delay from here.

import { fspiopError } from '../../schema/fspiop/errors.ts';
import {
  type ActorDefinition,
  assertNever,
  type DecideContext,
  type Decision,
  invariant,
} from '../actor.ts';
import { isLedgerAccountType, type LedgerAccountType } from '../participant/ledger.ts';

export const SETTLEMENT_MODEL_ACTOR_TYPE = 'settlementModel';

export type SettlementGranularity = 'GROSS' | 'NET';
export type SettlementInterchange = 'BILATERAL' | 'MULTILATERAL';
export type SettlementDelay = 'IMMEDIATE' | 'DEFERRED';

export type SettlementModelTerms = {
  readonly settlementGranularity: SettlementGranularity;
  readonly settlementInterchange: SettlementInterchange;
  readonly settlementDelay: SettlementDelay;
  /** Absent: the default model for every currency without a model of its own. */
  readonly currency?: string;
  readonly requireLiquidityCheck: boolean;
  readonly ledgerAccountType: string;
  readonly settlementAccountType: string;
  readonly autoPositionReset: boolean;
};

export type SettlementModel = SettlementModelTerms & {
  readonly phase: 'defined';
  readonly settlementModelId: number;
  readonly name: string;
  readonly isActive: boolean;
  readonly ledgerAccountType: LedgerAccountType;
  readonly settlementAccountType: LedgerAccountType;
  readonly createdAtMs: number;
};

export type SettlementModelState = { readonly phase: 'absent' } | SettlementModel;

export type SettlementModelCommand =
  | {
      readonly kind: 'CreateSettlementModel';
      /** Numeric id chosen by the admin route, unique among models. */
      readonly settlementModelId: number;
      readonly terms: SettlementModelTerms;
    }
  | { readonly kind: 'SetSettlementModelActive'; readonly isActive: boolean };

export type SettlementModelEvent =
  | { readonly type: 'SettlementModelCreated'; readonly model: SettlementModel }
  | { readonly type: 'SettlementModelActiveSet'; readonly isActive: boolean };

export type SettlementModelReply =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: ReturnType<typeof fspiopError> };

type ModelDecision = Decision<SettlementModelEvent, SettlementModelReply>;

/** delay-granularity-interchange combinations Mojaloop supports. */
const SUPPORTED = new Set([
  'IMMEDIATE-GROSS-BILATERAL',
  'DEFERRED-GROSS-BILATERAL',
  'DEFERRED-NET-BILATERAL',
  'DEFERRED-NET-MULTILATERAL',
]);

export function isSupportedCombination(terms: SettlementModelTerms): boolean {
  const key = `${terms.settlementDelay}-${terms.settlementGranularity}-${terms.settlementInterchange}`;
  return SUPPORTED.has(key);
}

function refuse(code: '3000' | '3003' | '3200', detail: string): ModelDecision {
  return { events: [], effects: [], reply: { ok: false, error: fspiopError(code, detail) } };
}

function decideCreate(
  state: SettlementModelState,
  cmd: Extract<SettlementModelCommand, { kind: 'CreateSettlementModel' }>,
  ctx: DecideContext,
): ModelDecision {
  const { terms } = cmd;
  if (!isSupportedCombination(terms)) {
    const combo = `${terms.settlementDelay} ${terms.settlementGranularity} ${terms.settlementInterchange}`;
    return refuse('3000', `Settlement model combination ${combo} is not supported`);
  }
  if (!isLedgerAccountType(terms.ledgerAccountType)) {
    return refuse('3003', 'Ledger account type was not found');
  }
  if (!isLedgerAccountType(terms.settlementAccountType)) {
    return refuse('3003', 'Settlement account type was not found');
  }
  if (state.phase === 'defined') return refuse('3000', 'Settlement Model already exists');
  const model: SettlementModel = {
    ...terms,
    phase: 'defined',
    settlementModelId: cmd.settlementModelId,
    name: ctx.actorId,
    isActive: true,
    ledgerAccountType: terms.ledgerAccountType,
    settlementAccountType: terms.settlementAccountType,
    createdAtMs: ctx.nowMs,
  };
  return { events: [{ type: 'SettlementModelCreated', model }], effects: [], reply: { ok: true } };
}

export function decideSettlementModel(
  state: SettlementModelState,
  command: SettlementModelCommand,
  ctx: DecideContext,
): ModelDecision {
  switch (command.kind) {
    case 'CreateSettlementModel':
      return decideCreate(state, command, ctx);
    case 'SetSettlementModelActive':
      if (state.phase === 'absent') return refuse('3200', 'Settlement Model does not exist');
      return {
        events: [{ type: 'SettlementModelActiveSet', isActive: command.isActive }],
        effects: [],
        reply: { ok: true },
      };
    default:
      return assertNever(command);
  }
}

export function evolveSettlementModel(
  state: SettlementModelState,
  event: SettlementModelEvent,
): SettlementModelState {
  switch (event.type) {
    case 'SettlementModelCreated':
      return event.model;
    case 'SettlementModelActiveSet':
      invariant(state.phase === 'defined', 'settlement model activation before creation');
      return { ...state, isActive: event.isActive };
    default:
      return assertNever(event);
  }
}

export const settlementModelActor: ActorDefinition<
  SettlementModelState,
  SettlementModelCommand,
  SettlementModelEvent,
  SettlementModelReply
> = {
  type: SETTLEMENT_MODEL_ACTOR_TYPE,
  initial: { phase: 'absent' },
  decide: decideSettlementModel,
  evolve: evolveSettlementModel,
};
