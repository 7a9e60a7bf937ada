// GET /health on the FSPIOP and Admin ports, in the shape Mojaloop's services answer it (TTK checks
// `status` and the `services` array: bug fix #1009): the broker (NATS) and the datastore (the
// database) are probed on each call; any probe down makes the answer 502 with status DOWN.

import type { Context } from 'hono';

export type ServiceProbe = { readonly name: string; readonly probe: () => Promise<boolean> };

const startedAtMs = Date.now();
const VERSION = '0.1.0';

export async function healthAnswer(c: Context, probes: readonly ServiceProbe[]): Promise<Response> {
  const services = await Promise.all(
    probes.map(async ({ name, probe }) => {
      const ok = await probe().catch(() => false);
      return { name, status: ok ? 'OK' : 'DOWN' };
    }),
  );
  const ok = services.every((service) => service.status === 'OK');
  return c.json(
    {
      status: ok ? 'OK' : 'DOWN',
      uptime: (Date.now() - startedAtMs) / 1000,
      startTime: new Date(startedAtMs).toISOString(),
      versionNumber: VERSION,
      services,
    },
    ok ? 200 : 502,
  );
}
