// `mkondo bench` (issue 6): an end-to-end benchmark against the protocol, not the code. It starts
// an isolated switch (fresh nats-server, fresh PostgreSQL database, mkondo child processes),
// onboards simulated DFSPs through the Admin API, drives FSPIOP load at a fixed arrival rate or
// concurrency, and checks the books afterwards. Everything it starts it stops, also on failure.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioF } from './bulk-scenario.ts';
import { describeEnvironment, type Environment } from './environment.ts';
import { withSwitch } from './harness.ts';
import { scenarioI } from './iso-scenario.ts';
import { type BenchOptions, HELP, parseBenchArgs, UsageError } from './options.ts';
import {
  appendToBenchmarks,
  type BenchReport,
  formatTable,
  jsonLine,
  type ScenarioResult,
} from './report.ts';
import { type Harness, scenarioA, scenarioB, scenarioC, scenarioD } from './scenarios.ts';
import { scenarioS } from './secure-scenario.ts';
import { newRunDir } from './services.ts';
import { scenarioE } from './settlement-close.ts';

const ROOT = join(import.meta.dirname, '..', '..');

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
  const results: ScenarioResult[] = [];
  let environment: Environment | undefined;
  // d moves only the payer's position (no payee credit), so it runs last.
  const order = (['a', 's', 'i', 'b', 'c', 'd', 'e', 'f'] as const).filter((name) =>
    options.scenarios.includes(name),
  );
  for (const name of order) {
    progress(`scenario ${name}: starting a fresh nats-server, database and switch`);
    const outcome = await withSwitch(options, name, dir, async (harness) => {
      environment ??= await describeEnvironment(harness.databaseUrl);
      return RUN[name](harness);
    }).catch((error: unknown) => [crashed(name, error)]);
    results.push(...outcome);
    if (outcome.some((r) => r.title === CRASHED)) break;
  }
  const ok = results.length > 0 && results.every((r) => r.checks.every((c) => c.ok));
  // Process logs are kept when the run fails, for the post-mortem.
  if (ok) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`mkondo bench: process logs kept in ${dir}\n`);
  return {
    startedAt,
    command,
    smoke: options.smoke,
    workers: options.workers,
    environment: environment ?? UNKNOWN_ENVIRONMENT,
    results,
    ok,
  };
}

const RUN = {
  a: async (h: Harness) => [await scenarioA(h)],
  s: async (h: Harness) => [await scenarioS(h)],
  i: async (h: Harness) => [await scenarioI(h)],
  b: async (h: Harness) => [await scenarioB(h)],
  c: (h: Harness) => scenarioC(h),
  d: async (h: Harness) => [await scenarioD(h)],
  e: async (h: Harness) => [await scenarioE(h)],
  f: async (h: Harness) => [await scenarioF(h)],
};

const CRASHED = 'did not finish';

const UNKNOWN_ENVIRONMENT: Environment = {
  cpuModel: 'unknown',
  cores: 0,
  ramGiB: 0,
  node: process.version,
  nats: 'unknown',
  postgres: 'unknown',
  durability: 'unknown',
};

function crashed(name: string, error: unknown): ScenarioResult {
  return {
    scenario: name,
    title: CRASHED,
    load: '-',
    offered: 0,
    dropped: 0,
    completedPerS: 0,
    committed: 0,
    failed: 0,
    latencyMs: undefined,
    errorsByCode: {},
    cpuPercent: {},
    checks: [{ name: 'scenario ran to the end', ok: false, detail: String(error) }],
    target: '-',
    targetMet: undefined,
  };
}

function progress(text: string): void {
  process.stderr.write(`mkondo bench: ${text}\n`);
}
