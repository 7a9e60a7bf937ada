// Header validation for every FSPIOP route (fspiop.md §1.2–§1.4), as one Hono middleware per
// resource. Order follows the reference: Accept, Content-Type, Date, FSPIOP-Source,
// FSPIOP-Destination (the body limit is the edge's, edge.ts). Missing ⇒ 3102, malformed ⇒ 3101,
// unsupported version ⇒ 406/3001 with the supported versions in the extension list.
// Descriptions name the header in lower case, as TTK asserts.

import type { MiddlewareHandler } from 'hono';
import type { FspiopResource } from '../../actors/callback.ts';
import { FSP_ID_PATTERN } from '../../schema/fspiop/common.ts';
import { FspiopCode } from '../../schema/fspiop/errors.ts';
import {
  isRfc1123Date,
  type MediaType,
  parseAccept,
  parseContentType,
  SUPPORTED_VERSIONS_EXTENSION,
} from './media.ts';
import { FspiopHttpError } from './problem.ts';

/** What the middleware learned about the request, for the route handlers. */
export type FspiopRequest = MediaType & {
  readonly source: string;
  readonly destination?: string;
};

export type FspiopEnv = { Variables: { fspiop: FspiopRequest } };

export type FspiopHeaderOptions = {
  /** FSPIOP-Destination must be present (e.g. POST /quotes). Default false. */
  readonly destinationRequired?: boolean;
};

const METHODS_REQUIRING_ACCEPT = new Set(['GET', 'POST', 'DELETE']);

function missing(header: string): FspiopHttpError {
  return new FspiopHttpError(
    FspiopCode.MISSING_ELEMENT,
    `/header must have required property '${header}'`,
  );
}

function malformed(header: string): FspiopHttpError {
  return new FspiopHttpError(FspiopCode.MALFORMED_SYNTAX, `Invalid ${header} header`);
}

function checkAccept(value: string | undefined, method: string, resource: FspiopResource): void {
  if (value === undefined) {
    if (METHODS_REQUIRING_ACCEPT.has(method)) throw missing('accept');
    return;
  }
  // Accept on a PUT callback is tolerated unchecked, as in the reference header validation.
  if (!METHODS_REQUIRING_ACCEPT.has(method)) return;
  const accept = parseAccept(value, resource);
  if (accept.ok) return;
  if (accept.reason === 'malformed') throw malformed('accept');
  throw new FspiopHttpError(
    FspiopCode.UNACCEPTABLE_VERSION,
    'The Client requested an unsupported version, see extension list for supported version(s).',
    SUPPORTED_VERSIONS_EXTENSION,
  );
}

function checkContentType(value: string | undefined, resource: FspiopResource): MediaType {
  if (value === undefined) throw missing('content-type');
  const parsed = parseContentType(value, resource);
  if (parsed.ok) return parsed.media;
  if (parsed.reason === 'malformed') throw malformed('content-type');
  throw new FspiopHttpError(
    FspiopCode.UNACCEPTABLE_VERSION,
    'Client supplied a protocol version which is not supported by the server',
    SUPPORTED_VERSIONS_EXTENSION,
  );
}

function checkFspId(
  value: string | undefined,
  header: string,
  required: boolean,
): string | undefined {
  if (value === undefined) {
    if (required) throw missing(header);
    return undefined;
  }
  const trimmed = value.trim();
  if (!FSP_ID_PATTERN.test(trimmed)) throw malformed(header);
  return trimmed;
}

/** Validates the FSPIOP headers of a request to `resource` and stores them as `c.var.fspiop`. */
export function fspiopHeaders(
  resource: FspiopResource,
  options: FspiopHeaderOptions = {},
): MiddlewareHandler<FspiopEnv> {
  return async (c, next) => {
    const header = (name: string) => c.req.header(name);
    checkAccept(header('accept'), c.req.method, resource);
    const media = checkContentType(header('content-type'), resource);
    const date = header('date');
    if (date === undefined) throw missing('date');
    if (!isRfc1123Date(date)) throw malformed('date');
    const source = checkFspId(header('fspiop-source'), 'fspiop-source', true) ?? '';
    const destination = checkFspId(
      header('fspiop-destination'),
      'fspiop-destination',
      options.destinationRequired === true,
    );
    c.set(
      'fspiop',
      destination === undefined ? { ...media, source } : { ...media, source, destination },
    );
    await next();
  };
}
