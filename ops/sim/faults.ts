// The fault scheduler: every latency and every injected failure of a run is drawn here from the
// run's PRNG, at rates set by a profile. I/O faults are drawn per call (a stalled or refused
// database statement, an ambiguous commit, a failed publish, a duplicated delivery, a dropped
// ack); world faults (pause, kill, lease expiry, dropped subscription, early redelivery, clock
// jump, a DFSP resending a request) are drawn by ./world.ts on its fault tick.

import type { Prng } from './prng.ts';
import type { IoFault } from './scheduler.ts';

export type FaultRates = {
  /** A database call that stalls 31–60 s (longer than ack_wait) and then succeeds. */
  readonly dbStall: number;
  readonly dbFailBefore: number;
  /** A batch write that lands but whose answer is lost (connection cut after COMMIT, 40003). */
  readonly dbFailAfter: number;
  readonly publishFail: number;
  readonly kvFail: number;
  readonly deliveryDuplicate: number;
  readonly ackDrop: number;
  /** A worker paused right after its batch write landed, before it hears back. */
  readonly pauseAfterWrite: number;
  /** Per fault tick (every second of simulated time). */
  readonly pause: number;
  readonly pauseLongMs: number;
  /** When set, every pause lasts at least this long (the zombie profile). */
  readonly pauseMinMs?: number;
  readonly kill: number;
  readonly leaseExpire: number;
  readonly subscriptionDrop: number;
  readonly earlyRedelivery: number;
  readonly clockJump: number;
  readonly gatewayDuplicate: number;
};

const NONE: FaultRates = {
  dbStall: 0,
  dbFailBefore: 0,
  dbFailAfter: 0,
  publishFail: 0,
  kvFail: 0,
  deliveryDuplicate: 0,
  ackDrop: 0,
  pauseAfterWrite: 0,
  pause: 0,
  pauseLongMs: 0,
  kill: 0,
  leaseExpire: 0,
  subscriptionDrop: 0,
  earlyRedelivery: 0,
  clockJump: 0,
  gatewayDuplicate: 0,
};

/** Named fault mixes; `mixed` is the sweep's, the others aim at one failure mode each. */
export const PROFILES = {
  calm: NONE,
  mixed: {
    dbStall: 0.004,
    dbFailBefore: 0.01,
    dbFailAfter: 0.01,
    publishFail: 0.005,
    kvFail: 0.01,
    deliveryDuplicate: 0.01,
    ackDrop: 0.02,
    pauseAfterWrite: 0.002,
    pause: 0.02,
    pauseLongMs: 180_000,
    kill: 0.005,
    leaseExpire: 0.01,
    subscriptionDrop: 0.01,
    earlyRedelivery: 0.01,
    clockJump: 0.01,
    gatewayDuplicate: 0.05,
  },
  /** Slow batch statements that end in success: redeliveries overtake newer messages. */
  stall: { ...NONE, dbStall: 0.03 },
  /** Batch writes whose outcome the worker never learns. */
  ambiguous: { ...NONE, dbFailAfter: 0.05 },
  /** Workers paused past the lease TTL and the duplicate window, then resumed. */
  zombie: { ...NONE, pauseAfterWrite: 0.004, pauseMinMs: 125_000, pauseLongMs: 240_000 },
  /** No faults; run with a tiny actor cache (PROFILE_ACTOR_CACHE_MAX) so actors get evicted. */
  evict: NONE,
} satisfies Record<string, FaultRates>;

/** Profiles that also change the switch: `evict` runs one worker with a two-actor cache. */
export const PROFILE_SWITCH: Partial<
  Record<keyof typeof PROFILES, { readonly actorCacheMax?: number; readonly workers?: number }>
> = {
  evict: { actorCacheMax: 2, workers: 1 },
};

export type ProfileName = keyof typeof PROFILES;

export function isProfileName(name: string): name is ProfileName {
  return Object.hasOwn(PROFILES, name);
}

export class FaultScheduler {
  constructor(
    readonly prng: Prng,
    public rates: FaultRates,
  ) {}

  /** A database call: `write` calls may also fail after landing. */
  db(write: boolean): { latencyMs: number; fault: IoFault } {
    const { prng, rates } = this;
    const latencyMs = prng.chance(rates.dbStall)
      ? prng.between(31_000, 60_000)
      : prng.between(1, 8);
    if (prng.chance(rates.dbFailBefore)) return { latencyMs, fault: 'fail-before' };
    if (write && prng.chance(rates.dbFailAfter)) return { latencyMs, fault: 'fail-after' };
    return { latencyMs, fault: 'none' };
  }

  publish(): { latencyMs: number; fault: IoFault } {
    const fault = this.prng.chance(this.rates.publishFail) ? 'fail-before' : 'none';
    return { latencyMs: this.prng.between(1, 4), fault };
  }

  kv(): { latencyMs: number; fault: IoFault } {
    const fault = this.prng.chance(this.rates.kvFail) ? 'fail-before' : 'none';
    return { latencyMs: this.prng.between(1, 6), fault };
  }

  /** How long a pause lasts: mostly seconds, sometimes past the TTL and the duplicate window. */
  pauseMs(): number {
    const { prng, rates } = this;
    if (rates.pauseMinMs !== undefined) return prng.between(rates.pauseMinMs, rates.pauseLongMs);
    const long = rates.pauseLongMs > 10_000 && prng.chance(0.3);
    return long ? prng.between(10_000, rates.pauseLongMs) : prng.between(500, 10_000);
  }

  /** Whether to pause the writer right after its batch write lands. */
  pauseAfterWrite(): boolean {
    return this.prng.chance(this.rates.pauseAfterWrite);
  }

  deliveryLatencyMs(): number {
    return this.prng.between(1, 5);
  }

  duplicateDelivery(): boolean {
    return this.prng.chance(this.rates.deliveryDuplicate);
  }

  dropAck(): boolean {
    return this.prng.chance(this.rates.ackDrop);
  }
}
