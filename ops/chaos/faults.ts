// The faults the chaos suite injects under load, each an inject step, a hold and a heal step.
// Workers: SIGKILL (restarted after the hold), SIGSTOP past the lease TTL (and past two minutes in
// the long run), a network partition from NATS or from the database. NATS: a node killed and
// restarted with its disk, including the node that leads the lease bucket. PostgreSQL restarted.
// A payee DFSP unreachable for 30 s.

import type { Load } from './load.ts';
import type { NatsCluster } from './nats-cluster.ts';
import type { Postgres } from './postgres.ts';
import type { ChaosSwitch, ChaosWorker } from './switch.ts';

export type FaultContext = {
  readonly cluster: NatsCluster;
  readonly postgres: Postgres;
  readonly sw: ChaosSwitch;
  readonly load: Load;
  readonly leaseTtlMs: number;
};

export type Fault = {
  readonly name: string;
  readonly holdMs: number;
  /** Only in the long run (CHAOS_LONG=1). */
  readonly long?: boolean;
  /** Injects the fault; returns what heals it. */
  inject(ctx: FaultContext): Promise<() => Promise<void>>;
};

function worker(ctx: FaultContext, index: number): ChaosWorker {
  const found = ctx.sw.workers[index % ctx.sw.workers.length];
  if (!found) throw new Error('no workers');
  return found;
}

function pause(index: number): Fault['inject'] {
  return async (ctx) => {
    const w = worker(ctx, index);
    w.proc.child.kill('SIGSTOP');
    return async () => {
      w.proc.child.kill('SIGCONT');
    };
  };
}

function partitionWorker(index: number, from: 'nats' | 'database'): Fault['inject'] {
  return async (ctx) => {
    const w = worker(ctx, index);
    // The last proxy leads to PostgreSQL, the others to the NATS nodes.
    const proxies = from === 'database' ? w.proxies.slice(-1) : w.proxies.slice(0, -1);
    for (const proxy of proxies) proxy.partition();
    return async () => {
      for (const proxy of proxies) proxy.heal();
    };
  };
}

function killNats(pick: (ctx: FaultContext) => Promise<string>): Fault['inject'] {
  return async (ctx) => {
    const name = await pick(ctx);
    const node = ctx.cluster.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no NATS node ${name}`);
    await ctx.cluster.kill(node);
    return () => ctx.cluster.start(node);
  };
}

export function faults(leaseTtlMs: number): Fault[] {
  const pastTtl = 3 * leaseTtlMs;
  return [
    {
      name: 'worker SIGKILL, restarted',
      holdMs: pastTtl,
      async inject(ctx) {
        const w = worker(ctx, 0);
        w.proc.child.kill('SIGKILL');
        return () => ctx.sw.restartWorker(w);
      },
    },
    {
      name: `worker SIGSTOP ${pastTtl / 1000} s (past lease TTL)`,
      holdMs: pastTtl,
      inject: pause(1),
    },
    { name: 'worker SIGSTOP 150 s (past 2 min)', holdMs: 150_000, long: true, inject: pause(2) },
    {
      name: 'NATS node leading the lease bucket killed',
      holdMs: 10_000,
      inject: killNats(async (ctx) => (await ctx.cluster.leaderOf('KV_leases'))?.name ?? 'n1'),
    },
    {
      name: 'NATS node leading CMD killed',
      holdMs: 10_000,
      inject: killNats(async (ctx) => (await ctx.cluster.leaderOf('CMD'))?.name ?? 'n2'),
    },
    {
      name: 'PostgreSQL restarted',
      holdMs: 0,
      async inject(ctx) {
        await ctx.postgres.restart();
        return async () => {};
      },
    },
    {
      name: 'DFSPs down 30 s',
      holdMs: 30_000,
      async inject(ctx) {
        ctx.load.dfspLink.down();
        return async () => ctx.load.dfspLink.heal();
      },
    },
    {
      name: `worker cut from NATS ${pastTtl / 1000} s`,
      holdMs: pastTtl,
      inject: partitionWorker(2, 'nats'),
    },
    {
      name: `worker cut from PostgreSQL ${pastTtl / 1000} s`,
      holdMs: pastTtl,
      inject: partitionWorker(0, 'database'),
    },
  ];
}
