// valibot schemas for the Admin API bodies, matching central-ledger's Joi rules (names of 2 to 30
// characters, ISO currency codes, the settlement-model enums, funds in/out actions). Amounts are
// validated here as text and parsed into bigint minor units by the routes with parseAdminAmount.

import * as v from 'valibot';

/** Participant names: 2 to 30 characters, letters and digits joined by '-', '_' or '.' (e2e-sim1). */
export const PARTICIPANT_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,28}[A-Za-z0-9])$/;
export const SETTLEMENT_MODEL_NAME = /^[A-Za-z0-9]{2,30}$/;
const CURRENCY = /^[A-Z]{3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;

const currency = v.pipe(v.string(), v.regex(CURRENCY, 'must be an ISO 4217 currency code'));
const amountText = v.union([v.string(), v.number()], 'must be a decimal amount');
/** A number from 0 to 100, also as text ("10"): central-ledger's Joi converts numeric strings. */
const percentage = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+(?:\.\d+)?$/))], 'must be a number'),
  v.transform(Number),
  v.number(),
  v.minValue(0),
  v.maxValue(100),
);
const extensionList = v.object({
  extension: v.pipe(
    v.array(v.object({ key: v.string(), value: v.string() })),
    v.minLength(1),
    v.maxLength(16),
  ),
});

export const ParticipantCreateBody = v.object({
  name: v.pipe(
    v.string(),
    v.regex(
      PARTICIPANT_NAME,
      "must be 2 to 30 letters or digits, optionally joined by '-', '_' or '.'",
    ),
  ),
  currency,
  isProxy: v.optional(v.boolean()),
});

export const IsActiveBody = v.object({ isActive: v.boolean() });

export const HubAccountBody = v.object({ type: v.string(), currency });

export const EndpointBody = v.object({
  type: v.pipe(v.string(), v.minLength(1)),
  value: v.pipe(v.string(), v.minLength(1)),
});

const limit = v.object({
  type: v.picklist(['NET_DEBIT_CAP']),
  value: amountText,
  alarmPercentage: v.optional(percentage),
});

export const InitialPositionAndLimitsBody = v.object({
  currency,
  limit,
  initialPosition: v.optional(amountText),
});

export const LimitsBody = v.object({ currency, limit });

export const TransferId = v.pipe(
  v.string(),
  v.check((id) => UUID.test(id) || ULID.test(id), 'must be a UUID or a ULID'),
);

export const FundsBody = v.object({
  transferId: TransferId,
  externalReference: v.optional(v.string()),
  action: v.picklist(['recordFundsIn', 'recordFundsOutPrepareReserve']),
  reason: v.optional(v.string()),
  amount: v.object({ amount: amountText, currency }),
  extensionList: v.optional(extensionList),
});

export const FundsFinishBody = v.object({
  action: v.picklist(['recordFundsOutCommit', 'recordFundsOutAbort']),
  reason: v.optional(v.string()),
  externalReference: v.optional(v.string()),
  extensionList: v.optional(extensionList),
});

export const SettlementModelBody = v.object({
  name: v.pipe(v.string(), v.regex(SETTLEMENT_MODEL_NAME, 'must be 2 to 30 letters or digits')),
  settlementGranularity: v.picklist(['GROSS', 'NET']),
  settlementInterchange: v.picklist(['BILATERAL', 'MULTILATERAL']),
  settlementDelay: v.picklist(['IMMEDIATE', 'DEFERRED']),
  currency: v.optional(currency),
  requireLiquidityCheck: v.boolean(),
  ledgerAccountType: v.string(),
  settlementAccountType: v.optional(v.string()),
  autoPositionReset: v.boolean(),
});

export type FundsBody = v.InferOutput<typeof FundsBody>;
export type SettlementModelBody = v.InferOutput<typeof SettlementModelBody>;
