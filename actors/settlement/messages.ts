// Commands, events and replies of the Settlement actor. OpenSettlement comes from the window
// actor; UpdateSettlementAccounts and AbortSettlement from the Settlement API (PUT
// /settlements/{id}[/participants/{pid}[/accounts/{aid}]]). Refused account updates are values in
// the reply, as central-settlement answers them per account; nothing about them changes state.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { OpenSettlement } from '../contracts/window-settlement.ts';
import type { AccountStep, OpenSettlementState, SettlementStateName } from './state.ts';

export type AccountUpdate = {
  readonly participantId: number;
  readonly accountId: number;
  readonly state: string;
  readonly reason: string;
  readonly externalReference?: string;
};

export type UpdateSettlementAccounts = {
  readonly kind: 'UpdateSettlementAccounts';
  readonly updates: readonly AccountUpdate[];
};

export type AbortSettlement = {
  readonly kind: 'AbortSettlement';
  readonly reason: string;
  readonly externalReference?: string;
};

export type SettlementCommand = OpenSettlement | UpdateSettlementAccounts | AbortSettlement;

export type SettlementEvent =
  | { readonly type: 'SettlementOpened'; readonly settlement: OpenSettlementState }
  | {
      readonly type: 'SettlementAccountStepped';
      readonly accountId: number;
      readonly state: AccountStep;
      readonly reason: string;
      readonly externalReference?: string;
      readonly atMs: number;
    }
  | {
      readonly type: 'SettlementStateChanged';
      readonly state: SettlementStateName;
      readonly reason?: string;
      readonly externalReference?: string;
      readonly atMs: number;
    };

export type RefusedUpdate = {
  readonly participantId: number;
  readonly accountId: number;
  readonly error: FspiopError;
};

export type SettlementReply =
  | { readonly ok: true; readonly refused: readonly RefusedUpdate[] }
  | { readonly ok: false; readonly error: FspiopError };
