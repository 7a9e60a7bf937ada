// The contract between a Settlement actor and the Participant actors whose accounts it settles.
// A settlement transfer moves `amountMinor` between a participant's POSITION (or INTERCHANGE_FEE)
// account and the hub's HUB_MULTILATERAL_SETTLEMENT account: the Settlement actor sends one
// posting to the participant and the opposite one to the hub, each idempotent by postingId, so
// per currency the sum of all accounts stays zero once both are applied (DESIGN.md §7).

export type PostSettlementTransfer = {
  readonly kind: 'PostSettlementTransfer';
  /** `settlement:<settlementId>:<accountId>:<step>`; a repeat changes nothing. */
  readonly postingId: string;
  readonly currency: string;
  readonly ledgerAccountType: string;
  /** Signed delta on that account, in minor units. */
  readonly amountMinor: bigint;
  /**
   * When the delta would take the account's position past the participant's NET_DEBIT_CAP, raise
   * the cap by the delta first (a net recipient's reset under a model with requireLiquidityCheck).
   */
  readonly raiseNetDebitCap?: true;
};
