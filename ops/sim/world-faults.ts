// World faults, drawn once per simulated second during the faulty phase: pause a worker (a GC
// pause, a SIGSTOP, a VM migration; some long past the lease TTL and the duplicate window) and
// resume it later, kill one and start a replacement, expire a lease early, drop a consumer's
// subscription, redeliver a consumer's pending messages early, or jump the clock forward.

import { liveWorkers, note, startWorker, type World } from './world.ts';

export function worldFaultTick(world: World): void {
  const { prng, faults, sched } = world;
  const rates = faults.rates;
  const live = liveWorkers(world).filter((w) => !sched.isPaused(w.id));
  if (live.length > 0 && prng.chance(rates.pause)) {
    const worker = prng.pick(live);
    sched.pauseFor(worker.id, faults.pauseMs(), 'at a random moment');
  }
  if (live.length > 0 && prng.chance(rates.kill)) {
    const worker = prng.pick(live);
    sched.kill(worker.id);
    note(world, `kill ${worker.id}`);
    sched.after(prng.between(500, 5000), undefined, 'restart', () => {
      note(world, `start w${world.nextWorker}`);
      startWorker(world);
    });
  }
  if (prng.chance(rates.leaseExpire)) {
    const keys = [...world.leases.liveKeys()].sort();
    if (keys.length > 0) {
      const key = prng.pick(keys);
      world.leases.delete(key);
      note(world, `lease ${key} expires early`);
    }
  }
  const consumers = [...world.js.consumers.values()].filter((c) => !c.deleted);
  if (consumers.length > 0 && prng.chance(rates.subscriptionDrop)) {
    const consumer = prng.pick(consumers);
    world.js.dropSubscription(consumer.name);
    note(world, `drop subscription ${consumer.name}`);
  }
  if (consumers.length > 0 && prng.chance(rates.earlyRedelivery)) {
    const consumer = prng.pick(consumers);
    world.js.redeliverNow(consumer.name);
    note(world, `redeliver ${consumer.name} early`);
  }
  if (prng.chance(rates.clockJump)) {
    const ms = prng.between(1000, 40_000);
    sched.jump(ms);
    note(world, `clock jumps ${ms} ms`);
  }
}
