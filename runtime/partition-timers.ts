// Expiry timers of one owned partition: a TimerWheel fed by each batch's snapshots and rebuilt from
// timer_at_ms on acquisition. A due timer is fired by publishing the actor's nextTimer command to
// CMD, stamped with the real clock, under Nats-Msg-Id `timer-<type>-<key>-<atMs>`, so expiry is
// serialized with every other command of the actor. Actors treat a late duplicate idempotently.

import type { JetStreamClient } from '@nats-io/jetstream';
import type { AnyActor } from '../actors/actor.ts';
import type { Cached } from './batch.ts';
import { encodeBytes } from './codec.ts';
import type { Db } from './db.ts';
import type { Envelope } from './envelope.ts';
import type { Lru } from './lru.ts';
import { metrics } from './metrics.ts';
import { commandSubject } from './partition.ts';
import { actorId, loadSnapshots, loadTimers } from './snapshot-store.ts';
import { type TimerEntry, TimerWheel } from './timers.ts';

export const TIMER_TICK_MS = 100;

type TimerDeps = {
  readonly js: JetStreamClient;
  readonly db: Db;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly partitions: number;
  readonly log: { warn(o: object, m: string): void };
};

export class PartitionTimers {
  private readonly wheel = new TimerWheel();
  private interval: NodeJS.Timeout | undefined;
  private firing = false;

  constructor(
    private readonly deps: TimerDeps,
    private readonly partition: number,
    private readonly cache: Lru<string, Cached>,
  ) {}

  async rebuild(): Promise<void> {
    for (const row of await loadTimers(this.deps.db, this.partition)) {
      if (row.atMs !== null) this.wheel.set(row.type, row.key, row.atMs);
    }
    this.interval = setInterval(() => void this.fireDue(), TIMER_TICK_MS);
  }

  set(type: string, key: string, atMs: number | undefined): void {
    this.wheel.set(type, key, atMs);
  }

  stop(): void {
    clearInterval(this.interval);
    this.interval = undefined;
  }

  private async fireDue(): Promise<void> {
    if (this.firing) return;
    this.firing = true;
    try {
      const nowMs = Date.now();
      const due = this.wheel.takeDue(nowMs);
      await Promise.all(due.map((entry) => this.fire(entry, nowMs)));
    } catch (error) {
      this.deps.log.warn({ err: error, partition: this.partition }, 'timer fire failed');
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
      cached = (await loadSnapshots(this.deps.db, this.partition, [entry.key])).get(id);
    }
    const timer = cached === undefined ? undefined : def.nextTimer(cached.state);
    if (timer === undefined || timer.atMs > nowMs) {
      if (timer !== undefined) this.wheel.set(entry.type, entry.key, timer.atMs);
      return;
    }
    const envelope: Envelope = { type: entry.type, key: entry.key, nowMs, command: timer.command };
    try {
      await this.deps.js.publish(
        commandSubject(entry.type, entry.key, this.deps.partitions),
        encodeBytes(envelope),
        { msgID: `timer-${entry.type}-${entry.key}-${timer.atMs}` },
      );
      metrics.timersFired.inc();
    } catch (error) {
      this.wheel.set(entry.type, entry.key, timer.atMs);
      throw error;
    }
  }
}
