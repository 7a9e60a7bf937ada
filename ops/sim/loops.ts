// The loops the simulator can run, by name: `old` is today's loop re-enacted (./old-loop.ts),
// kept to show issue 9's findings; the real driver joins here once runtime/ports.ts lands.

import { OldPartitionLoop } from './old-loop.ts';
import { HUB, type LoopMaker } from './world.ts';

/** Old-loop APPLIED_KEEP_SEQS, scaled from 2,000,000 so minutes of simulated load cross it. */
export const OLD_APPLIED_KEEP_SEQS = 400;

export const oldLoop: LoopMaker = (world) => (ctx) =>
  new OldPartitionLoop(
    {
      sched: world.sched,
      owner: ctx.owner,
      db: ctx.db,
      bus: ctx.bus,
      actors: world.actors,
      hub: HUB,
      partitions: world.config.partitions,
      batchSizeMax: world.config.batchSizeMax,
      appliedKeepSeqs: OLD_APPLIED_KEEP_SEQS,
      leaseValid: ctx.leaseValid,
      onStopped: ctx.onStopped,
    },
    ctx.partition,
    ctx.fence,
    ctx.cache,
  );

export const LOOPS: Readonly<Record<string, LoopMaker>> = { old: oldLoop };

/** The loop `make sim` runs unless SIM_LOOP says otherwise. */
export const DEFAULT_LOOP = 'old';
