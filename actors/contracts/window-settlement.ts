// The contract between the SettlementWindow actor (which owns window contents and decides which
// contents a settlement takes) and the Settlement actors (which own each settlement's state
// machine). The window actor opens a settlement with the nets it computed; a settlement tells the
// window actor when its windows become settleable again (abort) or are settled.

export const SETTLEMENT_ACTOR_TYPE = 'settlement';

export type SettlementModelRef = {
  readonly name: string;
  readonly ledgerAccountType: string;
  readonly autoPositionReset: boolean;
};

/** One participant account of a settlement and its net (positive: net sender). */
export type SettlementAccountNet = {
  readonly participant: string;
  readonly participantId: number;
  readonly accountId: number;
  readonly currency: string;
  readonly netMinor: bigint;
};

/** Window → settlement: a new settlement in PENDING_SETTLEMENT. */
export type OpenSettlement = {
  readonly kind: 'OpenSettlement';
  readonly settlementId: number;
  readonly reason: string;
  readonly model: SettlementModelRef;
  readonly windowIds: readonly number[];
  readonly accounts: readonly SettlementAccountNet[];
};

/** Settlement → window: the settlement was aborted; its contents can be settled again. */
export type ReleaseSettlementWindows = {
  readonly kind: 'ReleaseSettlementWindows';
  readonly settlementId: number;
};

/** Settlement → window: the settlement is SETTLED; so are its contents. */
export type SettleSettlementWindows = {
  readonly kind: 'SettleSettlementWindows';
  readonly settlementId: number;
};
