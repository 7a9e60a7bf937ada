import { Hono } from 'hono';
import type { FspiopDeps } from '../deps.ts';

export function transferRoutes(_deps: FspiopDeps): Hono {
  return new Hono();
}
