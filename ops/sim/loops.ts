// The loops the simulator can run, by name. `driver` is the production loop: the real
// PartitionDriver and pure step over the simulated ports (./ports.ts). `old` re-enacts the loop
// issue 9 was found in (./old-loop.ts), kept to show findings 1-4 through SIM_LOOP=old.

import { PartitionDriver } from '../../runtime/driver.ts';
import { residentCache } from '../../runtime/worker.ts';
import { DUPLICATE_WINDOW_MS } from './jetstream.ts';
import { OldPartitionLoop } from './old-loop.ts';
import { simPorts } from './ports.ts';
import { HUB, type LoopMaker } from './world.ts';

/** The actor types whose broken invariant halts a partition, as runtime/worker.ts DEFAULTS. */
const HALTING_TYPES: ReadonlySet<string> = new Set(['participant', 'transfer']);

const silent = { info() {}, warn() {}, error() {} };

export const driverLoop: LoopMaker = (world) => (ctx) =>
  new PartitionDriver(
    {
      ...simPorts({ ...ctx, sched: world.sched }),
      actors: world.actors,
      hub: HUB,
      partitions: world.config.partitions,
      batchSizeMax: world.config.batchSizeMax,
      haltingTypes: HALTING_TYPES,
      appliedKeepSeqs: world.config.appliedKeepSeqs,
      duplicateWindowMs: DUPLICATE_WINDOW_MS,
      log: silent,
      onStopped: ctx.onStopped,
    },
    ctx.partition,
    ctx.fence,
    residentCache(ctx.cache, ctx.partition, world.config.partitions),
  );

export const oldLoop: LoopMaker = (world) => {
  world.db.legacyStatement = true;
  return (ctx) =>
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
        appliedKeepSeqs: world.config.appliedKeepSeqs,
        leaseValid: ctx.leaseValid,
        onStopped: ctx.onStopped,
      },
      ctx.partition,
      ctx.fence,
      ctx.cache,
    );
};

export const LOOPS: Readonly<Record<string, LoopMaker>> = { driver: driverLoop, old: oldLoop };

/** The loop `make sim` runs unless SIM_LOOP says otherwise: the production one. */
export const DEFAULT_LOOP = 'driver';
