// The contract every actor type implements: types plus two pure functions (STYLE.md rule 1).
// `decide` turns a command into events, effects and a reply; `evolve` folds one event into state.
// Both are deterministic: time arrives as ctx.nowMs, ids are derived from inputs, and nothing here
// touches the network, the clock or a database. The runtime (runtime/) performs every effect.

import type { Callback } from './callback.ts';

export type DecideContext = {
  readonly actorId: string;
  /** Wall-clock time stamped on the command envelope by its publisher. */
  readonly nowMs: number;
  /** Hub-wide settings that decide() may read (hub name, on-us switch, versions). */
  readonly hub: HubSettings;
};

export type HubSettings = {
  /** Name the hub uses as FSPIOP-Source on messages it originates (default `Hub`). */
  readonly hubName: string;
  /** ENABLE_ON_US_TRANSFERS: payer may equal payee. */
  readonly onUsTransfers: boolean;
  /** SEND_TRANSFER_CONFIRMATION_TO_PAYEE: payee gets a hub copy of the committed PUT. */
  readonly confirmToPayee: boolean;
};

/** Address of one actor instance: its type (folder in actors/) and its key. */
export type ActorRef = { readonly type: string; readonly key: string };

/**
 * Effects are data. `send` delivers a command to another actor (through the CMD stream);
 * `callback` asks the notifier to deliver an HTTP request to a DFSP (through the OUT stream).
 * Both are published only after the state that caused them is durable.
 */
export type Effect =
  | { readonly kind: 'send'; readonly to: ActorRef; readonly command: unknown }
  | { readonly kind: 'callback'; readonly callback: Callback };

export type Decision<E, R> = {
  readonly events: readonly E[];
  readonly effects: readonly Effect[];
  readonly reply: R;
};

/** A timer derived from state: the runtime rebuilds its timer wheel from snapshots on takeover. */
export type Timer<C> = { readonly atMs: number; readonly command: C };

export type ActorDefinition<S, C, E, R> = {
  readonly type: string;
  readonly initial: S;
  readonly decide: (state: S, command: C, ctx: DecideContext) => Decision<E, R>;
  readonly evolve: (state: S, event: E) => S;
  /** The next expiry to fire for this actor, if any; fired as `command` at `atMs`. */
  readonly nextTimer?: (state: S) => Timer<C> | undefined;
  /**
   * A public projection of the state that the runtime publishes to the NATS KV directory
   * `dir-<type>` after the snapshot is durable (gateways and notifiers watch it), or undefined.
   */
  readonly directoryEntry?: (state: S) => unknown;
};

// biome-ignore lint/suspicious/noExplicitAny: the registry holds actors of every state type.
export type AnyActor = ActorDefinition<any, any, any, any>;

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Asserts what must never be false; a failure is a bug and takes the partition down. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

export function assertNever(value: never): never {
  throw new InvariantError(`unexpected variant: ${variantName(value)}`);
}

/**
 * Names a variant by its discriminant only: serialising the whole value would throw on a bigint
 * (turning the InvariantError into a TypeError, so a halting actor's command would be parked)
 * and could copy a megabyte of input into the halt reason.
 */
function variantName(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  const { kind, type } = value as { kind?: unknown; type?: unknown };
  if (typeof kind === 'string') return `kind ${kind.slice(0, 100)}`;
  if (typeof type === 'string') return `type ${type.slice(0, 100)}`;
  return 'object without kind or type';
}
