// valibot schemas for the parties resource (GET/PUT /parties/{Type}/{ID}[/{SubId}]): the Party
// object shared with quotes and transaction requests, and the PUT callback body. A party
// identifier is 1..128 characters of printable text, checked here wherever an identifier enters:
// path or body (see PARTY_IDENTIFIER_FORMATS for why no type gets a stricter format).

import * as v from 'valibot';
import { Currency, ExtensionList, FspId } from './common.ts';

export const PARTY_ID_TYPES = [
  'MSISDN',
  'EMAIL',
  'PERSONAL_ID',
  'BUSINESS',
  'DEVICE',
  'ACCOUNT_ID',
  'IBAN',
  'ALIAS',
  'CONSENT',
  'THIRD_PARTY_LINK',
] as const;

export type PartyIdTypeName = (typeof PARTY_ID_TYPES)[number];

/**
 * "Any format" (BUSINESS, ACCOUNT_ID, ALIAS, ...): printable text, no control, format or private
 * characters, no surrounding whitespace. PartySubIdOrType follows the same rule.
 */
const ANY_FORMAT = /^[^\p{C}\s](?:[^\p{C}]{0,126}[^\p{C}\s])?$/u;

/**
 * What each party id type accepts. The PartyIdType descriptions of the API name a format per type
 * (E.164 for MSISDN, RFC 3696 for EMAIL, up to 34 alphanumerics for IBAN), but the OpenAPI
 * definitions that Mojaloop's services validate against give PartyIdentifier no pattern, and
 * schemes use local forms (a leading 0, spaces in an IBAN) that Mojaloop accepts and routes, as
 * Mojaloop's own test collections do. So every type gets the "any format" rule: printable text
 * without control characters or surrounding whitespace, which is what keeps an identifier safe as
 * an actor key. The format of a type is the owning DFSP's to judge.
 */
export const PARTY_IDENTIFIER_FORMATS: Readonly<Record<PartyIdTypeName, RegExp>> = {
  MSISDN: ANY_FORMAT,
  EMAIL: ANY_FORMAT,
  IBAN: ANY_FORMAT,
  PERSONAL_ID: ANY_FORMAT,
  BUSINESS: ANY_FORMAT,
  DEVICE: ANY_FORMAT,
  ACCOUNT_ID: ANY_FORMAT,
  ALIAS: ANY_FORMAT,
  CONSENT: ANY_FORMAT,
  THIRD_PARTY_LINK: ANY_FORMAT,
};

/** Why an identifier is not one of its type, or undefined when it is. */
export function partyIdentifierFault(
  type: PartyIdTypeName,
  identifier: string,
): string | undefined {
  if (identifier.length < 1 || identifier.length > 128) return 'must be 1 to 128 characters';
  return PARTY_IDENTIFIER_FORMATS[type].test(identifier) ? undefined : `is not a valid ${type}`;
}

export const PartyIdType = v.picklist(PARTY_ID_TYPES);
export const PartyIdentifier = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
export const PartySubIdOrType = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(128),
  v.regex(ANY_FORMAT, 'must be printable text without surrounding whitespace'),
);

type PartyIdFields = { partyIdType: PartyIdTypeName; partyIdentifier: string };

/** Checks, on a party id object, that its identifier has its type's format. */
export function identifierHasFormat<T extends PartyIdFields>() {
  return v.forward<T, v.CheckIssue<T>, ['partyIdentifier']>(
    v.check(
      (id) => partyIdentifierFault(id.partyIdType, id.partyIdentifier) === undefined,
      (issue) => {
        const id = issue.input;
        return partyIdentifierFault(id.partyIdType, id.partyIdentifier) ?? 'is invalid';
      },
    ),
    ['partyIdentifier'] as never,
  );
}

export const PartyIdInfo = v.pipe(
  v.object({
    partyIdType: PartyIdType,
    partyIdentifier: PartyIdentifier,
    partySubIdOrType: v.optional(PartySubIdOrType),
    fspId: v.optional(FspId),
    extensionList: v.optional(ExtensionList),
  }),
  identifierHasFormat(),
);

const Name = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

export const Party = v.object({
  partyIdInfo: PartyIdInfo,
  merchantClassificationCode: v.optional(v.string()),
  name: v.optional(Name),
  personalInfo: v.optional(
    v.object({
      complexName: v.optional(
        v.object({
          firstName: v.optional(Name),
          middleName: v.optional(Name),
          lastName: v.optional(Name),
        }),
      ),
      dateOfBirth: v.optional(v.string()),
    }),
  ),
  supportedCurrencies: v.optional(v.pipe(v.array(Currency), v.maxLength(16))),
});

export const PartiesTypeIDPutResponse = v.object({ party: Party });

export type PartyIdInfoValue = v.InferOutput<typeof PartyIdInfo>;
export type PartyValue = v.InferOutput<typeof Party>;
