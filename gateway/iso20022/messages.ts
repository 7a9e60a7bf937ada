// Which ISO 20022 message a request or a callback is, and its translation both ways, as one table:
// a message kind (resource, verb, error or not) maps to the ISO schema that validates it and to
// the two pure mappings. Resources outside the binding (participants, transactionRequests,
// authorizations, bulk) have no entry: they are FSPIOP for every participant. FX messages
// (pacs.091/092/009) join the table when the FX resources do.

import * as v from 'valibot';
import type { FspiopResource } from '../../actors/callback.ts';
import { type IsoContext, IsoMappingError } from './context.ts';
import {
  acmt024ErrorToFspiop,
  fspiopErrorToAcmt024,
  fspiopErrorToPacs002,
  pacs002ErrorToFspiop,
} from './errors.ts';
import { acmt024ToFspiop, fspiopToAcmt024 } from './parties.ts';
import type { FspiopParty } from './party.ts';
import {
  type FspiopQuoteRequest,
  type FspiopQuoteResponse,
  fspiopToPacs081,
  fspiopToPacs082,
  pacs081ToFspiop,
  pacs082ToFspiop,
} from './quotes.ts';
import {
  Acmt024,
  Assignment,
  Choice,
  Pacs002Error,
  Pacs002Status,
  Pacs008,
  Pacs081,
  Pacs082,
} from './schemas.ts';
import {
  type FspiopTransferPrepare,
  type FspiopTransferState,
  fspiopToPacs002Status,
  fspiopToPacs008,
  pacs002StatusToFspiop,
  pacs008ToFspiop,
} from './transfers.ts';

export type IsoMessageKind =
  | 'parties.put'
  | 'quotes.post'
  | 'quotes.put'
  | 'quotes.error'
  | 'transfers.post'
  | 'transfers.put'
  | 'transfers.patch'
  | 'transfers.error'
  | 'parties.error';

type Mapping = {
  /** ISO name, for descriptions and the README. */
  readonly iso: string;
  readonly schema: v.GenericSchema;
  readonly toFspiop: (iso: never) => unknown;
  readonly toIso: (fspiop: never, ctx: IsoContext) => unknown;
};

type ErrorBody = Parameters<typeof fspiopErrorToPacs002>[0];

const PARTIES_ERROR = v.looseObject({
  Assgnmt: Assignment,
  Rpt: v.looseObject({
    OrgnlId: v.pipe(v.string(), v.minLength(1), v.maxLength(35)),
    Vrfctn: v.boolean(),
    Rsn: v.optional(Choice),
  }),
});

export const ISO_MESSAGES: Readonly<Record<IsoMessageKind, Mapping>> = {
  'parties.put': {
    iso: 'acmt.024',
    schema: Acmt024,
    toFspiop: acmt024ToFspiop,
    toIso: (body: { party: FspiopParty }, ctx) => fspiopToAcmt024(body, ctx),
  },
  'quotes.post': {
    iso: 'pacs.081',
    schema: Pacs081,
    toFspiop: pacs081ToFspiop,
    toIso: (body: FspiopQuoteRequest, ctx) => fspiopToPacs081(body, ctx),
  },
  'quotes.put': {
    iso: 'pacs.082',
    schema: Pacs082,
    toFspiop: pacs082ToFspiop,
    toIso: (body: FspiopQuoteResponse, ctx) => fspiopToPacs082(body, ctx),
  },
  'quotes.error': {
    iso: 'pacs.002',
    schema: Pacs002Error,
    toFspiop: pacs002ErrorToFspiop,
    toIso: (body: ErrorBody, ctx) => fspiopErrorToPacs002(body, ctx),
  },
  'transfers.post': {
    iso: 'pacs.008',
    schema: Pacs008,
    toFspiop: pacs008ToFspiop,
    toIso: (body: FspiopTransferPrepare, ctx) => fspiopToPacs008(body, ctx),
  },
  'transfers.put': {
    iso: 'pacs.002',
    schema: Pacs002Status,
    toFspiop: pacs002StatusToFspiop,
    toIso: (body: FspiopTransferState, ctx) => fspiopToPacs002Status(body, ctx),
  },
  'transfers.patch': {
    iso: 'pacs.002',
    schema: Pacs002Status,
    toFspiop: pacs002StatusToFspiop,
    toIso: (body: FspiopTransferState, ctx) => fspiopToPacs002Status(body, ctx),
  },
  'transfers.error': {
    iso: 'pacs.002',
    schema: Pacs002Error,
    toFspiop: pacs002ErrorToFspiop,
    toIso: (body: ErrorBody, ctx) => fspiopErrorToPacs002(body, ctx),
  },
  'parties.error': {
    iso: 'acmt.024',
    schema: PARTIES_ERROR,
    toFspiop: acmt024ErrorToFspiop,
    toIso: (body: ErrorBody, ctx) => fspiopErrorToAcmt024(body, ctx),
  },
};

/** Resources the ISO 20022 binding covers. */
export const ISO_RESOURCES: ReadonlySet<FspiopResource> = new Set([
  'parties',
  'quotes',
  'transfers',
]);

/** The message kind of a request or callback with a body, or undefined if the binding has none. */
export function isoMessageKind(
  resource: FspiopResource,
  method: string,
  path: string,
): IsoMessageKind | undefined {
  const error = path.endsWith('/error');
  const kind = `${resource}.${error ? 'error' : method.toLowerCase()}`;
  return Object.hasOwn(ISO_MESSAGES, kind) ? (kind as IsoMessageKind) : undefined;
}

/** Validates an ISO body (3100/3102 naming the ISO field) and maps it to its FSPIOP body. */
export function isoToFspiop(kind: IsoMessageKind, body: unknown): unknown {
  const mapping = ISO_MESSAGES[kind];
  const result = v.safeParse(mapping.schema, body, { abortEarly: true });
  if (!result.success) {
    throw new IsoMappingError('3100', describe(result.issues[0]));
  }
  return mapping.toFspiop(result.output as never);
}

/** Maps an FSPIOP body (assumed valid: the hub checked it on the way in) to its ISO message. */
export function fspiopToIso(kind: IsoMessageKind, body: unknown, ctx: IsoContext): unknown {
  return ISO_MESSAGES[kind].toIso(body as never, ctx);
}

/** `/requestBody/CdtTrfTxInf/PmtId must have required property 'TxId'`, etc. */
function describe(issue: v.BaseIssue<unknown> | undefined): string {
  const keys = (issue?.path ?? []).map((item) => String(item.key));
  const last = keys.at(-1);
  if (last !== undefined && issue?.input === undefined && issue?.kind === 'schema') {
    return `${['/requestBody', ...keys.slice(0, -1)].join('/')} must have required property '${last}'`;
  }
  const where = ['/requestBody', ...keys].join('/');
  if (issue?.type === 'regex') return `${where} must match pattern "${String(issue.requirement)}"`;
  if (issue?.type === 'picklist') return `${where} must be equal to one of the allowed values`;
  return `${where} must be ${issue?.expected ?? 'valid'}`;
}
