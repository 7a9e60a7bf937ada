// `make sim`: the deterministic simulator's command line. Prints the seed first; SEED replays a
// run exactly; SIM_SEEDS sweeps that many consecutive seeds from SEED (or from a random base);
// SIM_STEPS sets the length of the faulty phase in events; SIM_PROFILE picks the fault mix;
// SIM_LOOP picks the loop under test. Exits 1 when any seed breaks an invariant, printing for
// each the violations, the faults injected, and the command that replays it.

import { randomInt } from 'node:crypto';
import { isProfileName, PROFILE_SWITCH, PROFILES } from './faults.ts';
import { DEFAULT_LOOP, LOOPS } from './loops.ts';
import { runSeed, type SimResult } from './run.ts';
import { DEFAULT_CONFIG, type SimConfig } from './world.ts';

type Options = {
  readonly base: number;
  readonly seeds: number;
  readonly loop: string;
  readonly config: Omit<SimConfig, 'seed'>;
};

function setting(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

function positiveInt(name: string, fallback: number): number {
  const text = setting(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name}=${text} is not a count`);
  return value;
}

function options(): Options {
  const profile = setting('SIM_PROFILE') ?? DEFAULT_CONFIG.profile;
  if (!isProfileName(profile)) {
    throw new Error(`SIM_PROFILE=${profile}: one of ${Object.keys(PROFILES).join(', ')}`);
  }
  const loop = setting('SIM_LOOP') ?? DEFAULT_LOOP;
  if (LOOPS[loop] === undefined) {
    throw new Error(`SIM_LOOP=${loop}: one of ${Object.keys(LOOPS).join(', ')}`);
  }
  return {
    base: positiveInt('SEED', randomInt(1, 2 ** 31)),
    seeds: Math.max(1, positiveInt('SIM_SEEDS', 1)),
    loop,
    config: {
      ...DEFAULT_CONFIG,
      ...PROFILE_SWITCH[profile],
      profile,
      steps: positiveInt('SIM_STEPS', DEFAULT_CONFIG.steps),
      appliedKeepSeqs: positiveInt('SIM_APPLIED_KEEP_SEQS', DEFAULT_CONFIG.appliedKeepSeqs),
    },
  };
}

function replay(o: Options, seed: number): string {
  const { profile, steps, appliedKeepSeqs } = o.config;
  const keep =
    appliedKeepSeqs === DEFAULT_CONFIG.appliedKeepSeqs
      ? ''
      : ` SIM_APPLIED_KEEP_SEQS=${appliedKeepSeqs}`;
  const loop = `SIM_PROFILE=${profile} SIM_LOOP=${o.loop}`;
  return `make sim SEED=${seed} SIM_STEPS=${steps} ${loop}${keep}`;
}

/** The failure mode of issue 9 a violation's kind points at, when it points at one. */
const FINDINGS: Readonly<Record<string, string>> = {
  'skipped-command': 'issue 9 finding 1: a late redelivery made the loop skip newer commands',
  'stale-base': 'issue 9 finding 2: the cache was not dropped after an unknown commit outcome',
  'initial-base':
    'issue 9 finding 3: an actor evicted mid-batch was decided from its initial state',
  'double-posting': 'issue 9 finding 4: a command re-published past the windows was applied twice',
};

function printFailure(o: Options, result: SimResult): void {
  console.log(`\nseed ${result.seed} FAILED after ${result.steps} events:`);
  for (const violation of result.violations) console.log(`  ${violation}`);
  const kinds = new Set(result.violations.map((v) => /^\[([a-z-]+)\]/.exec(v)?.[1] ?? ''));
  for (const kind of kinds) if (FINDINGS[kind]) console.log(`  looks like ${FINDINGS[kind]}`);
  console.log('  faults injected:');
  for (const line of result.log.slice(-40)) console.log(`    ${line}`);
  console.log(`  replay: ${replay(o, result.seed)}`);
}

async function main(): Promise<number> {
  const o = options();
  const { profile, steps } = o.config;
  const what = o.seeds === 1 ? `seed ${o.base}` : `seeds ${o.base}..${o.base + o.seeds - 1}`;
  console.log(`sim: ${what} (SIM_PROFILE=${profile} SIM_LOOP=${o.loop} SIM_STEPS=${steps})`);
  const startedMs = performance.now();
  let failed = 0;
  let transfers = 0;
  for (let i = 0; i < o.seeds; i++) {
    const result = await runSeed({ ...o.config, seed: o.base + i }, LOOPS[o.loop]!);
    transfers += result.transfers;
    if (result.violations.length > 0) {
      failed++;
      printFailure(o, result);
    } else if (o.seeds === 1) {
      const { committed, writes, simulatedMs } = result;
      console.log(
        `ok: ${result.transfers} transfers (${committed} committed), ${writes} batch writes, ` +
          `${result.steps} events, ${Math.round(simulatedMs / 1000)} s simulated`,
      );
    }
    if (o.seeds > 1 && (i + 1) % 100 === 0) console.log(`  ${i + 1} seeds, ${failed} failed`);
  }
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
  console.log(
    `sim: ${o.seeds - failed}/${o.seeds} seeds passed, ${transfers} transfers, ${seconds} s`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
