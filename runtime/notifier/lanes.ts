// One lane per DFSP: at most inFlightMax tasks of a lane run at once and at most queueMax wait
// behind them. Lanes are independent, so a DFSP that answers slowly or not at all fills only its
// own lane while every other DFSP's callbacks keep flowing. A full lane refuses new work (offer()
// returns false) instead of growing without bound; the caller decides what refusal means.

export type LaneOptions<T> = {
  readonly inFlightMax: number;
  readonly queueMax: number;
  /** Runs one task; a rejection is reported to onError and the lane carries on. */
  readonly run: (key: string, item: T) => Promise<void>;
  readonly onError: (key: string, item: T, error: unknown) => void;
};

type Lane<T> = { inFlight: number; readonly queue: T[] };

export type LaneStatus = { readonly inFlight: number; readonly queued: number };

export class Lanes<T> {
  readonly #lanes = new Map<string, Lane<T>>();
  readonly #options: LaneOptions<T>;
  #idleWaiters: Array<() => void> = [];

  constructor(options: LaneOptions<T>) {
    if (options.inFlightMax < 1) throw new Error('inFlightMax must be at least 1');
    if (options.queueMax < 0) throw new Error('queueMax must not be negative');
    this.#options = options;
  }

  /** Starts or queues `item` on the lane of `key`; false when that lane is full. */
  offer(key: string, item: T): boolean {
    let lane = this.#lanes.get(key);
    if (lane === undefined) {
      lane = { inFlight: 0, queue: [] };
      this.#lanes.set(key, lane);
    }
    if (lane.inFlight < this.#options.inFlightMax) {
      this.#start(key, lane, item);
      return true;
    }
    if (lane.queue.length >= this.#options.queueMax) return false;
    lane.queue.push(item);
    return true;
  }

  /** Removes and returns every task still waiting (not started), e.g. to hand them back. */
  takeQueued(): T[] {
    const taken: T[] = [];
    for (const lane of this.#lanes.values()) taken.push(...lane.queue.splice(0));
    return taken;
  }

  status(): Record<string, LaneStatus> {
    const status: Record<string, LaneStatus> = {};
    for (const [key, lane] of this.#lanes) {
      status[key] = { inFlight: lane.inFlight, queued: lane.queue.length };
    }
    return status;
  }

  /** Resolves once no task runs or waits in any lane. */
  idle(): Promise<void> {
    if (this.#lanes.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #start(key: string, lane: Lane<T>, item: T): void {
    lane.inFlight += 1;
    void this.#options
      .run(key, item)
      .catch((error: unknown) => this.#options.onError(key, item, error))
      .finally(() => this.#finish(key, lane));
  }

  #finish(key: string, lane: Lane<T>): void {
    lane.inFlight -= 1;
    const next = lane.queue.shift();
    if (next !== undefined) {
      this.#start(key, lane, next);
      return;
    }
    if (lane.inFlight === 0) this.#lanes.delete(key);
    if (this.#lanes.size === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
