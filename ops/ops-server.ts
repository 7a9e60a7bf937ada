// Every role serves /health (liveness: the process answers), /ready (ready only while each of its
// checks passes: NATS and the DB answer, the worker's partitions make progress) and /metrics
// (Prometheus text from prom-client's default registry) on OPS_PORT.

import { Hono } from 'hono';
import { collectDefaultMetrics, register } from 'prom-client';

export type ReadinessCheck = {
  readonly name: string;
  readonly check: () =>
    | Promise<{ ok: boolean; detail?: string }>
    | { ok: boolean; detail?: string };
};

let defaultMetricsStarted = false;

export function createOpsApp(checks: readonly ReadinessCheck[]): Hono {
  if (!defaultMetricsStarted) {
    collectDefaultMetrics({ prefix: 'mkondo_process_' });
    defaultMetricsStarted = true;
  }
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'OK' }));
  app.get('/ready', async (c) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          return { name, ...(await check()) };
        } catch (error) {
          return { name, ok: false, detail: (error as Error).message };
        }
      }),
    );
    const ready = results.every((result) => result.ok);
    return c.json({ status: ready ? 'READY' : 'NOT_READY', checks: results }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    c.header('Content-Type', register.contentType);
    return c.body(await register.metrics());
  });
  return app;
}
