// The pure pieces of a batch: decode deliveries into commands (or poison), drop copies of
// commands applied before, and apply one command to an actor's working state, collecting the
// outbox rows and the reply it causes. Nothing here touches the network, the clock or the DB;
// state is copied on write so a command that throws leaves its actor exactly as it was.
// runtime/step.ts composes these into the step of a whole batch.

import { type AnyActor, type Decision, type HubSettings, InvariantError } from '../actors/actor.ts';
import { decodeBytes, encodeJson } from './codec.ts';
import { type Envelope, failureReply, isEnvelope } from './envelope.ts';
import { directorySubject } from './outbox.ts';
import { callbackSubject, commandSubject, eventSubject, partitionOf } from './partition.ts';
import type { Delivery } from './ports.ts';
import {
  type AppliedCommand,
  actorId,
  type OutboxRow,
  type PoisonRow,
  type PoisonStatus,
} from './snapshot-store.ts';

/** Resident state of one actor (the LRU cache value, and what a batch pins). */
export type Cached = {
  readonly state: unknown;
  readonly version: number;
  readonly dirJson: string | undefined;
};

/** An actor's state while a batch applies to it; `baseVersion` is what the DB must still hold. */
export type Working = {
  readonly type: string;
  readonly key: string;
  readonly def: AnyActor;
  readonly baseVersion: number;
  state: unknown;
  version: number;
  dirJson: string | undefined;
  dirty: boolean;
};

/** A decoded command of this partition. */
export type Decoded = {
  readonly delivery: Delivery;
  readonly env: Envelope;
  readonly def: AnyActor;
  readonly id: string;
  /** Nats-Msg-Id when the command was published from an outbox (re-publishable), else undefined. */
  readonly msgId: string | undefined;
};

/** A delivery after decoding: a command to apply, or poison found without applying anything. */
export type BatchItem =
  | { readonly kind: 'command'; readonly command: Decoded }
  | { readonly kind: 'undecodable'; readonly delivery: Delivery; readonly reason: string };

export type Reply = { readonly subject: string; readonly payload: string };

export type ApplyContext = {
  readonly partitions: number;
  readonly hub: HubSettings;
  /** When the batch was stepped, before its write: stamped on the commands it sends. */
  readonly writtenAtMs?: number;
};

/**
 * The header an outbox command carries with the time its batch was stepped (before the write
 * that made it durable). Every copy of the row carries the same stamp, so the receiving partition
 * can tell a copy that reached the stream soon after the write (JetStream's duplicate window
 * makes it the only stored copy) from a late one (runtime/step.ts).
 */
export const WRITTEN_AT_HEADER = 'Mkondo-Written-At';

