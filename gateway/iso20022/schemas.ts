// valibot schemas for the ISO 20022 messages of the FSPIOP v2.0 binding, as far as the hub reads
// them: every field a mapping takes, with the type, pattern and presence the official definition
// (@mojaloop/api-snippets, fspiop-rest-v2.0-ISO20022) gives it, plus the fields the hub needs to
// act (the binding leaves the expiry and the ILP packet optional; a transfer without them cannot
// be prepared). Fields the hub does not read are allowed and relayed as written. A conformance
// test checks these against the official JSON schemas and examples.

import * as v from 'valibot';
import { Currency, ERROR_CODE_PATTERN, ILP_PACKET_PATTERN } from '../../schema/fspiop/common.ts';

/** ISODateTime of the binding: milliseconds required, a zone or an offset. */
export const ISO_DATE_TIME_PATTERN =
  /^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:(\.\d{3}))(?:Z|[+-][01]\d:[0-5]\d)$/;
/** ActiveCurrencyAndAmount_SimpleType: up to 18 digits, up to 5 decimals, no leading zero. */
export const ISO_AMOUNT_PATTERN =
  /^(?!0\d)(\d{1,18}|\d{1,17}\.\d{1}|\d{1,16}\.\d{1,2}|\d{1,15}\.\d{1,3}|\d{1,14}\.\d{1,4}|\d{1,13}\.\d{1,5})$/;
export const ULID_IDENTIFIER_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Exact32HexBinaryText of the binding: in fact base64url, as the FSPIOP fulfilment. */
export const EXACT32_PATTERN = /^[A-Za-z0-9-_]{43}$/;

const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
export const Max35Text = text(35);
export const IsoDateTime = v.pipe(v.string(), v.regex(ISO_DATE_TIME_PATTERN));
export const UlidIdentifier = v.pipe(v.string(), v.regex(ULID_IDENTIFIER_PATTERN));
const IsoAmount = v.pipe(v.string(), v.regex(ISO_AMOUNT_PATTERN));

export const ActiveCurrencyAndAmount = v.object({
  ActiveCurrencyAndAmount: IsoAmount,
  Ccy: Currency,
});
export const ActiveOrHistoricCurrencyAndAmount = v.object({
  ActiveOrHistoricCurrencyAndAmount: IsoAmount,
  Ccy: Currency,
});

/** A financial institution named by its scheme id: `FinInstnId.Othr.Id` is the FSP id. */
export const Agent = v.looseObject({
  FinInstnId: v.looseObject({
    Othr: v.looseObject({ Id: Max35Text }),
    ClrSysMmbId: v.optional(v.looseObject({ MmbId: Max35Text })),
  }),
});

const GroupHeader = v.looseObject({ MsgId: Max35Text, CreDtTm: IsoDateTime });

/** GroupHeader129 of pacs.008, pacs.081 and pacs.082. */
const TermsHeader = {
  MsgId: Max35Text,
  CreDtTm: IsoDateTime,
  NbOfTxs: v.pipe(v.string(), v.regex(/^[0-9]{1,15}$/)),
  SttlmInf: v.looseObject({ SttlmMtd: v.picklist(['INDA', 'INGA', 'COVE', 'CLRG']) }),
};

/** A code or a proprietary value, one of them (SchemeName, Purpose, VerificationReason). */
export const Choice = v.union([
  v.looseObject({ Cd: text(4) }),
  v.looseObject({ Prtry: Max35Text }),
]);
const Othr = v.looseObject({ Id: text(256), SchmeNm: v.optional(Choice) });
/** An agent the hub does not read: a financial institution, however identified. */
const AnyAgent = v.looseObject({
  FinInstnId: v.looseObject({
    Othr: v.optional(v.looseObject({ Id: Max35Text })),
    ClrSysMmbId: v.optional(v.looseObject({ MmbId: Max35Text })),
  }),
});
/** Party52Choice / Party38Choice: an organisation or a person, one of them. */
const PartyId = v.union([
  v.looseObject({ OrgId: v.looseObject({ Othr: v.optional(Othr) }) }),
  v.looseObject({ PrvtId: v.looseObject({ Othr: v.optional(Othr) }) }),
]);
const Party = v.looseObject({ Id: PartyId, Nm: v.optional(text(140)) });
const Account = v.optional(v.looseObject({ Ccy: v.optional(Currency) }));
/** Party40Choice of acmt.024's Assgnmt: a party or an agent. */
const Assignee = v.union([
  v.looseObject({ Pty: v.looseObject({ Id: PartyId }) }),
  v.looseObject({ Agt: AnyAgent }),
]);
export const Assignment = v.looseObject({
  MsgId: Max35Text,
  CreDtTm: IsoDateTime,
  Assgnr: Assignee,
  Assgne: Assignee,
});
/** DateAndDateTime2Choice. */
const DateOrTime = v.union([
  v.looseObject({ DtTm: IsoDateTime }),
  v.looseObject({ Dt: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)) }),
]);

