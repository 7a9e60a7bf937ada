// The Participant actor's settlement messages: the models that apply to it (ApplySettlementModels,
// from the Admin API when it registers and whenever a model is created), window closes (from the
// SettlementWindow actor) and settlement transfers (from Settlement actors), with their events.

import type { PostSettlementTransfer } from '../contracts/settlement-participant.ts';
import type { CloseParticipantWindow, WindowNets } from '../contracts/window-participant.ts';
import type { ModelTerms } from '../settlement-model/rules.ts';

export type ApplySettlementModels = {
  readonly kind: 'ApplySettlementModels';
  /** Every active settlement model. */
  readonly models: readonly ModelTerms[];
  /** The window the gateway read as OPEN: where a new participant starts recording. */
  readonly settlementWindowId: number;
};

/** Payer's Participant → payee's: book the payee's side of a committed transfer's fee. */
export type CreditInterchangeFee = {
  readonly kind: 'CreditInterchangeFee';
  readonly transferId: string;
  readonly currency: string;
  readonly amountMinor: bigint;
};

export type ParticipantSettlementCommand =
  | ApplySettlementModels
  | CloseParticipantWindow
  | PostSettlementTransfer
  | CreditInterchangeFee;

/** What a participant keeps for settlement (absent until the first ApplySettlementModels). */
export type ParticipantSettlement = {
  /** The window its commits as payer land in; absent for the hub, which never pays. */
  readonly windowId?: number;
  /** Currencies settled gross at once (IMMEDIATE GROSS model): not recorded in windows. */
  readonly grossCurrencies: readonly string[];
  /** Currencies with an INTERCHANGE_FEE model: fees are booked and recorded in windows. */
  readonly feeCurrencies?: readonly string[];
  /** Nets of `windowId` so far, from this participant's commits as payer. */
  readonly nets: WindowNets;
  /**
   * Per currency: commits as payer recorded in no window because their reservation (from before
   * windows existed) names no payee; the operator settles these by hand.
   */
  readonly unattributedMinor?: Readonly<Record<string, bigint>>;
  /** Settlement postings applied (idempotency; a few per settlement). */
  readonly postings: readonly string[];
};

export type ParticipantSettlementEvent =
  | {
      readonly type: 'SettlementTermsSet';
      readonly grossCurrencies: readonly string[];
      readonly feeCurrencies: readonly string[];
      readonly windowId?: number;
    }
  | {
      readonly type: 'WindowNetRecorded';
      readonly ledgerAccountType: string;
      readonly currency: string;
      readonly payee: string;
      readonly amountMinor: bigint;
    }
  | {
      /** A commit as payer whose reservation names no payee: in no window (see above). */
      readonly type: 'WindowNetUnattributed';
      readonly transferId: string;
      readonly currency: string;
      readonly amountMinor: bigint;
    }
  | { readonly type: 'WindowMoved'; readonly windowId: number }
  | {
      /** CGS: the transfer's position entry moved to the SETTLEMENT account at once. */
      readonly type: 'GrossSettled';
      readonly transferId: string;
      readonly positionAccountId: number;
      readonly settlementAccountId: number;
      /** Added to SETTLEMENT and taken from POSITION. */
      readonly deltaMinor: bigint;
      readonly atMs: number;
    }
  | {
      readonly type: 'SettlementTransferPosted';
      readonly postingId: string;
      readonly accountId: number;
      readonly deltaMinor: bigint;
      readonly atMs: number;
    };
