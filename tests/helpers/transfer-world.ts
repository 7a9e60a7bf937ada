// One end-to-end world for the transfer tests: an isolated nats-server, a fresh PostgreSQL
// database, a running mkondo (child processes), one simulated DFSP HTTP server per DFSP, and the
// hub and DFSPs onboarded through the Admin API. Tests talk to it only over HTTP and read the DB
// for the invariants, as an operator and a DFSP would.

import assert from 'node:assert/strict';
import { DfspSim, type DfspSimOptions, type PayeeBehaviour } from './dfsp-sim.ts';
import { onboardDfsp, onboardHub } from './onboard.ts';
import { freshDatabase, type NatsServer, startNats, type TestDatabase } from './services.ts';
import { type RunningSwitch, startSwitch } from './switch.ts';

export type DfspPlan = {
  readonly name: string;
  readonly netDebitCap: string;
  readonly fundsIn: string;
  /** How this DFSP answers a forwarded prepare as payee (default: record only). */
  readonly onPrepare?: (body: Record<string, unknown>) => PayeeBehaviour;
  /** Media-type version of its answers (default 1.1). */
  readonly version?: string;
  /** Requests this DFSP refuses over HTTP (default: none). */
  readonly refuse?: DfspSimOptions['refuse'];
};

export type WorldPlan = {
  readonly dfsps: readonly DfspPlan[];
  readonly currency?: string;
  readonly layout?: 'dev' | 'split';
  readonly env?: Readonly<Record<string, string>>;
  readonly roleEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** A NATS server the test started itself (e.g. with authorization); default: a fresh one. */
  readonly nats?: NatsServer;
};

export type World = {
  readonly switch: RunningSwitch;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly currency: string;
  readonly hubName: string;
  readonly sims: Readonly<Record<string, DfspSim>>;
  /** Every participant name, hub first. */
  readonly names: readonly string[];
  stop(): Promise<void>;
};

export async function startWorld(plan: WorldPlan): Promise<World> {
  const currency = plan.currency ?? 'USD';
  const hubName = 'Hub';
  let nats: NatsServer | undefined;
  let db: TestDatabase | undefined;
  let running: RunningSwitch | undefined;
  const sims: Record<string, DfspSim> = {};
  const stop = async () => {
    await running?.stop();
    await Promise.all(Object.values(sims).map((sim) => sim.stop()));
    await nats?.stop();
    await db?.drop();
  };
  try {
    [nats, db] = await Promise.all([plan.nats ?? startNats(), freshDatabase()]);
    running = await startSwitch({
      natsUrl: nats.url,
      databaseUrl: db.url,
      layout: plan.layout ?? 'dev',
      env: { HUB_NAME: hubName, ...plan.env },
      ...(plan.roleEnv ? { roleEnv: plan.roleEnv } : {}),
    });
    for (const dfsp of plan.dfsps) {
      const sim = new DfspSim({
        name: dfsp.name,
        switchUrl: running.fspiopUrl,
        ...(dfsp.onPrepare ? { onPrepare: dfsp.onPrepare } : {}),
        ...(dfsp.version ? { version: dfsp.version } : {}),
        ...(dfsp.refuse ? { refuse: dfsp.refuse } : {}),
      });
      sims[dfsp.name] = sim;
      await sim.start();
    }
    const adminUrl = running.adminUrl;
    await onboardHub({ adminUrl, hubName, currency });
    for (const dfsp of plan.dfsps) {
      const endpointBase = sims[dfsp.name]?.url ?? '';
      await onboardDfsp({ ...dfsp, adminUrl, currency, endpointBase });
    }
    return {
      switch: running,
      databaseUrl: db.url,
      natsUrl: nats.url,
      currency,
      hubName,
      sims,
      names: [hubName, ...plan.dfsps.map((d) => d.name)],
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Polls `probe` until it answers true; throws `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a DFSP received for one transfer, in order: `POST`, `PUT COMMITTED`, `PUT error 3100`. */
export function trail(sim: DfspSim, transferId: string): string[] {
  return sim.forTransfer(transferId).map((r) => {
    const body = r.body as {
      transferState?: string;
      errorInformation?: { errorCode?: string };
    } | null;
    const detail = body?.errorInformation?.errorCode ?? body?.transferState ?? '';
    return [r.method, r.path.endsWith('/error') ? 'error' : '', detail].filter(Boolean).join(' ');
  });
}

/** Waits until the DFSP's trail for the transfer is as long as `expected`, then compares it. */
export async function expectTrail(
  sim: DfspSim,
  transferId: string,
  expected: readonly string[],
): Promise<void> {
  await waitUntil(
    `${transferId} trail`,
    () => trail(sim, transferId).length >= expected.length,
  ).catch(() => undefined);
  await sleep(200);
  assert.deepEqual(trail(sim, transferId), expected);
}
