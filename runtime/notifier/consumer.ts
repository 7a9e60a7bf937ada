// The notifier role: consumes the OUT stream and hands each callback to NotifierCore. All notifier
// replicas share one durable pull consumer (`notifier`, filter `out.>`, explicit ack), so each
// callback goes to one replica. The consume loop never waits for a delivery: it dispatches to the
// destination's lane and moves on, so callbacks for one DFSP never block the others. A message is
// acked once its callback has a final outcome (delivered or given up, both counted); while it
// waits it is kept alive with `working()`; when its lane is full it is nak'ed with a growing
// delay and comes back later. On stop, waiting callbacks are nak'ed at once for another replica
// and running attempts finish; a pending retry ends as `interrupted` and is nak'ed too.

import type { ConsumerMessages, JetStreamManager } from '@nats-io/jetstream';
import {
  AckPolicy,
  DeliverPolicy,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Directory } from '../bus.ts';
import { OUT_STREAM } from '../streams.ts';
import { type DeliveryOutcome, NotifierCore, type NotifierLog } from './core.ts';
import { decodeCallback } from './decode.ts';
import type { LaneStatus } from './lanes.ts';
import { notifierMetrics } from './metrics.ts';
import { createHttpTransport, type HttpTransportOptions, type Transport } from './transport.ts';

export const NOTIFIER_CONSUMER = 'notifier';

export type NotifierOptions = {
  readonly nc: NatsConnection;
  readonly directory: Directory;
  readonly hub: { readonly hubName: string };
  readonly defaultVersion?: string;
  readonly perDfspInFlightMax?: number;
  readonly perDfspQueueMax?: number;
  readonly retryMax?: number;
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

export async function ensureNotifierConsumer(
  jsm: JetStreamManager,
  name: string,
  options: { readonly ackWaitMs: number; readonly maxAckPending: number },
): Promise<void> {
  await jsm.consumers.add(OUT_STREAM, {
    durable_name: name,
    filter_subject: 'out.>',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: options.ackWaitMs * 1_000_000,
    max_ack_pending: options.maxAckPending,
  });
}

export async function startNotifier(options: NotifierOptions): Promise<Notifier> {
  const name = options.consumerName ?? NOTIFIER_CONSUMER;
  const ackWaitMs = options.ackWaitMs ?? 60_000;
  const deferMs = options.deferMs ?? 1_000;
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
    ...(options.retryMax === undefined ? {} : { retry: { retryMax: options.retryMax } }),
  });
  const jsm = await jetstreamManager(options.nc);
  const maxAckPending = options.maxAckPending ?? 20_000;
  await ensureNotifierConsumer(jsm, name, { ackWaitMs, maxAckPending });
  const consumer = await jetstream(options.nc).consumers.get(OUT_STREAM, name);

  /** Stream sequence -> the newest handle of a message this replica holds. */
  const held = new Map<number, JsMsg>();
  let stopped = false;
  let messages: ConsumerMessages | undefined;

  const finish = (seq: number, outcome: DeliveryOutcome) => {
    const msg = held.get(seq);
    held.delete(seq);
    if (outcome.kind === 'interrupted') msg?.nak();
    else msg?.ack();
  };

  const handle = (msg: JsMsg) => {
    if (held.has(msg.seq)) {
      held.set(msg.seq, msg);
      return;
    }
    const callback = decodeCallback(msg.data);
    if (callback === undefined) {
      notifierMetrics.callbacks.inc({ outcome: 'poison', dfsp: '' });
      options.log.error({ subject: msg.subject, seq: msg.seq }, 'undecodable callback message');
      // No reason text: nats-server before 2.10 does not parse '+TERM <reason>'.
      msg.term();
      return;
    }
    held.set(msg.seq, msg);
    if (!core.submit(callback, (outcome) => finish(msg.seq, outcome))) {
      held.delete(msg.seq);
      msg.nak(Math.min(DEFER_MAX_MS, deferMs * msg.info.deliveryCount));
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        messages = await consumer.consume({ max_messages: options.fetchMax ?? 256 });
        if (stopped) await messages.close();
        for await (const msg of messages) handle(msg);
      } catch (error) {
        if (!stopped) options.log.error({ err: error }, 'notifier consume loop failed');
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();

  const keepAlive = setInterval(
    () => {
      for (const msg of held.values()) msg.working();
    },
    Math.max(1_000, Math.floor(ackWaitMs / 3)),
  );
  keepAlive.unref();
  options.log.info({ consumer: name, inFlightMax }, 'notifier consuming OUT');

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      await messages?.close();
      for (const task of core.takeQueued()) task.onDone({ kind: 'interrupted', attempts: 0 });
      await core.stop();
      await loop;
      clearInterval(keepAlive);
      await transport.close();
    },
    status() {
      return { consuming: !stopped, held: held.size, lanes: core.status() };
    },
  };
}
