// valibot schemas for the authorizations resource (OTP on POS): the v1.1 GET query
// (authenticationType, retriesLeft, amount, currency) and the PUT answer.

import * as v from 'valibot';
import { AMOUNT_PATTERN, CURRENCIES, ExtensionList } from './common.ts';

export const AUTHENTICATION_TYPES = ['OTP', 'QRCODE', 'U2F'] as const;

/** Query parameters of GET /authorizations/{ID}, all required in v1.1. */
export const AUTHORIZATION_QUERY_FIELDS = [
  'authenticationType',
  'retriesLeft',
  'amount',
  'currency',
];

export const AuthorizationsQuery = v.object({
  authenticationType: v.picklist(AUTHENTICATION_TYPES),
  retriesLeft: v.pipe(v.string(), v.regex(/^(0|[1-9]\d*)$/)),
  amount: v.pipe(v.string(), v.regex(AMOUNT_PATTERN)),
  currency: v.picklist(CURRENCIES),
});

export const AuthorizationsIDPutResponse = v.object({
  authenticationInfo: v.optional(
    v.object({
      authentication: v.picklist(AUTHENTICATION_TYPES),
      authenticationValue: v.union([v.string(), v.record(v.string(), v.unknown())]),
    }),
  ),
  // The v1.1 enum is ENTERED | REJECTED | RESEND, but the reference transaction-requests-service
  // relays any value (TTK "Check Authorizatons - wrong responseType" expects 200).
  responseType: v.pipe(v.string(), v.minLength(1)),
  extensionList: v.optional(ExtensionList),
});
