// Commands, events and replies of the Participant actor. Two audiences: the Admin API (onboarding,
// limits, endpoints, funds in/out: replies are values the admin routes turn into HTTP) and the
// Transfer actor (ReserveFunds / CommitReservation / CreditPosition / ReleaseReservation, whose
// shapes are a contract with actors/transfer). Every money command is idempotent by transferId.

import type { ExtensionList, FspiopError } from '../../schema/fspiop/errors.ts';
import type { Callback } from '../callback.ts';
import type { ApiType } from './directory.ts';
import type { Account, LedgerAccountType } from './ledger.ts';
import type {
  ParticipantSettlementCommand,
  ParticipantSettlementEvent,
} from './settlement-messages.ts';

// --- from the Transfer actor ---------------------------------------------------------------

/**
 * The key a position command's ledger entries live under on the participant (reservation,
 * `reserve:` outcome, `credit:` posting), when it is not the transferId. A conversion uses
 * `fx:<commitRequestId>` (fxLedgerId), so a transfer whose transferId equals a commitRequestId
 * never shares its slot: it is reserved and checked on its own. Answers still carry transferId.
 */
export type LedgerId = { readonly ledgerId?: string };

export function fxLedgerId(commitRequestId: string): string {
  return `fx:${commitRequestId}`;
}

/** The participant-side key of a position command: its ledgerId, else its transferId. */
export function ledgerKeyOf(cmd: LedgerId & { readonly transferId: string }): string {
  return cmd.ledgerId ?? cmd.transferId;
}

export type ReserveFunds = LedgerId & {
  readonly kind: 'ReserveFunds';
  readonly transferId: string;
  readonly payerFsp: string;
  readonly payeeFsp: string;
  readonly currency: string;
  readonly amountMinor: bigint;
  /** Interchange fee the payer owes the payee, booked at commit when a fee model applies. */
  readonly interchangeFeeMinor?: bigint;
  /** Actor type the answer goes to, keyed by transferId; default `transfer` (FX: `fx-transfer`). */
  readonly replyTo?: string;
};
/**
 * Callbacks the participant sends in the same step as the posting, so the DFSP they tell hears
 * of it only once the posting is durable (FX: the payer hears the outcome of a conversion after
 * its ledger leg is applied, as Mojaloop's position handler does before notifying).
 */
export type Notify = { readonly notify?: readonly Callback[] };

export type CommitReservation = Notify &
  LedgerId & {
    readonly kind: 'CommitReservation';
    readonly transferId: string;
  };
export type CreditPosition = Notify &
  LedgerId & {
    readonly kind: 'CreditPosition';
    readonly transferId: string;
    readonly currency: string;
    readonly amountMinor: bigint;
  };
export type ReleaseReservation = Notify &
  LedgerId & {
    readonly kind: 'ReleaseReservation';
    readonly transferId: string;
  };

// Replies to the Transfer actor are defined by their receiver (actors/transfer/messages.ts).
export type {
  FundsReserved as FundsReservedReply,
  RecordHubTransfer,
  ReservationRejected as ReservationRejectedReply,
} from '../transfer/messages.ts';

export type AddHubAccount = {
  readonly kind: 'AddHubAccount';
  readonly ledgerAccountType: string;
  readonly currency: string;
};
/** A new participant, or a new currency for an existing one (POST /participants). */
export type CreateParticipant = {
  readonly kind: 'CreateParticipant';
  /** Numeric id chosen by the admin route (unique among participants); kept on first create. */
  readonly participantId: number;
  readonly currency: string;
  readonly isProxy: boolean;
  /** Account types the applicable settlement models call for, e.g. [POSITION, SETTLEMENT]. */
  readonly accountTypes: readonly LedgerAccountType[];
};
export type SetParticipantActive = {
  readonly kind: 'SetParticipantActive';
  readonly isActive: boolean;
};
export type SetAccountActive = {
  readonly kind: 'SetAccountActive';
  readonly accountId: number;
  readonly isActive: boolean;
};
export type SetInitialPositionAndLimits = {
  readonly kind: 'SetInitialPositionAndLimits';
  readonly currency: string;
  readonly netDebitCapMinor: bigint;
  readonly alarmPercentage: number;
  readonly initialPositionMinor: bigint;
};
export type AdjustLimit = {
  readonly kind: 'AdjustLimit';
  readonly currency: string;
  readonly netDebitCapMinor: bigint;
  readonly alarmPercentage?: number;
};
/**
 * The API type the participant is sent messages in. `learned`: the gateway saw it send ISO 20022
 * while it had none set; a learned type never replaces one the operator set.
 */
