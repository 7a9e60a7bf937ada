// The Admin API (default port 3001): central-ledger's paths, bodies, status codes and errors, so
// operators' onboarding scripts and the TTK hub-provisioning collections run unchanged
// (fspiop.md §6). Operator authentication is a bearer token when ADMIN_TOKEN is set; without it
// the Admin API must not be exposed beyond the operator's network.

import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { fspiopError } from '../../schema/fspiop/errors.ts';
import { boundedBus } from '../fspiop/bounded-bus.ts';
import { EDGE_DEFAULTS, edgeGuard } from '../fspiop/edge.ts';
import { failureAnswer } from '../fspiop/failures.ts';
import { errorResponse } from '../fspiop/problem.ts';
import { healthAnswer } from '../health.ts';
import { httpSpans } from '../http-spans.ts';
import { settlementRoutes } from '../settlement/app.ts';
import { installAdminAccess } from './access.ts';
import { apiTypeRoutes } from './api-type.ts';
import { credentialRoutes } from './credentials.ts';
import { fundsRoutes } from './funds.ts';
import type { AdminDeps } from './http.ts';
import { oraclesRoutes } from './oracles.ts';
import { participantsRoutes } from './participants.ts';
import { positionHistoryRoutes } from './position-history.ts';
import { positionsRoutes } from './positions.ts';
import { settlementModelsRoutes } from './settlement-models.ts';

export type { AdminDeps } from './http.ts';

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

export function createAdminApp(given: AdminDeps): Hono {
  const limits = given.edge ?? EDGE_DEFAULTS;
  const deps = { ...given, bus: boundedBus(given.bus, limits.requestTimeoutMs) };
  const app = new Hono();
  app.use('*', httpSpans('admin'));
  app.use('*', edgeGuard(limits));

  // Central-ledger's /health, and central-settlement's under /v2 (TTK's HOST_CENTRAL_SETTLEMENT).
  app.get('/health', (c) => healthAnswer(c, deps.health ?? []));
  app.get('/v2/health', (c) => healthAnswer(c, deps.health ?? []));

  if (deps.security) installAdminAccess(app, deps.security);
  const { adminToken } = deps;
  if (adminToken) {
    app.use('*', async (c, next) => {
      if (bearerMatches(c.req.header('authorization'), adminToken)) return next();
      return c.json({ errorInformation: fspiopError('3000', 'Unauthorized') }, 401);
    });
  }

  // Static paths (/participants/limits) are registered before /participants/:name.
  if (deps.positionHistory) app.route('/', positionHistoryRoutes(deps, deps.positionHistory));
  app.route('/', positionsRoutes(deps));
  app.route('/', credentialRoutes(deps));
  app.route('/', fundsRoutes(deps));
  app.route('/', apiTypeRoutes(deps));
  app.route('/', participantsRoutes(deps));
  app.route('/', settlementModelsRoutes(deps));
  app.route('/', oraclesRoutes(deps));
  app.route('/v2', settlementRoutes(deps));

  app.notFound((c) => errorResponse(c, fspiopError('3002', `${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => failureAnswer('admin', error, c));
  return app;
}
