// One scenario's world: a fresh nats-server, a fresh database, mkondo, the simulators and the
// onboarded DFSPs, torn down afterwards whatever happened. Each scenario gets its own, so a
// switch left with a backlog by an overloaded scenario cannot slow down the next one, and
// the simulators start clean every time.

import { postgresPids, type Watched } from './environment.ts';
import { NO_HOOKS } from './flows.ts';
import { onboardDfsp, onboardHub, registerParties } from './onboard.ts';
import type { BenchOptions, ScenarioName } from './options.ts';
import type { Harness } from './scenarios.ts';
import {
  inboundVerifier,
  makeBenchPki,
  registerCredentials,
  SignedClients,
  secureEnv,
} from './secure.ts';
import {
  createDatabase,
  POSTGRES_BASE_URL,
  startMkondo,
  startNats,
  stopAll,
  stopNats,
} from './services.ts';
import { startSimulator } from './simulator.ts';
import { SwitchClient } from './switch-client.ts';
import { Tracker } from './tracker.ts';

const HUB_NAME = 'Hub';
const CURRENCY = 'USD';
/** Net debit cap and funds-in per DFSP: far above what a run can move at amount 1. */
const LIQUIDITY = 100_000_000;
const PARTITIONS = 16;
const PAYEE_PARTIES = 20;

export async function withSwitch<T>(
  options: BenchOptions,
  scenario: ScenarioName,
  dir: string,
  run: (harness: Harness) => Promise<T>,
): Promise<T> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const nats = await startNats(dir);
    cleanups.push(() => stopNats(nats));
    const db = await createDatabase(process.env['BENCH_POSTGRES_URL'] ?? POSTGRES_BASE_URL);
    cleanups.push(() => db.drop());
    const dfsps = Array.from({ length: scenario === 'c' ? 8 : 2 }, (_, i) => `benchfsp${i + 1}`);
    // Scenario s: mutual TLS and JWS everywhere (secure.ts).
    const pki = scenario === 's' ? makeBenchPki(dir, dfsps) : undefined;
    const secure = pki && { pki, cost: { signs: 0, signMs: 0, verifies: 0, verifyMs: 0 } };
    const cluster = await startMkondo({
      dir,
      natsUrl: nats.url,
      databaseUrl: db.url,
      workers: options.workers,
      partitions: PARTITIONS,
      ...(pki ? { env: secureEnv(pki) } : {}),
    });
    cleanups.push(() => stopAll(cluster.procs));
    const client = secure
      ? new SignedClients(cluster.fspiopUrl, secure.pki, secure.cost)
      : new SwitchClient(cluster.fspiopUrl, 64);
    const admin = new SwitchClient(cluster.adminUrl, 4);
    cleanups.push(
      () => client.close(),
      () => admin.close(),
    );
    const simulator = await startSimulator({
      client,
      tracker: new Tracker(),
      hooks: NO_HOOKS,
      ...(secure ? { inbound: inboundVerifier(secure.pki, secure.cost) } : {}),
    });
    cleanups.push(() => simulator.close());
    const watched: Watched[] = [
      ...cluster.procs.map((p) => ({ name: p.name, pids: () => [p.child.pid ?? 0] })),
      { name: 'nats-server', pids: () => [nats.proc.child.pid ?? 0] },
      { name: 'postgres (all)', pids: postgresPids },
      { name: 'bench (load + sims)', pids: () => [process.pid] },
    ];
    const parties = {
      payerMsisdn: '25510000001',
      payeeMsisdns: Array.from(
        { length: PAYEE_PARTIES },
        (_, i) => `2552000${String(i).padStart(4, '0')}`,
      ),
    };
    const harness: Harness = {
      options,
      client,
      admin,
      simulator,
      cluster,
      natsUrl: nats.url,
      databaseUrl: db.url,
      watched,
      hubName: HUB_NAME,
      currency: CURRENCY,
      dfsps,
      parties,
      ...(secure ? { secure } : {}),
    };
    await onboard(harness, scenario === 'b');
    if (secure) await registerCredentials(admin, secure.pki, client);
    return await run(harness);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        process.stderr.write(`mkondo bench: cleanup: ${String(error)}\n`),
      );
    }
  }
}

async function onboard(h: Harness, withParties: boolean): Promise<void> {
  const onboarding = {
    hubName: h.hubName,
    currency: h.currency,
    dfsps: h.dfsps,
    liquidity: LIQUIDITY,
    simulatorUrl: h.simulator.baseUrl,
  };
  await onboardHub(h.admin, onboarding);
  for (const name of h.dfsps) await onboardDfsp(h.admin, onboarding, name);
  if (!withParties) return;
  const [payer = '', payee = ''] = h.dfsps;
  await registerParties(
    h.client,
    h.simulator.stats,
    [
      { idType: 'MSISDN', id: h.parties.payerMsisdn, fspId: payer },
      ...h.parties.payeeMsisdns.map((id) => ({ idType: 'MSISDN', id, fspId: payee })),
    ],
    h.currency,
  );
}
