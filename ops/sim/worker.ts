// A simulated worker process: the real LeaseManager (runtime/lease.ts) over the simulated KV,
// one partition loop per owned partition sharing one bounded actor cache (the real Lru), and
// the background of runtime/worker.ts (renew every TTL/3, rebalance about every second) as
// events on the worker's own timeline, so pausing the worker freezes all of it.

import type { Cached } from '../../runtime/batch.ts';
import { LeaseManager } from '../../runtime/lease.ts';
import { Lru } from '../../runtime/lru.ts';
import { fnv1a32, partitionOf } from '../../runtime/partition.ts';
import { FencedError } from '../../runtime/snapshot-store.ts';
import type { SimBusClient, SimDbClient } from './clients.ts';
import type { SimLeaseStore } from './kv.ts';
import type { SimScheduler } from './scheduler.ts';

export type SimLoop = { start(): void; stop(): Promise<void>; abort(): void };

export type LoopContext = {
  readonly owner: string;
  readonly partition: number;
  readonly fence: number;
  readonly cache: Lru<string, Cached>;
  readonly db: SimDbClient;
  readonly bus: SimBusClient;
  readonly leaseValid: () => boolean;
  readonly onStopped: (error: unknown) => void;
};

export type LoopFactory = (ctx: LoopContext) => SimLoop;

export type SimWorkerOptions = {
  readonly id: string;
  readonly sched: SimScheduler;
  readonly store: SimLeaseStore;
  readonly db: SimDbClient;
  readonly bus: SimBusClient;
  readonly partitions: number;
  readonly leaseTtlMs: number;
  readonly actorCacheMax: number;
  readonly makeLoop: LoopFactory;
};

export class SimWorker {
  readonly manager: LeaseManager;
  readonly loops = new Map<number, SimLoop>();
  private readonly cache: Lru<string, Cached>;
  private stopped = false;

  constructor(private readonly options: SimWorkerOptions) {
    const { id, sched, partitions, leaseTtlMs } = options;
    this.cache = new Lru<string, Cached>(options.actorCacheMax);
    this.manager = new LeaseManager(
      options.store,
      {
        acquired: (partition, fence) => this.acquired(partition, fence),
        lost: (partition) => {
          this.loops.get(partition)?.abort();
          this.loops.delete(partition);
        },
        releasing: async (partition) => {
          await this.loops.get(partition)?.stop();
          this.loops.delete(partition);
        },
      },
      {
        partitions,
        leaseTtlMs,
        workerId: id,
        offset: fnv1a32(id) % partitions,
        clock: () => sched.nowMs,
      },
    );
  }

  get id(): string {
    return this.options.id;
  }

  start(): void {
    this.every(Math.floor(this.options.leaseTtlMs / 3), 'renew', () => this.manager.renew());
    this.every(Math.min(1000, Math.floor(this.options.leaseTtlMs / 2)), 'rebalance', () =>
      this.manager.rebalance(),
    );
  }

  /** A graceful stop: hand every partition over (the loops finish their batch). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.manager.releaseAll();
  }

  private every(ms: number, label: string, work: () => Promise<void>): void {
    let busy = false;
    const tick = () => {
      if (this.stopped) return;
      if (!busy) {
        busy = true;
        work()
          .catch(() => undefined)
          .finally(() => {
            busy = false;
          });
      }
      this.options.sched.after(ms, this.id, label, tick);
    };
    this.options.sched.after(0, this.id, label, tick);
  }

  private acquired(partition: number, fence: number): void {
    const { partitions } = this.options;
    this.cache.deleteWhere((id) => partitionOfId(id, partitions) === partition);
    const loop = this.options.makeLoop({
      owner: this.id,
      partition,
      fence,
      cache: this.cache,
      db: this.options.db,
      bus: this.options.bus,
      leaseValid: () => this.manager.isValid(partition),
      onStopped: (error) => {
        this.loops.delete(partition);
        if (error instanceof FencedError) this.manager.forget(partition);
        else void this.manager.release(partition);
      },
    });
    this.loops.set(partition, loop);
    loop.start();
  }
}

function partitionOfId(id: string, partitions: number): number {
  const cut = id.indexOf('\u0000');
  return partitionOf(id.slice(0, cut), id.slice(cut + 1), partitions);
}
