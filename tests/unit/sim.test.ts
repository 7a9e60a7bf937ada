// The deterministic simulator (ops/sim). The production loop (the real PartitionDriver and step
// over simulated ports) passes a short sweep of seeds under every fault profile it must survive.
// The loop as it was when issue 9 was filed (SIM_LOOP=old) breaks, under each targeted profile,
// the invariant its finding predicts; a calm run breaks none; a seed replays identically.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROFILE_SWITCH, type ProfileName } from '../../ops/sim/faults.ts';
import { driverLoop, oldLoop } from '../../ops/sim/loops.ts';
import { runSeed } from '../../ops/sim/run.ts';
import { DEFAULT_CONFIG, type LoopMaker } from '../../ops/sim/world.ts';

function run(loop: LoopMaker, seed: number, profile: ProfileName, steps = DEFAULT_CONFIG.steps) {
  return runSeed({ ...DEFAULT_CONFIG, ...PROFILE_SWITCH[profile], seed, profile, steps }, loop);
}

/** A short run: fewer events and expiries within 15 s, so a sweep of many seeds stays quick. */
function short(seed: number, profile: ProfileName) {
  const config = { ...DEFAULT_CONFIG, ...PROFILE_SWITCH[profile], seed, profile };
  return runSeed({ ...config, steps: 600, expiryMaxMs: 15_000 }, driverLoop);
}

/** Runs `count` seeds from `base`; answers the failures with their replay settings. */
async function sweep(base: number, count: number, profile: ProfileName): Promise<string[]> {
  const failures: string[] = [];
  for (let seed = base; seed < base + count; seed++) {
    const result = await short(seed, profile);
    if (result.violations.length > 0) {
      failures.push(`seed ${seed} (${profile}): ${result.violations.slice(0, 3).join('; ')}`);
    }
  }
  return failures;
}

/** The distinct kinds of the violations, e.g. ['stale-base']. */
function kinds(violations: readonly string[]): string[] {
  return [...new Set(violations.map((v) => /^\[([a-z-]+)\]/.exec(v)?.[1] ?? v))];
}

describe('simulator: the production loop', () => {
  it('keeps every invariant over a short sweep of seeds under mixed faults', async () => {
    assert.deepEqual(await sweep(1, 150, 'mixed'), []);
  });

  it('keeps every invariant under stalls, lost commit answers and a tiny actor cache', async () => {
    const failures = [
      ...(await sweep(1, 10, 'stall')),
      ...(await sweep(1, 10, 'ambiguous')),
      ...(await sweep(1, 10, 'evict')),
    ];
    assert.deepEqual(failures, []);
  });
});

describe('simulator: seeds the long sweep found', () => {
  it('seed 361: a first copy whose source lagged past the horizon is applied, not parked', async () => {
    // Every worker paused for minutes; the payer's partition then sent a CreditPosition whose
    // source sequence was 406 messages behind it. The step parked it as a late copy.
    const result = await run(driverLoop, 361, 'mixed');
    assert.deepEqual(result.violations, []);
    assert.ok(result.committed > 0);
  });
});

describe('simulator: the old loop (issue 9 findings 1-4)', () => {
  it('finding 1: a statement stalled past ack_wait makes it skip newer commands', async () => {
    const result = await run(oldLoop, 1, 'stall');
    assert.deepEqual(kinds(result.violations), ['skipped-command']);
  });

  it('finding 2: after a commit whose answer was lost, stale cached state is written', async () => {
    const result = await run(oldLoop, 1, 'ambiguous');
    assert.deepEqual(kinds(result.violations), ['stale-base']);
  });

  it('finding 3: an actor evicted between cache check and use restarts from scratch', async () => {
    const result = await run(oldLoop, 1, 'evict');
    assert.deepEqual(kinds(result.violations), ['initial-base']);
  });

  it('finding 4: a CreditPosition a zombie re-sends past the windows posts twice', async () => {
    // The seed picks the workload and the faults; a change to what the actors send (settlement
    // postings) moves which seed shows it; `make sim SIM_LOOP=old SIM_PROFILE=zombie` finds others.
    const result = await run(oldLoop, 16, 'zombie', 60_000);
    assert.deepEqual(kinds(result.violations), ['double-posting']);
    assert.match(result.violations[0] ?? '', /t00007: dfspb posted 'credited' again/);
  });

  it('raises no false alarm without faults', async () => {
    for (const seed of [1, 2, 3]) {
      const result = await run(oldLoop, seed, 'calm', 2000);
      assert.deepEqual(result.violations, [], `seed ${seed}`);
      assert.ok(result.committed > 0, `seed ${seed} committed nothing`);
    }
  });

  it('replays a seed exactly', async () => {
    const first = await run(oldLoop, 7, 'mixed');
    const second = await run(oldLoop, 7, 'mixed');
    assert.deepEqual(second, first);
  });
});
