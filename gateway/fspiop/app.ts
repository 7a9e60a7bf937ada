// The FSPIOP API as one Hono app: DFSPs call it, it validates headers and bodies, turns each
// request into a command and answers 202/200 once the command is durably published. Every error
// answer is an FSPIOP `errorInformation` body; unknown paths get 404/3002; an unexpected failure
// gets 500/2001 and is logged, never crashing the process.

import { Hono } from 'hono';
import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import { healthAnswer } from '../health.ts';
import { httpSpans } from '../http-spans.ts';
import { learnApiType } from '../iso20022/learn.ts';
import { fspiopSecurity } from './auth.ts';
import { boundedBus } from './bounded-bus.ts';
import type { FspiopDeps } from './deps.ts';
import { EDGE_DEFAULTS, edgeGuard } from './edge.ts';
import { failureAnswer } from './failures.ts';
import { errorResponse } from './problem.ts';
import { bulkQuotesRoutes } from './routes/bulk-quotes.ts';
import { bulkTransfersRoutes } from './routes/bulk-transfers.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { fxRoutes } from './routes/fx.ts';
import { transferRoutes } from './routes/transfers.ts';

export type { FspiopDeps } from './deps.ts';

/** How the FSPIOP API names path parameters in its errors. */
const PARAM_NAMES = { type: 'Type', id: 'ID', subId: 'SubId', requestId: 'ID' };

export function createFspiopApp(given: FspiopDeps): Hono {
  const limits = given.edge ?? EDGE_DEFAULTS;
  const deps = { ...given, bus: boundedBus(given.bus, limits.requestTimeoutMs) };
  const app = new Hono();
  app.use('*', httpSpans('fspiop'));
  app.use('*', edgeGuard(limits, PARAM_NAMES, { exactNumbers: false }));
  if (deps.security) app.use('*', fspiopSecurity(deps, deps.security));
  app.use('*', learnApiType(deps));
  app.get('/health', (c) => healthAnswer(c, deps.health ?? []));
  app.route('/', transferRoutes(deps));
  app.route('/', discoveryRoutes(deps));
  app.route('/', fxRoutes(deps));
  app.route('/', bulkQuotesRoutes(deps));
  app.route('/', bulkTransfersRoutes(deps));
  app.notFound((c) =>
    errorResponse(c, fspiopError(FspiopCode.UNKNOWN_URI, `${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => failureAnswer('fspiop', error, c));
  return app;
}
