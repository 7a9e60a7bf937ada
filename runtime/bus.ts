// What the gateway (and any other publisher) needs from the runtime: put a command durably on an
// actor's partition, or put it there and wait for the actor's reply. The real implementation
// publishes to JetStream (runtime/nats-bus.ts); tests may use the in-memory runtime.

import type { ActorRef } from '../actors/actor.ts';

export type SendOptions = {
  /** Defaults to the wall clock of the publisher at the time of the call. */
  readonly nowMs?: number;
  /** W3C traceparent to carry in the message headers. */
  readonly traceparent?: string;
  /** Deduplication id for JetStream (Nats-Msg-Id); a resend with the same id is dropped. */
  readonly messageId?: string;
};

export type RequestOptions = SendOptions & { readonly timeoutMs?: number };

export interface CommandBus {
  /** Resolves once the command is durably stored (JetStream publish acknowledged). */
  send(to: ActorRef, command: unknown, options?: SendOptions): Promise<void>;
  /** Sends and waits for the actor's reply, delivered after the actor's state is durable. */
  request<R>(to: ActorRef, command: unknown, options?: RequestOptions): Promise<R>;
}

/** Read access to actor state (the snapshots double as read models; see schema/db). */
export interface StateReader {
  get<S>(to: ActorRef): Promise<S | undefined>;
  list<S>(type: string): Promise<ReadonlyArray<{ key: string; state: S }>>;
}

/** The public projections actors publish (ActorDefinition.directoryEntry), kept current. */
export interface Directory {
  lookup<T>(type: string, key: string): T | undefined;
  /** Brings one entry up to date now (after a write this process caused); optional. */
  refresh?(type: string, key: string): Promise<void>;
  entries<T>(type: string): ReadonlyArray<{ key: string; value: T }>;
}

/** Delivered callbacks leave through here (the OUT stream in production). */
export interface CallbackSink {
  deliver(callback: import('../actors/callback.ts').Callback): Promise<void>;
}
