// Which settlement models apply to a currency, and the small pure rules that follow from them.
// A currency is settled by the models named for it; a currency without a model of its own falls
// back to the models without a currency (the defaults), as central-ledger resolves them. The
// Participant actor keeps the result (its accounts and its gross-settled currencies), so a model
// created later reaches existing participants as one ApplySettlementModels command each.

import type { LedgerAccountType } from '../participant/ledger.ts';

/** What a participant needs to know of one active model. */
export type ModelTerms = {
  readonly name: string;
  readonly currency?: string;
  readonly ledgerAccountType: LedgerAccountType;
  readonly settlementAccountType: LedgerAccountType;
  readonly settlementGranularity: 'GROSS' | 'NET';
  readonly settlementDelay: 'IMMEDIATE' | 'DEFERRED';
};

/**
 * The models that settle `currency`: per ledger account type, the models of that currency, else
 * the default models of that type (only `ledgerAccountType` when given).
 */
export function modelsFor<M extends Omit<ModelTerms, 'settlementAccountType'>>(
  models: readonly M[],
  currency: string,
  ledgerAccountType?: string,
): M[] {
  const types = [...new Set(models.map((m) => m.ledgerAccountType))].filter(
    (t) => ledgerAccountType === undefined || t === ledgerAccountType,
  );
  return types.flatMap((type) => {
    const ofType = models.filter((m) => m.ledgerAccountType === type);
    const own = ofType.filter((m) => m.currency === currency);
    return own.length > 0 ? own : ofType.filter((m) => m.currency === undefined);
  });
}

/** True when the POSITION model of `currency` is IMMEDIATE GROSS (continuous gross settlement). */
export function isGrossSettled(models: readonly ModelTerms[], currency: string): boolean {
  return modelsFor(models, currency, 'POSITION').some(
    (m) => m.settlementDelay === 'IMMEDIATE' && m.settlementGranularity === 'GROSS',
  );
}

/** The account types the models of `currency` call for, e.g. [POSITION, SETTLEMENT]. */
export function accountTypesFor(
  models: readonly ModelTerms[],
  currency: string,
): LedgerAccountType[] {
  const types = modelsFor(models, currency).flatMap((m) => [
    m.ledgerAccountType,
    m.settlementAccountType,
  ]);
  return [...new Set(types)];
}