/** The Mkondo-Written-At header's time, or undefined when absent or not a time. */
export function writtenAtOf(header: string | undefined): number | undefined {
  if (header === undefined || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}

const textDecoder = new TextDecoder();

/** Decodes one delivery; undecodable or misrouted ones carry the reason they are poison. */
export function decodeDelivery(
  delivery: Delivery,
  actors: ReadonlyMap<string, AnyActor>,
  partition: number,
  partitions: number,
): BatchItem {
  const poison = (reason: string): BatchItem => ({ kind: 'undecodable', delivery, reason });
  let env: unknown;
  try {
    env = decodeBytes(delivery.data);
  } catch {
    return poison('undecodable');
  }
  if (!isEnvelope(env)) return poison('not an envelope');
  const def = actors.get(env.type);
  if (def === undefined) return poison(`unknown actor type '${env.type}'`);
  if (partitionOf(env.type, env.key, partitions) !== partition) {
    return poison('key does not belong to this partition');
  }
  const id = actorId(env.type, env.key);
  const msgId = isOutboxMsgId(delivery.msgId) ? delivery.msgId : undefined;
  return { kind: 'command', command: { delivery, env, def, id, msgId } };
}

const OUTBOX_MSG_ID = /^\d+-\d+$/;

/** True for the Nats-Msg-Id of a command published from an outbox (`<source seq>-<index>`). */
export function isOutboxMsgId(id: string | undefined): id is string {
  return id !== undefined && OUTBOX_MSG_ID.test(id);
}

/** The CMD stream sequence of the batch whose outbox published `msgId`. */
export function sourceSeqOf(msgId: string): number {
  return Number(msgId.slice(0, msgId.indexOf('-')));
}

/** The poison record of a delivery; text the DB refuses (NUL) is removed, never the row. */
export function poisonRow(
  delivery: Delivery,
  reason: string,
  status: PoisonStatus,
  actor?: string,
): PoisonRow {
  const clean = (text: string) => text.replaceAll('\u0000', '\\u0000');
  return {
    seq: delivery.seq,
    subject: clean(delivery.subject),
    reason: clean(reason).slice(0, 2000),
    payload: clean(textDecoder.decode(delivery.data)),
    actor: actor === undefined ? null : clean(actor),
    status,
  };
}

/** The reply a requester waiting on a parked command gets at once (NatsCommandBus.request). */
export function parkedReply(env: Envelope | undefined, reason: string): Reply[] {
  if (env?.replyTo === undefined) return [];
  return [{ subject: env.replyTo, payload: encodeJson(failureReply(reason)) }];
}

/** What applying one command produced; the working state is updated only on success. */
export type Applied =
  | { readonly ok: true; readonly outbox: OutboxRow[]; readonly replies: Reply[] }
  | { readonly ok: false; readonly error: unknown; readonly invariant: boolean };

/** Applies one command to its actor's working state: decide, evolve, outputs. */
export function applyCommand(ctx: ApplyContext, item: Decoded, w: Working): Applied {
  const { env, def } = item;
  let state = w.state;
  let decision: Decision<unknown, unknown>;
  let dirJson = w.dirJson;
  try {
    decision = def.decide(state, env.command, { actorId: env.key, nowMs: env.nowMs, hub: ctx.hub });
    for (const event of decision.events) state = def.evolve(state, event);
    if (decision.events.length > 0 && def.directoryEntry) {
      const entry = def.directoryEntry(state);
      dirJson = entry === undefined ? undefined : encodeJson(entry);
    }
  } catch (error) {
    return { ok: false, error, invariant: error instanceof InvariantError };
  }
  const outbox = outputsOf(ctx, item, decision, dirJson !== w.dirJson ? dirJson : undefined);
  if (decision.events.length > 0) {
    w.state = state;
    w.version++;
    w.dirty = true;
  }
  w.dirJson = dirJson;
  const replies =
    env.replyTo === undefined
      ? []
      : [{ subject: env.replyTo, payload: encodeJson(decision.reply) }];
  return { ok: true, outbox, replies };
}

function outputsOf(
  ctx: ApplyContext,
  item: Decoded,
  decision: Decision<unknown, unknown>,
  newDirJson: string | undefined,
): OutboxRow[] {
  const { env, delivery } = item;
  const headers = delivery.traceparent ? { traceparent: delivery.traceparent } : null;
  const sendHeaders =
    ctx.writtenAtMs === undefined
      ? headers
      : { ...headers, [WRITTEN_AT_HEADER]: String(ctx.writtenAtMs) };
  const out: OutboxRow[] = [];
  const add = (subject: string, payload: string, h: Record<string, string> | null) => {
    const idx = out.length;
    const msgId = `${delivery.seq}-${idx}`;
    out.push({ sourceSeq: delivery.seq, idx, subject, msgId, payload, headers: h });
  };
  for (const event of decision.events) {
    const body = { type: env.type, key: env.key, nowMs: env.nowMs, event };
    add(eventSubject(env.type, env.key), encodeJson(body), null);
  }
  for (const effect of decision.effects) {
    if (effect.kind === 'send') {
      const next: Envelope = {
        type: effect.to.type,
        key: effect.to.key,
        nowMs: env.nowMs,
        command: effect.command,
      };
      const subject = commandSubject(effect.to.type, effect.to.key, ctx.partitions);
      add(subject, encodeJson(next), sendHeaders);
    } else {
      add(callbackSubject(effect.callback.to), encodeJson(effect.callback), headers);
    }
  }
  if (newDirJson !== undefined) add(directorySubject(env.type, env.key), newDirJson, null);
  return out;
}

/** The applied-command record of an outbox-published command. */
export function appliedRecord(item: Decoded): AppliedCommand | undefined {
  return item.msgId === undefined ? undefined : { msgId: item.msgId, seq: item.delivery.seq };
}