export const IlpV4PrepPacket = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(32768),
  v.regex(ILP_PACKET_PATTERN),
);

/** pacs.008 `Execute_FIToFICustomerCreditTransferV13`: POST /transfers. */
export const Pacs008 = v.looseObject({
  GrpHdr: v.looseObject({ ...TermsHeader, PmtInstrXpryDtTm: IsoDateTime }),
  CdtTrfTxInf: v.looseObject({
    PmtId: v.looseObject({ TxId: UlidIdentifier }),
    IntrBkSttlmAmt: ActiveCurrencyAndAmount,
    ChrgBr: v.picklist(['DEBT', 'CRED', 'SHAR']),
    Dbtr: Party,
    DbtrAgt: Agent,
    CdtrAgt: Agent,
    Cdtr: Party,
    VrfctnOfTerms: v.looseObject({ IlpV4PrepPacket: IlpV4PrepPacket }),
  }),
});

export const TransferStatusCode = v.picklist(['COMM', 'RESV', 'RECV', 'ABOR']);

/** pacs.002 `PacsStatus_FIToFIPaymentStatusReportV15`: PUT and PATCH /transfers/{ID}. */
export const Pacs002Status = v.looseObject({
  GrpHdr: GroupHeader,
  TxInfAndSts: v.looseObject({
    TxSts: TransferStatusCode,
    ExctnConf: v.optional(v.pipe(v.string(), v.regex(EXACT32_PATTERN))),
    PrcgDt: v.optional(DateOrTime),
  }),
});

/** pacs.002 `PacsError_FIToFIPaymentStatusReportV15`: every `/error` except the parties one. */
export const Pacs002Error = v.looseObject({
  GrpHdr: GroupHeader,
  TxInfAndSts: v.looseObject({
    StsRsnInf: v.looseObject({
      Rsn: v.looseObject({ Prtry: v.pipe(v.string(), v.regex(ERROR_CODE_PATTERN)) }),
      AddtlInf: v.optional(text(105)),
    }),
  }),
});

/** pacs.081 `TermsRequest_FIToFICustomerCreditProposal`: POST /quotes. */
export const Pacs081 = v.looseObject({
  GrpHdr: v.looseObject({ ...TermsHeader, PmtInstrXpryDtTm: v.optional(IsoDateTime) }),
  CdtTrfTxInf: v.looseObject({
    PmtId: v.looseObject({
      TxId: UlidIdentifier,
      EndToEndId: UlidIdentifier,
      InstrId: v.optional(UlidIdentifier),
    }),
    IntrBkSttlmAmt: ActiveCurrencyAndAmount,
    ChrgBr: v.picklist(['DEBT', 'CRED', 'SHAR']),
    Dbtr: Party,
    DbtrAgt: Agent,
    DbtrAcct: Account,
    Cdtr: Party,
    CdtrAgt: Agent,
    CdtrAcct: Account,
    Purp: v.optional(Choice),
  }),
});

/** pacs.082 `TermsResponse_FIToFICustomerCreditConfirmation`: PUT /quotes/{ID}. */
export const Pacs082 = v.looseObject({
  GrpHdr: v.looseObject({ ...TermsHeader, PmtInstrXpryDtTm: IsoDateTime }),
  CdtTrfTxInf: v.looseObject({
    PmtId: v.looseObject({ TxId: UlidIdentifier }),
    IntrBkSttlmAmt: ActiveCurrencyAndAmount,
    ChrgBr: v.picklist(['DEBT', 'CRED', 'SHAR']),
    Dbtr: Party,
    DbtrAgt: AnyAgent,
    CdtrAgt: AnyAgent,
    Cdtr: Party,
    InstdAmt: v.optional(ActiveOrHistoricCurrencyAndAmount),
    ChrgsInf: v.optional(v.looseObject({ Amt: ActiveOrHistoricCurrencyAndAmount, Agt: AnyAgent })),
    VrfctnOfTerms: v.looseObject({ IlpV4PrepPacket: IlpV4PrepPacket }),
  }),
});

/** acmt.024 `GetParties_IdentificationVerificationReportV03`: PUT /parties/... */
export const Acmt024 = v.looseObject({
  Assgnmt: Assignment,
  Rpt: v.looseObject({
    OrgnlId: Max35Text,
    Vrfctn: v.boolean(),
    UpdtdPtyAndAcctId: v.looseObject({
      Pty: Party,
      Agt: v.optional(Agent),
      Acct: Account,
    }),
  }),
});

export type Pacs008 = v.InferOutput<typeof Pacs008>;
export type Pacs081 = v.InferOutput<typeof Pacs081>;
export type Pacs082 = v.InferOutput<typeof Pacs082>;
export type Acmt024 = v.InferOutput<typeof Acmt024>;
export type Pacs002Status = v.InferOutput<typeof Pacs002Status>;
export type Pacs002Error = v.InferOutput<typeof Pacs002Error>;
