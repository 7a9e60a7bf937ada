// The gateway's side of the ISO 20022 binding: a request whose Content-Type is the ISO variant
// has its body validated against the ISO message of its resource and verb and mapped to the
// FSPIOP body the route validates next, so an ISO request becomes exactly the command its FSPIOP
// twin would. The body text stays as sent: the duplicate check hashes it and a relay to a DFSP of
// the same API type forwards it byte for byte. Synchronous errors keep the binding's
// ErrorInformationResponse shape (the ISO OpenAPI answers 4xx with `errorInformation`).

import type { Context } from 'hono';
import type { FspiopResource } from '../../actors/callback.ts';
import { FspiopHttpError } from '../fspiop/problem.ts';
import { IsoMappingError } from './context.ts';
import { isoMessageKind, isoToFspiop } from './messages.ts';

type IsoRequest = { readonly resource: FspiopResource; readonly iso: boolean };

/** The FSPIOP body of `value` when the request is ISO 20022; `value` itself otherwise. */
export function fspiopBodyOf(c: Context, value: unknown): unknown {
  const request = c.get('fspiop') as IsoRequest | undefined;
  if (request?.iso !== true) return value;
  const kind = isoMessageKind(request.resource, c.req.method, c.req.path);
  if (kind === undefined) {
    throw new FspiopHttpError(
      '2002',
      `${c.req.method} /${request.resource} is not available in the ISO 20022 binding`,
    );
  }
  try {
    return isoToFspiop(kind, value);
  } catch (error) {
    if (error instanceof IsoMappingError) throw new FspiopHttpError(error.code, error.message);
    throw error;
  }
}
