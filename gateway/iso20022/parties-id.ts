// A party's identity in ISO 20022 (`Party52Choice` / `Party38Choice`): a person's id sits under
// `PrvtId`, a business's, an alias's or a device's under `OrgId`, each as `Othr.Id` with the
// FSPIOP party id type in `Othr.SchmeNm.Prtry` (ml-schema-transformer-lib's isPersonParty rule).

export type FspiopPartyId = {
  readonly partyIdType?: string;
  readonly partyIdentifier?: string;
};

const NOT_PERSON = new Set(['BUSINESS', 'ALIAS', 'DEVICE']);

type Othr = { readonly Id?: unknown; readonly SchmeNm?: { readonly Prtry?: unknown } };
type IsoPartyId = { readonly OrgId?: { Othr?: Othr }; readonly PrvtId?: { Othr?: Othr } };

/** The ISO `Id` of a party; falls back to `fallbackId` (an FSP id) as an organisation. */
export function isoPartyId(party: FspiopPartyId | undefined, fallbackId: string): object {
  const type = party?.partyIdType;
  const id = party?.partyIdentifier;
  if (type === undefined || id === undefined) return { OrgId: { Othr: { Id: fallbackId } } };
  const othr = { Id: id, SchmeNm: { Prtry: type } };
  return NOT_PERSON.has(type) ? { OrgId: { Othr: othr } } : { PrvtId: { Othr: othr } };
}

/** The FSPIOP partyIdType and partyIdentifier of an ISO party `Id`, as far as it names them. */
export function fspiopPartyId(id: IsoPartyId | undefined): FspiopPartyId {
  const othr = id?.OrgId?.Othr ?? id?.PrvtId?.Othr;
  const out: { partyIdType?: string; partyIdentifier?: string } = {};
  if (typeof othr?.SchmeNm?.Prtry === 'string') out.partyIdType = othr.SchmeNm.Prtry;
  if (typeof othr?.Id === 'string') out.partyIdentifier = othr.Id;
  return out;
}
