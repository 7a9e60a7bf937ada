// CommandBus over JetStream: a command is an Envelope published to the actor's partition subject
// on CMD, stamped with the publisher's clock (ctx.nowMs of the decide step). request() also puts a
// core NATS inbox on the envelope; the worker answers there after the batch is durable.

import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { createInbox, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import type { ActorRef } from '../actors/actor.ts';
import type { CommandBus, RequestOptions, SendOptions } from './bus.ts';
import { decodeBytes, encodeBytes } from './codec.ts';
import { type Envelope, isFailureReply } from './envelope.ts';
import { commandSubject } from './partition.ts';
import { activeTraceparent } from './telemetry-spans.ts';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
}

/** The runtime parked the command instead of applying it (runtime/poison.ts): it changed nothing. */
export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
}

export type NatsCommandBusOptions = { readonly partitions: number };

export class NatsCommandBus implements CommandBus {
  private readonly js: JetStreamClient;
  private readonly partitions: number;

  constructor(
    private readonly nc: NatsConnection,
    options: NatsCommandBusOptions,
  ) {
    this.js = jetstream(nc);
    this.partitions = options.partitions;
  }

  async send(to: ActorRef, command: unknown, options?: SendOptions): Promise<void> {
    await this.publish(to, command, options, undefined);
  }

  async request<R>(to: ActorRef, command: unknown, options?: RequestOptions): Promise<R> {
    const inbox = createInbox();
    const sub = this.nc.subscribe(inbox, { max: 1 });
    const timeoutMs = options?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = (async () => {
        for await (const msg of sub) {
          const answer = decodeBytes<unknown>(msg.data);
          if (isFailureReply(answer)) {
            throw new CommandFailedError(
              `${to.type}/${to.key}: ${answer.mkondoCommandFailed.reason}`,
            );
          }
          return answer as R;
        }
        throw new RequestTimeoutError(`no reply from ${to.type}/${to.key}`);
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new RequestTimeoutError(`no reply from ${to.type}/${to.key} in ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
      });
      await this.publish(to, command, options, inbox);
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
      sub.unsubscribe();
    }
  }

  private async publish(
    to: ActorRef,
    command: unknown,
    options: SendOptions | undefined,
    replyTo: string | undefined,
  ): Promise<void> {
    const envelope: Envelope = {
      type: to.type,
      key: to.key,
      nowMs: options?.nowMs ?? Date.now(),
      command,
      ...(replyTo === undefined ? {} : { replyTo }),
    };
    // The span serving this request when tracing is on, else what the caller passed on.
    const traceparent = activeTraceparent() ?? options?.traceparent;
    const h = traceparent === undefined ? undefined : natsHeaders();
    if (h && traceparent) h.set('traceparent', traceparent);
    await this.js.publish(commandSubject(to.type, to.key, this.partitions), encodeBytes(envelope), {
      ...(options?.messageId === undefined ? {} : { msgID: options.messageId }),
      ...(h ? { headers: h } : {}),
    });
  }
}
