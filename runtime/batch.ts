// The pure middle of the actor loop: decode a fetched batch, then apply it to actor state in
// stream order, producing everything the batch transaction writes (snapshots, outbox rows, poison
// rows) and the replies to send after it. Messages for the same actor see each other's state.
// Nothing here touches the network or the DB; state is copied on write so an abandoned batch
// leaves the resident cache untouched.

import type { JsMsg } from '@nats-io/jetstream';
import type { AnyActor, Decision, HubSettings } from '../actors/actor.ts';
import { decodeBytes, encodeJson } from './codec.ts';
import { type Envelope, isEnvelope } from './envelope.ts';
import { directorySubject } from './outbox.ts';
import { callbackSubject, commandSubject, eventSubject, partitionOf } from './partition.ts';
import {
  type AppliedCommand,
  actorId,
  type OutboxRow,
  type PoisonRow,
  type SnapshotWrite,
} from './snapshot-store.ts';

/** Resident state of one actor (the LRU cache value). */
export type Cached = {
  readonly state: unknown;
  readonly version: number;
  readonly dirJson: string | undefined;
};

type Working = {
  readonly type: string;
  readonly key: string;
  readonly def: AnyActor;
  state: unknown;
  version: number;
  dirJson: string | undefined;
  dirty: boolean;
};

export type Decoded = {
  readonly seq: number;
  readonly msg: JsMsg;
  readonly env: Envelope;
  readonly def: AnyActor;
  readonly id: string;
  /** Nats-Msg-Id when the command was published from an outbox (re-publishable), else undefined. */
  readonly msgId: string | undefined;
};

export type Reply = { readonly subject: string; readonly payload: string };

export type AppliedBatch = {
  readonly snapshots: SnapshotWrite[];
  readonly outbox: OutboxRow[];
  readonly poison: PoisonRow[];
  readonly replies: Reply[];
  readonly states: Map<string, Cached & { type: string; key: string; timerAtMs?: number }>;
  applied: number;
};

/** decide/evolve threw for `seq`; the loop resets to the checkpoint and retries the batch. */
export class AbandonBatch extends Error {
  override readonly name = 'AbandonBatch';
  constructor(
    readonly seq: number,
    override readonly cause: unknown,
  ) {
    super(`applying stream seq ${seq} failed: ${String(cause)}`);
  }
}

/** Attempts of one stream sequence before it is recorded as poison and skipped. */
export const APPLY_ATTEMPTS_MAX = 3;

export type BatchContext = {
  readonly partition: number;
  readonly partitions: number;
  readonly actors: ReadonlyMap<string, AnyActor>;
  readonly hub: HubSettings;
  readonly failures: Map<number, number>;
};

const textDecoder = new TextDecoder();

function poisonRow(msg: JsMsg, reason: string): PoisonRow {
  const payload = textDecoder.decode(msg.data).replaceAll('\u0000', '');
  return { seq: msg.seq, subject: msg.subject, reason, payload };
}

/** Decodes messages after `checkpoint`; undecodable or misrouted ones become poison rows. */
export function decodeBatch(
  ctx: BatchContext,
  msgs: readonly JsMsg[],
  checkpoint: number,
  poison: PoisonRow[],
): Decoded[] {
  const decoded: Decoded[] = [];
  for (const msg of msgs) {
    if (msg.seq <= checkpoint) continue;
    let env: unknown;
    try {
      env = decodeBytes(msg.data);
    } catch {
      poison.push(poisonRow(msg, 'undecodable'));
      continue;
    }
    if (!isEnvelope(env)) {
      poison.push(poisonRow(msg, 'not an envelope'));
      continue;
    }
    const def = ctx.actors.get(env.type);
    if (def === undefined) {
      poison.push(poisonRow(msg, `unknown actor type '${env.type}'`));
    } else if (partitionOf(env.type, env.key, ctx.partitions) !== ctx.partition) {
      poison.push(poisonRow(msg, 'key does not belong to this partition'));
    } else {
      const id = actorId(env.type, env.key);
      decoded.push({ seq: msg.seq, msg, env, def, id, msgId: outboxMsgId(msg) });
    }
  }
  return decoded;
}

/** Nats-Msg-Id of a command published from an outbox (`<source seq>-<index>`), else undefined. */
export function outboxMsgId(msg: JsMsg): string | undefined {
  const id = msg.headers?.get('Nats-Msg-Id');
  return id !== undefined && OUTBOX_MSG_ID.test(id) ? id : undefined;
}

