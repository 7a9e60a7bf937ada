// `mkondo bench` (issue 6): an end-to-end benchmark against the protocol, not the code. It starts
// an isolated switch (fresh nats-server, fresh PostgreSQL database, mkondo child processes),
// onboards simulated DFSPs through the Admin API, drives FSPIOP load at a fixed arrival rate or
// concurrency, and checks the books afterwards. Everything it starts it stops, also on failure.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeEnvironment, postgresPids, type Watched } from './environment.ts';
import { NO_HOOKS } from './flows.ts';
import { onboardDfsp, onboardHub, registerParties } from './onboard.ts';
import { type BenchOptions, HELP, parseBenchArgs, UsageError } from './options.ts';
import {
  appendToBenchmarks,
  type BenchReport,
  formatTable,
  jsonLine,
  type ScenarioResult,
} from './report.ts';
import { type Harness, scenarioA, scenarioB, scenarioC, scenarioD } from './scenarios.ts';
import {
  createDatabase,
  newRunDir,
  POSTGRES_BASE_URL,
  startMkondo,
  startNats,
  stopAll,
  stopNats,
} from './services.ts';
import { startSimulator } from './simulator.ts';
import { SwitchClient } from './switch-client.ts';
import { Tracker } from './tracker.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const HUB_NAME = 'Hub';
const CURRENCY = 'USD';
const LIQUIDITY = 100_000_000;
const PARTITIONS = 16;
const PAYEE_PARTIES = 20;

export { HELP as BENCH_HELP } from './options.ts';

/** Entry point of `mkondo bench`; sets process.exitCode (2 usage, 1 failed check or error). */
export async function runBench(argv: string[]): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`mkondo bench: ${error.message}\n\n${HELP}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const report = await benchmark(options, `mkondo bench ${argv.join(' ')}`.trim());
  if (!options.jsonOnly) process.stdout.write(`\n${formatTable(report)}\n\n`);
  process.stdout.write(`${jsonLine(report)}\n`);
  if (!options.smoke) {
    const path = appendToBenchmarks(report, ROOT);
    if (path && !options.jsonOnly) process.stdout.write(`results appended to ${path}\n`);
  }
  if (!report.ok) process.exitCode = 1;
}

async function benchmark(options: BenchOptions, command: string): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const dir = newRunDir();
  const cleanups: (() => Promise<unknown>)[] = [];
  let failed = true;
  try {
    const nats = await startNats(dir);
    cleanups.push(() => stopNats(nats));
    const db = await createDatabase(process.env['BENCH_POSTGRES_URL'] ?? POSTGRES_BASE_URL);
    cleanups.push(() => db.drop());
    const cluster = await startMkondo({
      dir,
      natsUrl: nats.url,
      databaseUrl: db.url,
      workers: options.workers,
      partitions: PARTITIONS,
    });
    cleanups.push(() => stopAll(cluster.procs));
    const client = new SwitchClient(cluster.fspiopUrl, 64);
    const admin = new SwitchClient(cluster.adminUrl, 4);
    cleanups.push(
      () => client.close(),
      () => admin.close(),
    );
    const simulator = await startSimulator({ client, tracker: new Tracker(), hooks: NO_HOOKS });
    cleanups.push(() => simulator.close());
    const harness = await onboard(options, { client, admin, simulator, cluster, dbUrl: db.url });
    const watched: Watched[] = [
      ...cluster.procs.map((p) => ({ name: p.name, pids: () => [p.child.pid ?? 0] })),
      { name: 'nats-server', pids: () => [nats.proc.child.pid ?? 0] },
      { name: 'postgres (all)', pids: postgresPids },
      { name: 'bench (load + sims)', pids: () => [process.pid] },
    ];
    const environment = await describeEnvironment(db.url);
    const results = await runScenarios({ ...harness, natsUrl: nats.url, watched });
    failed = false;
    return {
      startedAt,
      command,
      smoke: options.smoke,
      workers: options.workers,
      environment,
      results,
      ok: results.every((r) => r.checks.every((c) => c.ok)),
    };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        process.stderr.write(`cleanup: ${String(error)}\n`),
      );
    }
    if (failed) process.stderr.write(`mkondo bench: process logs kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

type Parts = {
  client: SwitchClient;
  admin: SwitchClient;
  simulator: Harness['simulator'];
  cluster: Harness['cluster'];
  dbUrl: string;
};

async function onboard(
  options: BenchOptions,
  p: Parts,
): Promise<Omit<Harness, 'natsUrl' | 'watched'>> {
  const count = options.scenarios.includes('c') ? 8 : 2;
  const dfsps = Array.from({ length: count }, (_, i) => `benchfsp${i + 1}`);
  const onboarding = {
    hubName: HUB_NAME,
    currency: CURRENCY,
    dfsps,
    liquidity: LIQUIDITY,
    simulatorUrl: p.simulator.baseUrl,
  };
  progress(options, `onboarding ${dfsps.length} DFSPs through the Admin API`);
  await onboardHub(p.admin, onboarding);
  for (const name of dfsps) await onboardDfsp(p.admin, onboarding, name);
  const parties = {
    payerMsisdn: '25510000001',
    payeeMsisdns: Array.from(
      { length: PAYEE_PARTIES },
      (_, i) => `2552000${String(i).padStart(4, '0')}`,
    ),
  };
  if (options.scenarios.includes('b')) {
    const [payer = '', payee = ''] = dfsps;
    await registerParties(
      p.client,
      p.simulator.stats,
      [
        { idType: 'MSISDN', id: parties.payerMsisdn, fspId: payer },
        ...parties.payeeMsisdns.map((id) => ({ idType: 'MSISDN', id, fspId: payee })),
      ],
      CURRENCY,
    );
  }
  return {
    options,
    client: p.client,
    admin: p.admin,
    simulator: p.simulator,
    cluster: p.cluster,
    databaseUrl: p.dbUrl,
    hubName: HUB_NAME,
    currency: CURRENCY,
    dfsps,
    parties,
  };
}

async function runScenarios(h: Harness): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const name of h.options.scenarios) {
    progress(h.options, `scenario ${name}`);
    if (name === 'a') results.push(await scenarioA(h));
    if (name === 'b') results.push(await scenarioB(h));
    if (name === 'c') results.push(...(await scenarioC(h)));
  }
  // d moves only the payer's position (no payee credit), so it runs after every ledger check.
  if (h.options.scenarios.includes('d')) {
    progress(h.options, 'scenario d');
    results.push(await scenarioD(h));
  }
  return results;
}

function progress(_options: BenchOptions, text: string): void {
  process.stderr.write(`mkondo bench: ${text}\n`);
}
