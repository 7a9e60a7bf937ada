// valibot schemas for the participants resource of the ALS (fspiop.md §8.2): registration of a
// party's owning DFSP (POST /participants/{Type}/{ID}[/{SubId}]) and batch registration.

import * as v from 'valibot';
import { CorrelationId, Currency, ExtensionList, FspId } from './common.ts';
import { identifierHasFormat, PartyIdentifier, PartyIdType, PartySubIdOrType } from './parties.ts';

export const ParticipantsTypeIDSubIDPostRequest = v.object({
  fspId: FspId,
  currency: v.optional(Currency),
  extensionList: v.optional(ExtensionList),
});

/** Max parties in one batch registration (API definition: 1..10000). */
export const BATCH_PARTIES_MAX = 10_000;

export const ParticipantsPostRequest = v.object({
  requestId: CorrelationId,
  partyList: v.pipe(
    v.array(
      v.pipe(
        v.object({
          partyIdType: PartyIdType,
          partyIdentifier: PartyIdentifier,
          partySubIdOrType: v.optional(PartySubIdOrType),
          fspId: v.optional(FspId),
          extensionList: v.optional(ExtensionList),
        }),
        identifierHasFormat(),
      ),
    ),
    v.minLength(1),
    v.maxLength(BATCH_PARTIES_MAX),
  ),
  currency: v.optional(Currency),
});

export type ParticipantsPostRequestValue = v.InferOutput<typeof ParticipantsPostRequest>;
