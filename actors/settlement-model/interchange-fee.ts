// Interchange fee rules, as pure functions of a committed transfer's facts. Mojaloop ships one
// rule as a script: wallet-to-wallet P2P (scenario TRANSFER, initiator PAYER, initiatorType
// CONSUMER, both parties with the extension accountType=Wallet) carries an INTERCHANGE_FEE of
// 0.6 % of the amount, rounded to the currency's minor unit, owed by the payer DFSP to the payee
// DFSP and settled under the model whose ledgerAccountType is INTERCHANGE_FEE. Add a rule by
// adding a function of the same shape to INTERCHANGE_FEE_RULES.

import { AMOUNT_SCALE } from '../../schema/money.ts';

export type TransactionFacts = {
  readonly scenario?: string;
  readonly initiator?: string;
  readonly initiatorType?: string;
  readonly payerAccountType?: string;
  readonly payeeAccountType?: string;
};

export type FeeEntry = {
  readonly ledgerAccountType: 'INTERCHANGE_FEE';
  /** Owed by the payer DFSP to the payee DFSP, in minor units of the transfer currency. */
  readonly amountMinor: bigint;
};

export type FeeRule = (
  facts: TransactionFacts,
  amountMinor: bigint,
  currency: string,
) => FeeEntry | undefined;

/** 0.6 % in thousandths. */
const WALLET_FEE_PER_MILLE = 6n;

/** ISO 4217 minor-unit digits where they are not 2 (amounts are held at scale 10^-4). */
const CURRENCY_DECIMALS: Readonly<Record<string, number>> = {
  BHD: 3,
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  IQD: 3,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  PYG: 0,
  RWF: 0,
  TND: 3,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
};

export function currencyDecimals(currency: string): number {
  return CURRENCY_DECIMALS[currency] ?? 2;
}

/**
 * amount * perMille / 1000, rounded half up to the currency's smallest unit, in minor units at
 * AMOUNT_SCALE (so 0.6 % of 10.01 USD is 0.06, held as 600n).
 */
export function perMilleRounded(amountMinor: bigint, perMille: bigint, currency: string): bigint {
  const decimals = currencyDecimals(currency);
  const unit = 10n ** BigInt(decimals < AMOUNT_SCALE ? AMOUNT_SCALE - decimals : 0);
  const divisor = 1000n * unit;
  const scaled = amountMinor * perMille;
  const units = scaled / divisor + ((scaled % divisor) * 2n >= divisor ? 1n : 0n);
  return units * unit;
}

export const walletToWalletP2pFee: FeeRule = (facts, amountMinor, currency) => {
  const p2p =
    facts.scenario === 'TRANSFER' &&
    facts.initiator === 'PAYER' &&
    facts.initiatorType === 'CONSUMER' &&
    facts.payerAccountType === 'Wallet' &&
    facts.payeeAccountType === 'Wallet';
  if (!p2p || amountMinor <= 0n) return undefined;
  const fee = perMilleRounded(amountMinor, WALLET_FEE_PER_MILLE, currency);
  return fee > 0n ? { ledgerAccountType: 'INTERCHANGE_FEE', amountMinor: fee } : undefined;
};

export const INTERCHANGE_FEE_RULES: readonly FeeRule[] = [walletToWalletP2pFee];

export function interchangeFees(
  facts: TransactionFacts,
  amountMinor: bigint,
  currency: string,
): FeeEntry[] {
  return INTERCHANGE_FEE_RULES.flatMap((rule) => rule(facts, amountMinor, currency) ?? []);
}
