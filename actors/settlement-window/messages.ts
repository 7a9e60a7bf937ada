// Commands, events and replies of the SettlementWindow actor. The gateway closes windows and
// asks for settlements; participants join and report; settlements release or settle the windows
// they took. The participant directory and the model's terms are stamped on CreateSettlement by
// the gateway from durable snapshots, so the decision is a function of the command alone.

import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type {
  JoinSettlementWindows,
  ParticipantWindowClosed,
  WindowNets,
} from '../contracts/window-participant.ts';
import type {
  ReleaseSettlementWindows,
  SettlementModelRef,
  SettleSettlementWindows,
} from '../contracts/window-settlement.ts';

/** Starts the hub's windows (window 1 OPEN, created now) if nothing has yet; else nothing. */
export type StartSettlementWindows = { readonly kind: 'StartSettlementWindows' };

export type CloseSettlementWindow = {
  readonly kind: 'CloseSettlementWindow';
  readonly windowId: number;
  readonly reason: string;
};

/** How the gateway saw one participant: its id and account ids by `<currency>/<type>`. */
export type DirectoryParticipant = {
  readonly participantId: number;
  readonly accounts: Readonly<Record<string, number>>;
};

export type CreateSettlement = {
  readonly kind: 'CreateSettlement';
  readonly reason: string;
  readonly windowIds: readonly number[];
  readonly model: SettlementModelRef & {
    /** The model's currency; absent for a default model. */
    readonly currency?: string;
    /** For a default model: currencies that have a model of their own (not settled here). */
    readonly excludedCurrencies: readonly string[];
  };
  readonly participants: Readonly<Record<string, DirectoryParticipant>>;
};

export type WindowCommand =
  | StartSettlementWindows
  | CloseSettlementWindow
  | CreateSettlement
  | JoinSettlementWindows
  | ParticipantWindowClosed
  | ReleaseSettlementWindows
  | SettleSettlementWindows;

export type WindowEvent =
  | { readonly type: 'WindowsStarted'; readonly atMs: number }
  | {
      readonly type: 'WindowClosing';
      readonly windowId: number;
      readonly reason: string;
      readonly nextWindowId: number;
      readonly atMs: number;
    }
  | { readonly type: 'ParticipantJoined'; readonly participant: string }
  | {
      readonly type: 'WindowNetsReported';
      readonly windowId: number;
      readonly participant: string;
      readonly nets: WindowNets;
      readonly atMs: number;
    }
  | {
      /** Nets for `windowId` that it did not await, added to `intoWindowId` (not yet final). */
      readonly type: 'LateNetsReported';
      readonly windowId: number;
      readonly intoWindowId: number;
      readonly participant: string;
      readonly nets: WindowNets;
      readonly atMs: number;
    }
  | {
      readonly type: 'SettlementContentsTaken';
      readonly settlementId: number;
      readonly contentIds: readonly number[];
      readonly atMs: number;
    }
  | {
      readonly type: 'SettlementContentsFinished';
      readonly settlementId: number;
      readonly state: 'ABORTED' | 'SETTLED';
      readonly atMs: number;
    };

export type WindowReply =
  | { readonly ok: true; readonly windowId?: number; readonly settlementId?: number }
  | { readonly ok: false; readonly error: FspiopError };
