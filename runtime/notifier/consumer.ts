// The notifier role: consumes the OUT stream and hands each callback to NotifierCore. All notifier
// replicas share one durable pull consumer (`notifier`, filter `out.>` under NATS_NAMESPACE,
// explicit ack), so each callback goes to one replica. The consume loop never waits for a delivery: it dispatches to the
// destination's lane and moves on, so callbacks for one DFSP never block the others. A message is
// acked once its callback has a final outcome (delivered or given up, both counted); while it
// waits it is kept alive with `working()`; when its lane is full it is nak'ed with a growing
// delay and comes back later. On stop, waiting callbacks are nak'ed at once for another replica
// and running attempts finish; a pending retry ends as `interrupted` and is nak'ed too.
// A callback is retried until the retry horizon after its publication (retry.ts); a relayed
// one that fails is reported to its owning actor over the command bus before it is acked.
// A consumer created afresh (first start, or deleted with its position) starts at the messages
// published within the last horizon: anything older is no longer owed, so a recreated consumer
// never replays the stream's 30 days of OUT.

import type { Consumer, ConsumerMessages, JetStreamManager } from '@nats-io/jetstream';
import {
  AckPolicy,
  DeliverPolicy,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CommandBus, Directory } from '../bus.ts';
import { callbackFilter } from '../partition.ts';
import { OUT_STREAM } from '../streams.ts';
import { endCallbackSpan, startCallbackSpan } from '../telemetry-spans.ts';
import { type DeliveryOutcome, NotifierCore, type NotifierLog } from './core.ts';
import { decodeCallback } from './decode.ts';
import type { HubSigner } from './jws.ts';
import type { LaneStatus } from './lanes.ts';
import { notifierMetrics } from './metrics.ts';
import type { CallbackRenderer } from './render.ts';
import { DEFAULT_RETRY_POLICY } from './retry.ts';
import { createHttpTransport, type HttpTransportOptions, type Transport } from './transport.ts';

export const NOTIFIER_CONSUMER = 'notifier';

export type NotifierOptions = {
  readonly nc: NatsConnection;
  readonly directory: Directory;
  readonly hub: { readonly hubName: string };
  readonly defaultVersion?: string;
  /** Signs hub-originated callbacks (JWS_SIGNING_KEY_PATH); absent: no FSPIOP-Signature. */
  readonly signer?: HubSigner;
  /** Renders each callback in its receiver's API type (see NotifierCoreOptions.render). */
  readonly render?: CallbackRenderer;
  readonly perDfspInFlightMax?: number;
  readonly perDfspQueueMax?: number;
  /** How long after publication a callback is attempted (default 10 minutes). */
  readonly retryHorizonMs?: number;
  /** Where ForwardFailed commands go (the CMD stream); absent: failures are only logged. */
  readonly bus?: CommandBus;
  readonly log: NotifierLog & { info(details: object, message: string): void };
  /** Defaults to an undici keep-alive transport built from `http`. */
  readonly transport?: Transport;
  readonly http?: HttpTransportOptions;
  readonly consumerName?: string;
  readonly ackWaitMs?: number;
  readonly maxAckPending?: number;
  /** First delay before a callback refused by a full lane comes back (grows per redelivery). */
  readonly deferMs?: number;
  readonly fetchMax?: number;
};

export type NotifierStatus = {
  readonly consuming: boolean;
  /** OUT messages taken and not yet acked or nak'ed. */
  readonly held: number;
  readonly lanes: Record<string, LaneStatus>;
};

export type Notifier = { stop(): Promise<void>; status(): NotifierStatus };

const DEFER_MAX_MS = 30_000;

/**
 * Creates the shared durable consumer, starting at what was published within `horizonMs`
 * before `nowMs`, or brings an existing one (which keeps its position) to these limits.
 */
export async function ensureNotifierConsumer(
  jsm: JetStreamManager,
  name: string,
  options: {
    readonly ackWaitMs: number;
    readonly maxAckPending: number;
    readonly horizonMs: number;
    readonly nowMs: number;
  },
): Promise<void> {
  const limits = {
    ack_wait: options.ackWaitMs * 1_000_000,
    max_ack_pending: options.maxAckPending,
  };
  // Look first: a server asked to add an existing durable with another start time refuses with
  // "start time can not be updated" (nats-server 2.9) rather than "already exists".
  if (await consumerExists(jsm, name)) {
    await jsm.consumers.update(OUT_STREAM, name, limits);
    return;
  }
  try {
    await jsm.consumers.add(OUT_STREAM, {
      durable_name: name,
      filter_subject: callbackFilter(),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(options.nowMs - options.horizonMs).toISOString(),
      ...limits,
    });
  } catch (error) {
    // Another notifier created it between the look and the add: keep its position.
    if (!(await consumerExists(jsm, name))) throw error;
    await jsm.consumers.update(OUT_STREAM, name, limits);
  }
}

async function consumerExists(jsm: JetStreamManager, name: string): Promise<boolean> {
  try {
    await jsm.consumers.info(OUT_STREAM, name);
    return true;
  } catch (error) {
    if (/not found/i.test(String((error as Error)?.message))) return false;
    throw error;
  }
}

