// The FSPIOP API as one Hono app: DFSPs call it, it validates headers and bodies, turns each
// request into a command and answers 202/200 once the command is durably published. Every error
// answer is an FSPIOP `errorInformation` body; unknown paths get 404/3002; an unexpected failure
// gets 500/2001 and is logged, never crashing the process.

import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { logger } from '../../ops/logger.ts';
import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import { healthAnswer } from '../health.ts';
import { httpSpans } from '../http-spans.ts';
import { fspiopSecurity } from './auth.ts';
import type { FspiopDeps } from './deps.ts';
import { errorResponse, FspiopHttpError } from './problem.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { transferRoutes } from './routes/transfers.ts';

export type { FspiopDeps } from './deps.ts';

export function createFspiopApp(deps: FspiopDeps): Hono {
  const app = new Hono();
  app.use('*', httpSpans('fspiop'));
  if (deps.security) app.use('*', fspiopSecurity(deps, deps.security));
  app.get('/health', (c) => healthAnswer(c, deps.health ?? []));
  app.route('/', transferRoutes(deps));
  app.route('/', discoveryRoutes(deps));
  app.notFound((c) =>
    errorResponse(c, fspiopError(FspiopCode.UNKNOWN_URI, `${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => {
    if (error instanceof FspiopHttpError) return errorResponse(c, error.error);
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, fspiopError(FspiopCode.MALFORMED_SYNTAX, error.message));
    }
    logger.error({ err: error, path: c.req.path }, 'fspiop request failed');
    return errorResponse(c, fspiopError(FspiopCode.INTERNAL_SERVER_ERROR));
  });
  return app;
}