export type SetApiType = {
  readonly kind: 'SetApiType';
  readonly apiType: ApiType;
  readonly learned?: boolean;
};
export type SetEndpoint = {
  readonly kind: 'SetEndpoint';
  readonly endpointType: string;
  readonly value: string;
};

type FundsMovement = {
  readonly transferId: string;
  readonly accountId: number;
  readonly currency: string;
  readonly amountMinor: bigint;
  readonly reason?: string;
  readonly externalReference?: string;
  readonly extensionList?: ExtensionList;
};
export type RecordFundsIn = FundsMovement & { readonly kind: 'RecordFundsIn' };
export type ReserveFundsOut = FundsMovement & { readonly kind: 'ReserveFundsOut' };
export type FinishFundsOut = {
  readonly kind: 'CommitFundsOut' | 'AbortFundsOut';
  readonly transferId: string;
  readonly accountId: number;
  readonly reason?: string;
};
/** To the hub participant: mirror a funds movement on HUB_RECONCILIATION (signed delta). */
export type PostHubReconciliation = {
  readonly kind: 'PostHubReconciliation';
  readonly transferId: string;
  readonly currency: string;
  readonly amountMinor: bigint;
};

export type AdminCommand =
  | AddHubAccount
  | CreateParticipant
  | SetParticipantActive
  | SetAccountActive
  | SetInitialPositionAndLimits
  | AdjustLimit
  | SetEndpoint
  | SetApiType
  | RecordFundsIn
  | ReserveFundsOut
  | FinishFundsOut
  | PostHubReconciliation;

export type PositionCommand =
  | ReserveFunds
  | CommitReservation
  | CreditPosition
  | ReleaseReservation;
export type ParticipantCommand = AdminCommand | PositionCommand | ParticipantSettlementCommand;

/**
 * Admin replies: `ok`, or a Mojaloop error the admin route renders with its HTTP status. A funds
 * movement that mirrors on the hub also returns the (idempotent) hub command it sent, so the
 * route can await it too and answer only once both sides are visible (read-your-writes).
 */
export type AdminReply =
  | { readonly ok: true; readonly hubPosting?: PostHubReconciliation }
  | { readonly ok: false; readonly error: FspiopError };
export type ParticipantReply = AdminReply | undefined;

// --- events --------------------------------------------------------------------------------

export type NetDebitCap = {
  readonly valueMinor: bigint;
  readonly alarmPercentage: number;
  readonly changedAtMs: number;
};

export type ParticipantEvent =
  | {
      readonly type: 'ParticipantRegistered';
      readonly name: string;
      readonly participantId: number;
      readonly isProxy: boolean;
      readonly atMs: number;
    }
  | { readonly type: 'AccountsOpened'; readonly accounts: readonly Account[] }
  | { readonly type: 'ParticipantActiveSet'; readonly isActive: boolean }
  | {
      readonly type: 'AccountActiveSet';
      readonly accountId: number;
      readonly isActive: boolean;
      readonly atMs: number;
    }
  | {
      readonly type: 'InitialPositionAndLimitsSet';
      readonly currency: string;
      readonly limit: NetDebitCap;
      readonly initialPositionMinor: bigint;
      readonly atMs: number;
    }
  | { readonly type: 'LimitAdjusted'; readonly currency: string; readonly limit: NetDebitCap }
  | { readonly type: 'EndpointSet'; readonly endpointType: string; readonly value: string }
  | { readonly type: 'ApiTypeSet'; readonly apiType: ApiType; readonly learned: boolean }
  | {
      readonly type: 'FundsReserved';
      readonly transferId: string;
      readonly accountId: number;
      readonly amountMinor: bigint;
      readonly purpose: ReservationPurpose;
      readonly payeeFsp?: string;
      readonly interchangeFeeMinor?: bigint;
      readonly atMs: number;
    }
  | {
      readonly type: 'ReservationRejected';
      readonly transferId: string;
      readonly error: FspiopError;
    }
  | { readonly type: 'ReservationCommitted'; readonly transferId: string; readonly atMs: number }
  | { readonly type: 'ReservationReleased'; readonly transferId: string; readonly atMs: number }
  | {
      readonly type: 'BalancePosted';
      /** Idempotency key of the posting: `credit:<id>`, `fundsIn:<id>`, `hub:<id>`. */
      readonly postingId: string;
      readonly accountId: number;
      readonly deltaMinor: bigint;
      readonly atMs: number;
    }
  | ParticipantSettlementEvent;

export type ReservationPurpose = 'TRANSFER' | 'FUNDS_OUT';
