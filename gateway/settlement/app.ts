// The Settlement API (central-settlement's paths under /v2, fspiop.md §7), served on the Admin
// port beside the Admin API and behind the same operator token: settlement windows,
// settlements and their reports.

import { Hono } from 'hono';
import type { AdminDeps } from '../admin/http.ts';
import { settlementsRoutes } from './settlements.ts';
import { windowsRoutes } from './windows.ts';

export function settlementRoutes(deps: AdminDeps): Hono {
  const app = new Hono();
  app.route('/', windowsRoutes(deps));
  app.route('/', settlementsRoutes(deps));
  return app;
}
