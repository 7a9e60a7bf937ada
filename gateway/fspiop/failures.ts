// What a request that failed inside the switch is answered, on the FSPIOP and the Admin API. A
// refusal the edge decided renders as is; a full stream is 503/2003 (the switch is at capacity
// and accepted nothing: retry later); a wait that ran out is 2004; a broker that is unreachable
// is 503/2003; anything else is a bug, logged, and answered 500/2001. The error is judged by its
// name and JetStream code (STYLE.md: identity is a code, not a class), so a NATS client upgrade
// or a runtime wrapper does not change the answer.

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logger } from '../../ops/logger.ts';
import { isMessageTooLarge, isStreamFull } from '../../runtime/streams.ts';
import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import { errorResponse, FspiopHttpError } from './problem.ts';

/** The error's name, which is how NATS client errors identify themselves. */
function nameOf(error: unknown): string {
  return typeof error === 'object' && error !== null
    ? String((error as { name?: unknown }).name ?? '')
    : '';
}

function isTimeout(error: unknown): boolean {
  const name = nameOf(error);
  return name === 'RequestTimeoutError' || name === 'TimeoutError';
}

function isBrokerDown(error: unknown): boolean {
  const name = nameOf(error);
  const names = ['ClosedConnectionError', 'ConnectionError', 'DrainingConnectionError'];
  return names.includes(name) || name === 'NoResponders' || name === 'JetStreamNotEnabled';
}

/** The FSPIOP error for a failure, or undefined when it is an unexpected one. */
export function knownFailure(error: unknown): FspiopError | undefined {
  if (error instanceof FspiopHttpError) return error.error;
  if (error instanceof HTTPException && error.status < 500) {
    return fspiopError('3101', error.message);
  }
  if (isStreamFull(error)) {
    return fspiopError('2003', 'the switch is at capacity; nothing was accepted, retry later');
  }
  if (isMessageTooLarge(error)) return fspiopError('3104', 'the request is too large to carry');
  if (isTimeout(error)) {
    return fspiopError('2004', 'the switch did not answer in time; the request may still apply');
  }
  if (isBrokerDown(error)) return fspiopError('2003', 'the message broker is unavailable');
  return undefined;
}

/** The onError handler of both APIs. */
export function failureAnswer(api: string, error: unknown, c: Context): Response {
  const known = knownFailure(error);
  if (known) return errorResponse(c, known);
  logger.error({ err: error, path: c.req.path, api }, `${api} request failed`);
  return errorResponse(c, fspiopError('2001'));
}