export async function startNotifier(options: NotifierOptions): Promise<Notifier> {
  const name = options.consumerName ?? NOTIFIER_CONSUMER;
  const ackWaitMs = options.ackWaitMs ?? 60_000;
  const horizonMs = options.retryHorizonMs ?? DEFAULT_RETRY_POLICY.horizonMs;
  const { bus } = options;
  const inFlightMax = options.perDfspInFlightMax ?? 32;
  const transport =
    options.transport ??
    createHttpTransport({ connectionsPerOrigin: inFlightMax, ...options.http });
  const core = new NotifierCore({
    directory: options.directory,
    hub: options.hub,
    transport,
    perDfspInFlightMax: inFlightMax,
    log: options.log,
    ...(options.defaultVersion === undefined ? {} : { defaultVersion: options.defaultVersion }),
    ...(options.perDfspQueueMax === undefined ? {} : { perDfspQueueMax: options.perDfspQueueMax }),
    retry: { horizonMs },
    ...(options.signer === undefined ? {} : { signer: options.signer }),
    ...(options.render === undefined ? {} : { render: options.render }),
    ...(bus === undefined
      ? {}
      : {
          reportFailure: (to, command, nowMs) =>
            bus.send(to, command, { nowMs, messageId: `forward-failed/${command.callbackId}` }),
        }),
  });
  const jsm = await jetstreamManager(options.nc);
  const maxAckPending = options.maxAckPending ?? 20_000;
  await ensureNotifierConsumer(jsm, name, {
    ackWaitMs,
    maxAckPending,
    horizonMs,
    nowMs: Date.now(),
  });
  const consumer = await jetstream(options.nc).consumers.get(OUT_STREAM, name);
  const dispatcher = new OutDispatcher(core, options.log, options.deferMs ?? 1_000);
  const loop = dispatcher.run(consumer, options.fetchMax ?? 256);
  const keepAlive = setInterval(
    () => dispatcher.keepAlive(),
    Math.max(1_000, Math.floor(ackWaitMs / 3)),
  );
  keepAlive.unref();
  options.log.info({ consumer: name, inFlightMax }, 'notifier consuming OUT');
  return {
    async stop() {
      if (!(await dispatcher.stop())) return;
      await loop;
      clearInterval(keepAlive);
      await transport.close();
    },
    status: () => dispatcher.status(),
  };
}

/** Moves OUT messages into the core's lanes and settles each one with ack, nak or term. */
class OutDispatcher {
  /** Stream sequence -> the newest handle of a message this replica holds. */
  readonly #held = new Map<number, JsMsg>();
  #stopped = false;
  #messages: ConsumerMessages | undefined;

  constructor(
    private readonly core: NotifierCore,
    private readonly log: NotifierLog,
    private readonly deferMs: number,
  ) {}

  async run(consumer: Consumer, fetchMax: number): Promise<void> {
    while (!this.#stopped) {
      try {
        this.#messages = await consumer.consume({ max_messages: fetchMax });
        if (this.#stopped) await this.#messages.close();
        for await (const msg of this.#messages) this.#handle(msg);
      } catch (error) {
        if (!this.#stopped) this.log.error({ err: error }, 'notifier consume loop failed');
      }
      if (!this.#stopped) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  #handle(msg: JsMsg): void {
    if (this.#held.has(msg.seq)) {
      // A redelivery of a message already in a lane: settle the newest handle, deliver once.
      this.#held.set(msg.seq, msg);
      return;
    }
    const callback = decodeCallback(msg.data);
    if (callback === undefined) {
      notifierMetrics.callbacks.inc({ outcome: 'poison', dfsp: '' });
      this.log.error({ subject: msg.subject, seq: msg.seq }, 'undecodable callback message');
      // No reason text: nats-server before 2.10 does not parse '+TERM <reason>'.
      msg.term();
      return;
    }
    this.#held.set(msg.seq, msg);
    const publishedAtMs = Math.floor(msg.info.timestampNanos / 1_000_000);
    // A message that came back may have been sent by a replica that stopped or lost its ack;
    // one deferred by a full lane was not, but cannot be told apart: both count as redelivered.
    const redelivered = msg.info.deliveryCount > 1;
    const span = startCallbackSpan(callback, msg.headers?.get('traceparent') || undefined);
    const done = (outcome: DeliveryOutcome) => {
      endCallbackSpan(span, outcome);
      this.#finish(msg.seq, outcome);
    };
    if (!this.core.submit(callback, done, { publishedAtMs, redelivered })) {
      span.end();
      this.#held.delete(msg.seq);
      msg.nak(Math.min(DEFER_MAX_MS, this.deferMs * msg.info.deliveryCount));
    }
  }

  #finish(seq: number, outcome: DeliveryOutcome): void {
    const msg = this.#held.get(seq);
    this.#held.delete(seq);
    if (outcome.kind === 'interrupted') msg?.nak();
    else msg?.ack();
  }

  keepAlive(): void {
    for (const msg of this.#held.values()) msg.working();
  }

  /** Stops consuming, hands waiting callbacks back, lets running attempts end. False if stopped. */
  async stop(): Promise<boolean> {
    if (this.#stopped) return false;
    this.#stopped = true;
    await this.#messages?.close();
    for (const task of this.core.takeQueued()) task.onDone({ kind: 'interrupted', attempts: 0 });
    await this.core.stop();
    return true;
  }

  status(): NotifierStatus {
    return { consuming: !this.#stopped, held: this.#held.size, lanes: this.core.status() };
  }
}
