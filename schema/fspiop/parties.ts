// valibot schemas for the parties resource (GET/PUT /parties/{Type}/{ID}[/{SubId}]): the Party
// object shared with quotes and transaction requests, and the PUT callback body.

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

export const PartyIdType = v.picklist(PARTY_ID_TYPES);
export const PartyIdentifier = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
export const PartySubIdOrType = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

export const PartyIdInfo = v.object({
  partyIdType: PartyIdType,
  partyIdentifier: PartyIdentifier,
  partySubIdOrType: v.optional(PartySubIdOrType),
  fspId: v.optional(FspId),
  extensionList: v.optional(ExtensionList),
});

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
