// Expiry timers of one owned partition: a TimerWheel fed by each batch's snapshots and rebuilt from
// timer_at_ms on acquisition. A due timer is fired by publishing the actor's nextTimer command to
// CMD, stamped with the clock, under Nats-Msg-Id `timer-<type>-<key>-<atMs>`, so expiry is
// serialized with every other command of the actor. Actors treat a late duplicate idempotently.
// A timer leaves the wheel only when a persisted state replaces it, never when it fires.
// I/O goes through the driver's ports (runtime/ports.ts), time through its Clock.

import { encodeJson } from './codec.ts';
import type { ResidentCache } from './driver.ts';
import type { Envelope } from './envelope.ts';
import { metrics } from './metrics.ts';
import { commandSubject } from './partition.ts';
import type { DriverDeps } from './ports.ts';
import { actorId } from './snapshot-store.ts';
import { type TimerEntry, TimerWheel } from './timers.ts';

export const TIMER_TICK_MS = 100;
/** A fired timer whose firing no persisted state has replaced yet is fired again this late. */
export const TIMER_REFIRE_MS = 5000;

type TimerDeps = Pick<DriverDeps, 'store' | 'bus' | 'clock' | 'actors' | 'partitions' | 'log'>;

export class PartitionTimers {
  private readonly wheel = new TimerWheel();
  private running = false;
  /** Once stopped, never ticking again (a stop can come while rebuild() awaits the DB). */
  private stopped = false;

  constructor(
    private readonly deps: TimerDeps,
    private readonly partition: number,
    private readonly cache: ResidentCache,
  ) {}

  async rebuild(): Promise<void> {
    await this.reload();
    if (this.stopped) return;
    this.running = true;
    void this.tick();
  }

  /**
   * Arms every timer the database holds. After a write whose answer was lost the driver never
   * saw the states it persisted, so their timers are read back rather than lost until takeover.
   */
  async reload(): Promise<void> {
    for (const row of await this.deps.store.loadTimers()) {
      this.wheel.set(row.type, row.key, row.atMs);
    }
  }

  set(type: string, key: string, atMs: number | undefined): void {
    this.wheel.set(type, key, atMs);
  }

  stop(): void {
    this.stopped = true;
    this.running = false;
  }

  private async tick(): Promise<void> {
    while (this.running) {
      await this.deps.clock.sleep(TIMER_TICK_MS);
      if (!this.running) return;
      try {
        const nowMs = this.deps.clock.nowMs();
        const due = this.wheel.takeDue(nowMs, TIMER_REFIRE_MS);
        await Promise.all(due.map((entry) => this.fire(entry, nowMs)));
      } catch (error) {
        this.deps.log.warn({ err: error, partition: this.partition }, 'timer fire failed');
      }
    }
  }

  private async fire(entry: TimerEntry, nowMs: number): Promise<void> {
    const def = this.deps.actors.get(entry.type);
    if (!def?.nextTimer) return;
    const id = actorId(entry.type, entry.key);
    let cached = this.cache.get(id);
    if (cached === undefined) {
      cached = (await this.deps.store.loadSnapshots([entry.key])).get(id);
    }
    const timer = cached === undefined ? undefined : def.nextTimer(cached.state);
    if (timer === undefined || timer.atMs > nowMs) {
      this.wheel.set(entry.type, entry.key, timer?.atMs);
      return;
    }
    const envelope: Envelope = { type: entry.type, key: entry.key, nowMs, command: timer.command };
    const msgId = `timer-${entry.type}-${entry.key}-${timer.atMs}`;
    const row = {
      sourceSeq: 0,
      idx: 0,
      subject: commandSubject(entry.type, entry.key, this.deps.partitions),
      msgId,
      payload: encodeJson(envelope),
      headers: null,
    };
    await this.deps.bus.publish([row]);
    metrics.timersFired.inc();
  }
}
