// Synchronous FSPIOP error answers, on the FSPIOP and the Admin API alike. Validation helpers
// throw FspiopHttpError; each app's error handler renders it as `{errorInformation}` with the status derived from the code (§1.5), so
// every rejection at the edge has the same shape and nothing invalid is ever published.

import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  type ExtensionList,
  errorBody,
  type FspiopCode,
  type FspiopError,
  fspiopError,
  httpStatusFor,
} from '../../schema/fspiop/errors.ts';

export class FspiopHttpError extends Error {
  override readonly name = 'FspiopHttpError';
  readonly error: FspiopError;

  /** From a code (and detail), or from an error an actor already answered with. */
  constructor(code: FspiopCode | FspiopError, detail?: string, extensionList?: ExtensionList) {
    const error = typeof code === 'string' ? fspiopError(code, detail, extensionList) : code;
    super(error.errorDescription);
    this.error = error;
  }

  get status(): number {
    return httpStatusFor(this.error.errorCode);
  }
}

/** Renders an FSPIOP error as a synchronous HTTP answer. */
export function errorResponse(c: Context, error: FspiopError): Response {
  return c.json(errorBody(error), httpStatusFor(error.errorCode) as ContentfulStatusCode);
}
