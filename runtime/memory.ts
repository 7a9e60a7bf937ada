// An in-memory runtime with the same semantics as the NATS one, minus durability: one queue,
// one message at a time, effects dispatched after each step. It hosts actors for gateway tests
// that run in process (`app.request()`), for the deterministic simulation, and for replay checks.

import type { ActorRef, AnyActor, DecideContext, Effect, HubSettings } from '../actors/actor.ts';
import type { Callback } from '../actors/callback.ts';
import type { CommandBus, Directory, RequestOptions, SendOptions, StateReader } from './bus.ts';
import { decodeJson, encodeJson } from './codec.ts';

type Pending = {
  readonly to: ActorRef;
  readonly command: unknown;
  readonly nowMs: number;
  readonly resolve?: (reply: unknown) => void;
};

export type MemoryRuntimeOptions = {
  readonly actors: readonly AnyActor[];
  readonly hub: HubSettings;
  /** The clock stamped on commands; tests pass a controllable one. */
  readonly clock?: () => number;
  /** Receives every callback the actors emit. */
  readonly onCallback?: (callback: Callback) => void;
};

export class MemoryRuntime implements CommandBus, StateReader, Directory {
  readonly callbacks: Callback[] = [];
  readonly events: Array<{ ref: ActorRef; event: unknown }> = [];
  private readonly actors = new Map<string, AnyActor>();
  private readonly states = new Map<string, unknown>();
  private readonly directory = new Map<string, Map<string, unknown>>();
  private readonly queue: Pending[] = [];
  private draining = false;
  private readonly clock: () => number;

  constructor(private readonly options: MemoryRuntimeOptions) {
    for (const actor of options.actors) this.actors.set(actor.type, actor);
    this.clock = options.clock ?? Date.now;
  }

  async send(to: ActorRef, command: unknown, options?: SendOptions): Promise<void> {
    this.enqueue({ to, command: roundTrip(command), nowMs: options?.nowMs ?? this.clock() });
  }

  request<R>(to: ActorRef, command: unknown, options?: RequestOptions): Promise<R> {
    return new Promise<R>((resolve) => {
      this.enqueue({
        to,
        command: roundTrip(command),
        nowMs: options?.nowMs ?? this.clock(),
        resolve: resolve as (reply: unknown) => void,
      });
    });
  }

  async get<S>(to: ActorRef): Promise<S | undefined> {
    const state = this.states.get(stateKey(to));
    return state === undefined ? undefined : (roundTrip(state) as S);
  }

  async list<S>(type: string): Promise<ReadonlyArray<{ key: string; state: S }>> {
    const prefix = `${type}/`;
    return [...this.states.entries()]
      .filter(([id]) => id.startsWith(prefix))
      .map(([id, state]) => ({ key: id.slice(prefix.length), state: roundTrip(state) as S }));
  }

  lookup<T>(type: string, key: string): T | undefined {
    return this.directory.get(type)?.get(key) as T | undefined;
  }

  entries<T>(type: string): ReadonlyArray<{ key: string; value: T }> {
    return [...(this.directory.get(type)?.entries() ?? [])].map(([key, value]) => ({
      key,
      value: value as T,
    }));
  }

  /** Fires every timer due at or before `nowMs`, as the NATS runtime's timer wheel would. */
  fireTimers(nowMs: number): void {
    for (const [id, state] of this.states) {
      const [type = '', ...rest] = id.split('/');
      const timer = this.actors.get(type)?.nextTimer?.(state);
      if (timer && timer.atMs <= nowMs) {
        this.enqueue({ to: { type, key: rest.join('/') }, command: timer.command, nowMs });
      }
    }
  }

  /** Resolves when the queue is empty (all effects of all sent commands applied). */
  async settle(): Promise<void> {
    while (this.queue.length > 0 || this.draining) await new Promise((r) => setImmediate(r));
  }

  private enqueue(pending: Pending): void {
    this.queue.push(pending);
    if (!this.draining) {
      this.draining = true;
      queueMicrotask(() => this.drain());
    }
  }

  private drain(): void {
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) this.step(next);
    } finally {
      this.draining = false;
    }
  }

  private step(pending: Pending): void {
    const actor = this.actors.get(pending.to.type);
    if (!actor) throw new Error(`no actor type '${pending.to.type}'`);
    const id = stateKey(pending.to);
    let state = this.states.has(id) ? this.states.get(id) : actor.initial;
    const ctx: DecideContext = {
      actorId: pending.to.key,
      nowMs: pending.nowMs,
      hub: this.options.hub,
    };
    const decision = actor.decide(state, pending.command, ctx);
    for (const event of decision.events) {
      state = actor.evolve(state, event);
      this.events.push({ ref: pending.to, event });
    }
    if (decision.events.length > 0) {
      this.states.set(id, state);
      const entry = actor.directoryEntry?.(state);
      if (entry !== undefined) this.publishDirectory(pending.to, entry);
    }
    for (const effect of decision.effects) this.dispatch(effect, pending.nowMs);
    pending.resolve?.(roundTrip(decision.reply));
  }

  private publishDirectory(ref: ActorRef, entry: unknown): void {
    const byKey = this.directory.get(ref.type) ?? new Map<string, unknown>();
    byKey.set(ref.key, roundTrip(entry));
    this.directory.set(ref.type, byKey);
  }

  private dispatch(effect: Effect, nowMs: number): void {
    if (effect.kind === 'send') {
      this.queue.push({ to: effect.to, command: roundTrip(effect.command), nowMs });
      return;
    }
    this.callbacks.push(effect.callback);
    this.options.onCallback?.(effect.callback);
  }
}

function stateKey(ref: ActorRef): string {
  return `${ref.type}/${ref.key}`;
}

// Everything crossing the runtime boundary goes through the codec, as it would over NATS.
function roundTrip(value: unknown): unknown {
  return value === undefined ? undefined : decodeJson(encodeJson(value));
}
