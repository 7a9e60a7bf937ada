// One seeded run: onboard, load under faults for `steps` events (stopping at the first broken
// invariant), heal, settle, final checks. Deterministic: the same config and loop give the same
// result, event for event, so a failing seed replays exactly.

import { PROFILES } from './faults.ts';
import { transferOf } from './final-checks.ts';
import {
  caughtUp,
  createWorld,
  finalCheck,
  type LoopMaker,
  liveWorkers,
  note,
  type SimConfig,
  settled,
  startWorker,
  unsettled,
  type World,
} from './world.ts';
import { worldFaultTick } from './world-faults.ts';

export type SimResult = {
  readonly seed: number;
  readonly violations: readonly string[];
  readonly steps: number;
  readonly simulatedMs: number;
  readonly transfers: number;
  readonly committed: number;
  readonly writes: number;
  /** The world faults injected, in order (for a failure report). */
  readonly log: readonly string[];
};

const CHECK_EVERY_MS = 500;
const ONBOARD_LIMIT_MS = 120_000;
const SETTLE_LIMIT_MS = 15 * 60_000;

export async function runSeed(config: SimConfig, loopMaker: LoopMaker): Promise<SimResult> {
  const world = createWorld(config, loopMaker);
  const { sched } = world;
  const startMs = sched.nowMs;
  for (let i = 0; i < config.workers; i++) startWorker(world);
  const serverTick = () => {
    world.js.tick();
    sched.after(CHECK_EVERY_MS, undefined, 'jetstream tick', serverTick);
  };
  serverTick();
  world.workload.onboard();
  let ok = await runUntil(world, () => caughtUp(world), ONBOARD_LIMIT_MS);
  if (!ok && world.checks.violations.length === 0) {
    world.checks.violations.push('[no-settle] onboarding did not finish without faults');
  }
  if (world.checks.violations.length === 0) {
    await loadUnderFaults(world);
    heal(world);
    ok = await runUntil(world, () => settled(world), SETTLE_LIMIT_MS);
    if (world.checks.violations.length === 0) {
      if (!ok) {
        world.checks.violations.push(
          `[no-settle] not settled 15 simulated minutes after healing: ${unsettled(world)}`,
        );
      }
      world.checks.violations.push(...finalCheck(world));
    }
  }
  let committed = 0;
  for (const id of world.workload.plans.keys()) {
    if (transferOf(world.db, id)?.phase === 'committed') committed++;
  }
  return {
    seed: config.seed,
    violations: world.checks.violations,
    steps: sched.steps,
    simulatedMs: sched.nowMs - startMs,
    transfers: world.workload.plans.size,
    committed,
    writes: world.db.writes,
    log: world.log,
  };
}

async function loadUnderFaults(world: World): Promise<void> {
  const { sched, prng, config } = world;
  world.faults.rates = PROFILES[config.profile];
  let loading = true;
  const arrive = () => {
    if (!loading) return;
    world.workload.prepareOne();
    sched.after(prng.between(1, 2 * config.transferGapMs), undefined, 'prepare', arrive);
  };
  const faultTick = () => {
    if (!loading) return;
    worldFaultTick(world);
    sched.after(1000, undefined, 'fault tick', faultTick);
  };
  arrive();
  faultTick();
  const until = sched.steps + config.steps;
  while (sched.steps < until && world.checks.violations.length === 0) {
    if (!(await sched.step())) break;
  }
  loading = false;
}

function heal(world: World): void {
  const { sched } = world;
  world.faults.rates = PROFILES.calm;
  for (const worker of liveWorkers(world)) {
    if (sched.isPaused(worker.id)) {
      note(world, `heal: resume ${worker.id}`);
      sched.resume(worker.id);
    }
  }
  if (liveWorkers(world).length === 0) startWorker(world);
}

/** Runs events until `done` holds at two checks in a row, or `limitMs` of simulated time. */
async function runUntil(world: World, done: () => boolean, limitMs: number): Promise<boolean> {
  const { sched } = world;
  const deadline = sched.nowMs + limitMs;
  let nextCheckMs = sched.nowMs + CHECK_EVERY_MS;
  let streak = 0;
  while (sched.nowMs < deadline && world.checks.violations.length === 0) {
    if (!(await sched.step())) return done();
    if (sched.nowMs < nextCheckMs) continue;
    nextCheckMs = sched.nowMs + CHECK_EVERY_MS;
    streak = done() ? streak + 1 : 0;
    if (streak >= 2) return true;
  }
  return false;
}