const OUTBOX_MSG_ID = /^\d+-\d+$/;

/**
 * Drops the outbox-published commands this partition applied before (`seen`, from the DB) or
 * earlier in the same batch: copies re-published after a crash, past JetStream's duplicate window.
 * Returns the rest and the ids to record as applied with them.
 */
export function withoutApplied(
  items: readonly Decoded[],
  seen: ReadonlySet<string>,
): { items: Decoded[]; applied: AppliedCommand[]; skipped: number } {
  const kept: Decoded[] = [];
  const applied: AppliedCommand[] = [];
  const inBatch = new Set<string>();
  for (const item of items) {
    const { msgId } = item;
    if (msgId !== undefined) {
      if (seen.has(msgId) || inBatch.has(msgId)) continue;
      inBatch.add(msgId);
      applied.push({ msgId, seq: item.seq });
    }
    kept.push(item);
  }
  return { items: kept, applied, skipped: items.length - kept.length };
}

/** Applies decoded messages in order; throws AbandonBatch when decide/evolve throws. */
export function applyBatch(
  ctx: BatchContext,
  items: readonly Decoded[],
  stateOf: (id: string) => Cached | undefined,
  poison: PoisonRow[],
): AppliedBatch {
  const working = new Map<string, Working>();
  const result: AppliedBatch = {
    snapshots: [],
    outbox: [],
    poison,
    replies: [],
    states: new Map(),
    applied: 0,
  };
  for (const item of items) {
    let w = working.get(item.id);
    if (w === undefined) {
      const cached = stateOf(item.id);
      w = {
        type: item.env.type,
        key: item.env.key,
        def: item.def,
        state: cached ? cached.state : item.def.initial,
        version: cached ? cached.version : 0,
        dirJson: cached?.dirJson,
        dirty: false,
      };
      working.set(item.id, w);
    }
    applyOne(ctx, item, w, result);
  }
  for (const [id, w] of working) {
    const timerAtMs = w.def.nextTimer?.(w.state)?.atMs;
    if (w.dirty) {
      result.snapshots.push({
        type: w.type,
        key: w.key,
        version: w.version,
        stateJson: encodeJson(w.state),
        timerAtMs,
      });
    }
    result.states.set(id, {
      type: w.type,
      key: w.key,
      state: w.state,
      version: w.version,
      dirJson: w.dirJson,
      ...(timerAtMs === undefined ? {} : { timerAtMs }),
    });
  }
  return result;
}

function applyOne(ctx: BatchContext, item: Decoded, w: Working, out: AppliedBatch): void {
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
    const attempts = (ctx.failures.get(item.seq) ?? 0) + 1;
    ctx.failures.set(item.seq, attempts);
    if (attempts < APPLY_ATTEMPTS_MAX) throw new AbandonBatch(item.seq, error);
    out.poison.push(poisonRow(item.msg, `apply failed ${attempts} times: ${String(error)}`));
    return;
  }
  out.applied++;
  const traceparent = item.msg.headers?.get('traceparent');
  const headers = traceparent ? { traceparent } : null;
  let idx = 0;
  const add = (subject: string, payload: string, h: Record<string, string> | null) => {
    out.outbox.push({
      sourceSeq: item.seq,
      idx,
      subject,
      msgId: `${item.seq}-${idx}`,
      payload,
      headers: h,
    });
    idx++;
  };
  if (decision.events.length > 0) {
    w.state = state;
    w.version++;
    w.dirty = true;
    for (const event of decision.events) {
      add(
        eventSubject(env.type, env.key),
        encodeJson({ type: env.type, key: env.key, nowMs: env.nowMs, event }),
        null,
      );
    }
  }
  for (const effect of decision.effects) {
    if (effect.kind === 'send') {
      const next: Envelope = {
        type: effect.to.type,
        key: effect.to.key,
        nowMs: env.nowMs,
        command: effect.command,
      };
      add(commandSubject(effect.to.type, effect.to.key, ctx.partitions), encodeJson(next), headers);
    } else {
      add(callbackSubject(effect.callback.to), encodeJson(effect.callback), headers);
    }
  }
  if (dirJson !== undefined && dirJson !== w.dirJson) {
    add(directorySubject(env.type, env.key), dirJson, null);
  }
  w.dirJson = dirJson;
  if (env.replyTo !== undefined) {
    out.replies.push({ subject: env.replyTo, payload: encodeJson(decision.reply) });
  }
}
