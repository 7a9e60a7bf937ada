// THE OLD TIMERS, kept as a model next to ./old-loop.ts: today's runtime/partition-timers.ts
// (commit ad27cc7) re-enacted over the simulated clock and services, with the real TimerWheel.
// A due timer leaves the wheel before its command is durable, as in the original (issue 9,
// finding 7), and fires ExpireTransfer with Nats-Msg-Id `timer-<type>-<key>-<atMs>`.

import type { AnyActor } from '../../actors/actor.ts';
import type { Cached } from '../../runtime/batch.ts';
import { encodeBytes } from '../../runtime/codec.ts';
import type { Envelope } from '../../runtime/envelope.ts';
import type { Lru } from '../../runtime/lru.ts';
import { commandSubject } from '../../runtime/partition.ts';
import { actorId } from '../../runtime/snapshot-store.ts';
import { type TimerEntry, TimerWheel } from '../../runtime/timers.ts';
import type { SimBusClient, SimDbClient } from './clients.ts';
import type { SimScheduler } from './scheduler.ts';

/** 100 ms in the original; coarser here, which changes no ordering the loop relies on. */
const TIMER_TICK_MS = 500;

type TimerDeps = {
  readonly sched: SimScheduler;
  readonly owner: string;
  readonly db: SimDbClient;
  readonly bus: SimBusClient;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly partitions: number;
};

export class OldTimers {
  private readonly wheel = new TimerWheel();
  private ticking = false;
  private firing = false;

  constructor(
    private readonly deps: TimerDeps,
    private readonly partition: number,
    private readonly cache: Lru<string, Cached>,
  ) {}

  async rebuild(): Promise<void> {
    for (const row of await this.deps.db.loadTimers(this.partition)) {
      this.wheel.set(row.type, row.key, row.atMs);
    }
    this.ticking = true;
    this.tick();
  }

  set(type: string, key: string, atMs: number | undefined): void {
    this.wheel.set(type, key, atMs);
  }

  stop(): void {
    this.ticking = false;
  }

  private tick(): void {
    this.deps.sched.after(TIMER_TICK_MS, this.deps.owner, `timers p${this.partition}`, () => {
      if (!this.ticking) return;
      void this.fireDue();
      this.tick();
    });
  }

  private async fireDue(): Promise<void> {
    if (this.firing) return;
    this.firing = true;
    try {
      const nowMs = this.deps.sched.nowMs;
      // The old wheel forgot a timer as it fired it (today's keeps it until a state replaces it).
      const due = this.wheel.takeDue(nowMs, Number.POSITIVE_INFINITY);
      for (const entry of due) this.wheel.set(entry.type, entry.key, undefined);
      await Promise.all(due.map((entry) => this.fire(entry, nowMs)));
    } catch {
      // The original logs and goes on; the timer of a failed fire is already off the wheel.
    } finally {
      this.firing = false;
    }
  }

  private async fire(entry: TimerEntry, nowMs: number): Promise<void> {
    const def = this.deps.actors.get(entry.type);
    if (!def?.nextTimer) return;
    const id = actorId(entry.type, entry.key);
    let cached = this.cache.get(id);
    if (cached === undefined) {
      cached = (await this.deps.db.loadSnapshots(this.partition, [entry.key])).get(id);
    }
    const timer = cached === undefined ? undefined : def.nextTimer(cached.state);
    if (timer === undefined || timer.atMs > nowMs) {
      if (timer !== undefined) this.wheel.set(entry.type, entry.key, timer.atMs);
      return;
    }
    const envelope: Envelope = { type: entry.type, key: entry.key, nowMs, command: timer.command };
    try {
      await this.deps.bus.publish(
        commandSubject(entry.type, entry.key, this.deps.partitions),
        encodeBytes(envelope),
        { 'Nats-Msg-Id': `timer-${entry.type}-${entry.key}-${timer.atMs}` },
      );
    } catch (error) {
      this.wheel.set(entry.type, entry.key, timer.atMs);
      throw error;
    }
  }
}
