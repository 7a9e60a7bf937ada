// The discrete-event core of the simulator: one simulated clock and one queue of events ordered
// by (time, insertion). Code under test runs only inside an event and between events the
// microtask queue is drained, so async code (awaits on simulated I/O) interleaves exactly as the
// seeded choices say and a run replays bit for bit. Owners (workers) can be paused, so their
// events wait until they resume, or killed, so their events are dropped: a paused worker's
// in-flight I/O still lands on the server side, only its answers wait.

import { PortError } from '../../runtime/ports.ts';

/** Simulated wall clock at the start of every run (any fixed value works). */
export const SIM_START_MS = 1_780_000_000_000;

/** Latency above which an I/O is reported as a stall in the fault log. */
const STALL_MS = 10_000;
const LOG_MAX = 200;

type SimEvent = {
  readonly atMs: number;
  readonly order: number;
  readonly owner: string | undefined;
  readonly label: string;
  readonly run: () => void;
};

/** What a simulated I/O call does besides taking time. */
export type IoFault = 'none' | 'fail-before' | 'fail-after';

export type IoSpec = {
  readonly owner: string;
  readonly label: string;
  readonly latencyMs: number;
  readonly fault?: IoFault;
};

export class SimScheduler {
  nowMs = SIM_START_MS;
  /** Events run so far (held and dropped ones excluded). */
  steps = 0;
  /** Receives one line per event run and per I/O outcome (SIM_TRACE). */
  trace: ((line: string) => void) | undefined;
  private order = 0;
  private readonly heap: SimEvent[] = [];
  private readonly held = new Map<string, SimEvent[]>();
  private readonly dead = new Set<string>();

  at(atMs: number, owner: string | undefined, label: string, run: () => void): void {
    this.push({ atMs: Math.max(atMs, this.nowMs), order: this.order++, owner, label, run });
  }

  after(delayMs: number, owner: string | undefined, label: string, run: () => void): void {
    this.at(this.nowMs + delayMs, owner, label, run);
  }

  /**
   * One I/O call of `spec.owner`: the server side runs after the latency whatever happens to
   * the caller; the answer reaches the caller 1 ms later, or waits while it is paused. With
   * `fail-before` nothing happens on the server; with `fail-after` it happens and the caller
   * still sees an error (the answer was lost): the outcome is unknown to it.
   */
  io<T>(spec: IoSpec, server: () => T): Promise<T> {
    if (spec.fault !== undefined && spec.fault !== 'none') {
      this.note(`${spec.owner} ${spec.label}: ${spec.fault}`);
    }
    if (spec.latencyMs > STALL_MS)
      this.note(`${spec.owner} ${spec.label}: stalls ${spec.latencyMs} ms`);
    return new Promise<T>((resolve, reject) => {
      this.after(spec.latencyMs, undefined, spec.label, () => {
        let failure: unknown;
        let result: T | undefined;
        if (spec.fault === 'fail-before') {
          failure = new PortError('transient', `${spec.label}: connection lost (nothing done)`);
        } else {
          try {
            result = server();
          } catch (error) {
            failure = error;
          }
          if (spec.fault === 'fail-after' && failure === undefined) {
            failure = new PortError('ambiguous', `${spec.label}: connection lost after it acted`);
          }
        }
        if (failure !== undefined) this.trace?.(`  ${spec.owner} ${spec.label}: ${failure}`);
        this.after(1, spec.owner, `${spec.label} answer`, () =>
          failure === undefined ? resolve(result as T) : reject(failure),
        );
      });
    });
  }

  /** A sleep of `owner` in simulated time. */
  sleep(owner: string, ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, owner, 'sleep', resolve));
  }

  /** The faults injected, in order, for a failure report. */
  readonly log: string[] = [];

  note(text: string): void {
    this.log.push(`t=+${this.nowMs - SIM_START_MS}ms ${text}`);
    if (this.log.length > LOG_MAX) this.log.splice(0, this.log.length - LOG_MAX);
  }

  /** Pauses `owner` now and resumes it `ms` later (unless it was killed meanwhile). */
  pauseFor(owner: string, ms: number, why: string): void {
    if (this.held.has(owner) || this.dead.has(owner)) return;
    this.pause(owner);
    this.note(`pause ${owner} for ${ms} ms ${why}`);
    this.after(ms, undefined, 'resume', () => {
      if (this.dead.has(owner) || !this.held.has(owner)) return;
      this.note(`resume ${owner}`);
      this.resume(owner);
    });
  }

  pause(owner: string): void {
    if (!this.held.has(owner)) this.held.set(owner, []);
  }

  /**
   * Runs what waited, in its original order and ahead of anything the owner got since (a
   * resumed process reads its socket buffer first, in the order the bytes came).
   */
  resume(owner: string): void {
    const events = this.held.get(owner);
    this.held.delete(owner);
    for (const event of events ?? []) this.push({ ...event, atMs: this.nowMs });
  }

  kill(owner: string): void {
    this.dead.add(owner);
    this.held.delete(owner);
  }

  isPaused(owner: string): boolean {
    return this.held.has(owner);
  }

  isDead(owner: string): boolean {
    return this.dead.has(owner);
  }

  /** Moves the clock forward (a jump: everything due in between runs at the new time). */
  jump(ms: number): void {
    this.nowMs += ms;
  }

  get pendingEvents(): number {
    return this.heap.length;
  }

  /** Time of the next queued event, if any. */
  nextAtMs(): number | undefined {
    return this.heap[0]?.atMs;
  }

  /** Runs the next event and lets every promise it settled run on; false when none is left. */
  async step(): Promise<boolean> {
    const event = this.pop();
    if (event === undefined) return false;
    this.nowMs = Math.max(this.nowMs, event.atMs);
    if (event.owner !== undefined) {
      if (this.dead.has(event.owner)) return true;
      const held = this.held.get(event.owner);
      if (held !== undefined) {
        held.push(event);
        return true;
      }
    }
    this.trace?.(`t+${this.nowMs - SIM_START_MS} ${event.owner ?? '-'} ${event.label}`);
    event.run();
    await drainMicrotasks();
    this.steps++;
    return true;
  }

  private push(event: SimEvent): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): SimEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
}

/** Every microtask queued so far (and those they queue) runs before a macrotask. */
export function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
