// The deterministic simulator (ops/sim) against the loop as it was when issue 9 was filed: each
// targeted fault profile makes it break the invariant its finding predicts, a calm run breaks
// none (no false alarms), and a seed replays to the identical result.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROFILE_SWITCH, type ProfileName } from '../../ops/sim/faults.ts';
import { oldLoop } from '../../ops/sim/loops.ts';
import { runSeed } from '../../ops/sim/run.ts';
import { DEFAULT_CONFIG, type LoopMaker } from '../../ops/sim/world.ts';

function run(loop: LoopMaker, seed: number, profile: ProfileName, steps = DEFAULT_CONFIG.steps) {
  return runSeed({ ...DEFAULT_CONFIG, ...PROFILE_SWITCH[profile], seed, profile, steps }, loop);
}

/** The distinct kinds of the violations, e.g. ['stale-base']. */
function kinds(violations: readonly string[]): string[] {
  return [...new Set(violations.map((v) => /^\[([a-z-]+)\]/.exec(v)?.[1] ?? v))];
}

describe('simulator: the old loop (issue 9 findings 1-4)', () => {
  it('finding 1: batch statements stalled past ack_wait make the loop skip newer commands', async () => {
    const result = await run(oldLoop, 1, 'stall');
    assert.deepEqual(kinds(result.violations), ['skipped-command']);
  });

  it('finding 2: after a commit whose answer was lost, a stale cached state is written', async () => {
    const result = await run(oldLoop, 1, 'ambiguous');
    assert.deepEqual(kinds(result.violations), ['stale-base']);
  });

  it('finding 3: an actor evicted between the cache check and its use restarts from initial', async () => {
    const result = await run(oldLoop, 1, 'evict');
    assert.deepEqual(kinds(result.violations), ['initial-base']);
  });

  it('finding 4: a zombie re-publishes a CreditPosition past the windows; it posts twice', async () => {
    const result = await run(oldLoop, 23, 'zombie', 60_000);
    assert.deepEqual(kinds(result.violations), ['double-posting']);
    assert.match(result.violations[0] ?? '', /t00437: dfspa posted 'credited' again/);
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
