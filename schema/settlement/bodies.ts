// valibot schemas for the Settlement API bodies (central-settlement's /v2 API, fspiop.md §7):
// closing a window, creating a settlement, and stepping its participants' accounts. Texts are
// bounded (reason and external reference 512 characters) so a 5 MB field is refused at the edge.

import * as v from 'valibot';

const text = v.pipe(v.string(), v.minLength(1), v.maxLength(512));
const id = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^[1-9]\d{0,14}$/))], 'must be an id'),
  v.transform(Number),
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(Number.MAX_SAFE_INTEGER),
);

export const WindowCloseBody = v.object({
  state: v.picklist(['CLOSED'], 'must be CLOSED'),
  reason: text,
});

export const SettlementCreateBody = v.object({
  // Any text, as central-settlement takes it: an unknown name is a 3100 "not found" (TTK's
  // settlement collections read that code as "nothing to settle here").
  settlementModel: text,
  reason: text,
  settlementWindows: v.pipe(v.array(v.object({ id })), v.minLength(1), v.maxLength(100)),
});

export const AccountUpdateBody = v.object({
  id,
  state: v.pipe(v.string(), v.maxLength(32)),
  reason: text,
  externalReference: v.optional(text),
});

export const ParticipantAccountsBody = v.object({
  accounts: v.pipe(v.array(AccountUpdateBody), v.maxLength(100)),
});

export const SettlementParticipantsBody = v.object({
  participants: v.pipe(
    v.array(v.object({ id, accounts: ParticipantAccountsBody.entries.accounts })),
    v.maxLength(1000),
  ),
});

export const SettlementAbortBody = v.object({
  state: v.picklist(['ABORTED'], 'must be ABORTED'),
  reason: text,
  externalReference: v.optional(text),
});

/** PUT /settlements/{id}: either the participants' account steps or an abort. */
export const SettlementUpdateBody = v.union([SettlementAbortBody, SettlementParticipantsBody]);

/** PUT .../accounts/{aid}: one account's step. */
export const AccountStepBody = v.object({
  state: v.pipe(v.string(), v.maxLength(32)),
  reason: text,
  externalReference: v.optional(text),
});
