// A whole FSPIOP Party in ISO 20022 terms, shared by quotes (Dbtr/Cdtr with their agents and
// accounts) and parties (acmt.024's UpdtdPtyAndAcctId): the id and its type in `Id`, the FSP in
// the agent's `FinInstnId.Othr.Id`, the sub-id in `FinInstnId.ClrSysMmbId.MmbId`, the names in
// one `Nm` as `first;middle;last;display` (the binding's delimited name), the currencies in the
// account's `Ccy`.

import { fspiopPartyId, isoPartyId } from './parties-id.ts';

export type FspiopParty = {
  readonly partyIdInfo: {
    readonly partyIdType?: string;
    readonly partyIdentifier?: string;
    readonly partySubIdOrType?: string;
    readonly fspId?: string;
  };
  readonly name?: string;
  readonly personalInfo?: {
    readonly complexName?: {
      readonly firstName?: string;
      readonly middleName?: string;
      readonly lastName?: string;
    };
  };
  readonly supportedCurrencies?: readonly string[];
};

type Loose = Record<string, unknown>;

export type IsoParty = { readonly party: Loose; readonly agent: Loose; readonly account?: Loose };

function delimitedName(party: FspiopParty): string | undefined {
  const complex = party.personalInfo?.complexName;
  const parts = [complex?.firstName, complex?.middleName, complex?.lastName, party.name];
  if (parts.every((part) => !part)) return undefined;
  return parts.map((part) => part ?? '').join(';');
}

export function isoPartyOf(party: FspiopParty): IsoParty {
  const info = party.partyIdInfo;
  const name = delimitedName(party);
  const finInstnId: Loose = { Othr: { Id: info.fspId ?? '' } };
  if (info.partySubIdOrType !== undefined)
    finInstnId['ClrSysMmbId'] = { MmbId: info.partySubIdOrType };
  const currency = party.supportedCurrencies?.[0];
  return {
    party: { Id: isoPartyId(info, info.fspId ?? ''), ...(name === undefined ? {} : { Nm: name }) },
    agent: { FinInstnId: finInstnId },
    ...(currency === undefined ? {} : { account: { Ccy: currency } }),
  };
}

type IsoAgent = {
  readonly FinInstnId?: {
    readonly Othr?: { readonly Id?: string | undefined };
    readonly ClrSysMmbId?: { readonly MmbId?: string | undefined } | undefined;
  };
};
type IsoNamed = { readonly Nm?: string | undefined; readonly Id?: object };

export function fspiopPartyOf(
  party: IsoNamed | undefined,
  agent: IsoAgent | undefined,
  account: { readonly Ccy?: string | undefined } | undefined,
): FspiopParty {
  const subId = agent?.FinInstnId?.ClrSysMmbId?.MmbId;
  const fspId = agent?.FinInstnId?.Othr?.Id;
  const partyIdInfo = {
    ...fspiopPartyId(party?.Id as Parameters<typeof fspiopPartyId>[0]),
    ...(subId === undefined ? {} : { partySubIdOrType: subId }),
    ...(fspId === undefined ? {} : { fspId }),
  };
  const [first, middle, last, display] = (party?.Nm ?? '').split(';').map((p) => p.trim());
  const complexName = {
    ...(first ? { firstName: first } : {}),
    ...(middle ? { middleName: middle } : {}),
    ...(last ? { lastName: last } : {}),
  };
  return {
    partyIdInfo,
    ...(display ? { name: display } : {}),
    ...(Object.keys(complexName).length === 0 ? {} : { personalInfo: { complexName } }),
    ...(account?.Ccy === undefined ? {} : { supportedCurrencies: [account.Ccy] }),
  };
}
