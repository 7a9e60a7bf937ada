// valibot schemas for the data types shared by every FSPIOP resource (fspiop.md §1.7), written
// from the official OpenAPI definitions (v1.1 and v2.0 agree on these; tests/conformance checks
// the patterns against them). Ids accept UUIDs and ULIDs in every version: TTK sends ULIDs with
// 1.x headers. Objects are not strict: v1.1 allows extra properties and relays keep the raw text.

import * as v from 'valibot';

export const AMOUNT_PATTERN = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/;
export const DATE_TIME_PATTERN =
  /^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:(\.\d{3}))(?:Z|[+-][01]\d:[0-5]\d)$/;
export const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[1-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const CORRELATION_ID_PATTERN = new RegExp(`${UUID_PATTERN.source}|${ULID_PATTERN.source}`);
export const ILP_CONDITION_PATTERN = /^[A-Za-z0-9-_]{43}$/;
export const ILP_FULFILMENT_PATTERN = ILP_CONDITION_PATTERN;
export const ILP_PACKET_PATTERN = /^[A-Za-z0-9-_]+[=]{0,2}$/;
export const ERROR_CODE_PATTERN = /^[1-9]\d{3}$/;

/** ISO 4217 alpha-3 codes as enumerated by the API definition (same list in v1.1 and v2.0). */
export const CURRENCIES: readonly string[] = [
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN',
  'BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR',
  'FJD FKP GBP GEL GGP GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS IMP INR IQD IRR',
  'ISK JEP JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL',
  'MGA MKD MMK MNT MOP MRO MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK',
  'PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SPL SRD STD SVC',
  'SYP SZL THB TJS TMT TND TOP TRY TTD TVD TWD TZS UAH UGX USD UYU UZS VEF VND VUV WST XAF',
  'XCD XDR XOF XPF XTS XXX YER ZAR ZMW ZWD',
]
  .join(' ')
  .split(' ');

export const Amount = v.pipe(v.string(), v.regex(AMOUNT_PATTERN));
export const Currency = v.picklist(CURRENCIES);
export const DateTime = v.pipe(v.string(), v.regex(DATE_TIME_PATTERN));
export const CorrelationId = v.pipe(v.string(), v.regex(CORRELATION_ID_PATTERN));
/**
 * FspId is 1..32 characters in the API definition. Participant names are letters, digits and
 * `._-` (Admin API), so text with whitespace, a comma (two FSPIOP-Source headers joined) or a
 * control character can name no participant and is refused as malformed.
 */
export const FSP_ID_PATTERN = /^[^\p{C}\s,]{1,32}$/u;
export const FspId = v.pipe(v.string(), v.minLength(1), v.maxLength(32), v.regex(FSP_ID_PATTERN));
export const IlpCondition = v.pipe(v.string(), v.maxLength(48), v.regex(ILP_CONDITION_PATTERN));
export const IlpFulfilment = v.pipe(v.string(), v.maxLength(48), v.regex(ILP_FULFILMENT_PATTERN));
export const IlpPacket = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(32768),
  v.regex(ILP_PACKET_PATTERN),
);
export const TransferState = v.picklist(['RECEIVED', 'RESERVED', 'COMMITTED', 'ABORTED']);

export const Money = v.object({ currency: Currency, amount: Amount });

export const Extension = v.object({
  key: v.pipe(v.string(), v.minLength(1), v.maxLength(32)),
  value: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
});

export const ExtensionList = v.object({
  extension: v.pipe(v.array(Extension), v.minLength(1), v.maxLength(16)),
});

export const ErrorInformation = v.object({
  errorCode: v.pipe(v.string(), v.regex(ERROR_CODE_PATTERN)),
  errorDescription: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  extensionList: v.optional(ExtensionList),
});

export const ErrorInformationObject = v.object({ errorInformation: ErrorInformation });

export type Money = v.InferOutput<typeof Money>;
export type ExtensionListValue = v.InferOutput<typeof ExtensionList>;
export type ErrorInformationValue = v.InferOutput<typeof ErrorInformation>;
