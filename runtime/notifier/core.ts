// Callback delivery without NATS: resolve the URL from the participant directory, render the
// headers and body, send with retries until the retry horizon, and classify the end as exactly
// one outcome. Every outcome is counted and the undeliverable ones are logged; a relayed one is
// reported to its owning actor (report.ts) before the delivery counts as done, so its sender
// hears of it. submit() runs deliveries in per-DFSP lanes (lanes.ts) so that a slow or dead DFSP
// only ever delays its own callbacks. Callbacks addressed to the hub are dropped: the hub
// participant has no endpoints, and nothing of the hub's own is delivered over HTTP.

import type { ActorRef } from '../../actors/actor.ts';
import type { Callback } from '../../actors/callback.ts';
import type { ForwardFailed } from '../../actors/contracts/forward-failure.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import { PARTICIPANT_ACTOR_TYPE } from '../../actors/participant/directory.ts';
import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { Directory } from '../bus.ts';
import { buildHeaders, renderBody } from './headers.ts';
import { canonicalJson, type HubSigner } from './jws.ts';
import { type LaneStatus, Lanes } from './lanes.ts';
import { notifierMetrics } from './metrics.ts';
import type { CallbackRenderer } from './render.ts';
import { forwardFailedCommand } from './report.ts';
import type { RetryPolicy } from './retry.ts';
import { type AttemptResult, backoffMs, DEFAULT_RETRY_POLICY, judgeAttempt } from './retry.ts';
import type { HttpRequest, Transport } from './transport.ts';
import { redactUrl, resolveUrl } from './url.ts';

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status: number; readonly attempts: number }
  /** A final HTTP answer that is not a success (4xx, 3xx, 501): not retried. */
  | {
      readonly kind: 'refused';
      readonly status: number;
      readonly attempts: number;
      /** The receiver's errorInformation, when its answer carried one. */
      readonly error?: FspiopError;
    }
  /** Every attempt until the retry horizon failed transiently; `last` is the last status or error. */
  | { readonly kind: 'failed'; readonly attempts: number; readonly last: string }
  /** Its deliverByMs passed before it could be delivered; the owner's expiry speaks for it. */
  | { readonly kind: 'expired'; readonly attempts: number }
  | { readonly kind: 'to_hub' }
  | { readonly kind: 'no_participant' }
  | { readonly kind: 'no_endpoint' }
  | { readonly kind: 'missing_param'; readonly token: string }
  | { readonly kind: 'invalid_url'; readonly url: string }
  | { readonly kind: 'invalid_body'; readonly error: string }
  /** The notifier stopped before a final outcome: the callback must be delivered again later. */
  | { readonly kind: 'interrupted'; readonly attempts: number };

export type NotifierLog = {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
};

export type NotifierCoreOptions = {
  readonly directory: Directory;
  readonly hub: { readonly hubName: string };
  /** Media-type version of hub-originated callbacks without their own; default `1.0`. */
  readonly defaultVersion?: string;
  readonly transport: Transport;
  readonly retry?: Partial<RetryPolicy>;
  /** Deliveries of one DFSP running at once (default 32). */
  readonly perDfspInFlightMax?: number;
  /** Callbacks of one DFSP waiting behind those (default 1000); beyond, submit() refuses. */
  readonly perDfspQueueMax?: number;
  readonly log: NotifierLog;
  readonly clock?: () => number;
  readonly random?: () => number;
  /** Signs hub-originated requests (FSPIOP-Signature) when the scheme uses JWS. */
  readonly signer?: HubSigner;
  /** Renders each callback in its receiver's API type (ISO 20022 or FSPIOP); none: as written. */
  readonly render?: CallbackRenderer;
  /**
   * Hands a ForwardFailed to the actor that owns a relayed callback (the command bus), durably,
   * before the callback counts as done. Absent: failures are only logged and counted.
   */
  readonly reportFailure?: (to: ActorRef, command: ForwardFailed, nowMs: number) => Promise<void>;
};

/** The request to send for `callback`, or the outcome that says why there is none. */
export type Prepared =
  | {
      readonly kind: 'request';
      readonly request: HttpRequest;
      /** A relayed message translated into the receiver's API type: the hub signs it. */
      readonly translated?: boolean;
    }
  | Exclude<
      DeliveryOutcome,
      { kind: 'delivered' | 'refused' | 'failed' | 'expired' | 'interrupted' }
    >;

export function prepareRequest(
  callback: Callback,
  entry: ParticipantDirectoryEntry | undefined,
  options: {
    readonly hubName: string;
    readonly defaultVersion?: string;
    readonly nowMs: number;
    readonly render?: CallbackRenderer;
  },
): Prepared {
  if (callback.to === options.hubName) return { kind: 'to_hub' };
  const resolved = resolveUrl(callback, entry);
  if (resolved.kind !== 'url') return resolved;
  const rendered = options.render?.(callback, entry, options.nowMs);
  if (rendered?.kind === 'untranslatable') return { kind: 'invalid_body', error: rendered.error };
  const prepared = prepareRendered(rendered?.callback ?? callback, resolved.url, options);
  return rendered?.translated === true && prepared.kind === 'request'
    ? { ...prepared, translated: true }
    : prepared;
}

function prepareRendered(
  callback: Callback,
  url: string,
  options: { readonly hubName: string; readonly defaultVersion?: string; readonly nowMs: number },
): Prepared {
  let body: string | undefined;
  try {
    body = renderBody(callback);
  } catch (error) {
    return { kind: 'invalid_body', error: String(error) };
  }
  const headers = buildHeaders(callback, body, options);
  const request = { method: callback.method, url, headers };
  return { kind: 'request', request: body === undefined ? request : { ...request, body } };
}

/** What the OUT stream knows of a callback's delivery before this one. */
export type DeliveryContext = {
  /** When it was published: starts the retry horizon (default: now). */
  readonly publishedAtMs?: number;
  /** The message came back (nak'ed, or its ack lost): an earlier attempt may have arrived. */
  readonly redelivered?: boolean;
};

type Task = {
  readonly callback: Callback;
  readonly context: DeliveryContext;
  readonly onDone: (outcome: DeliveryOutcome) => void;
};

export class NotifierCore {
  readonly #options: NotifierCoreOptions;
  readonly #retry: RetryPolicy;
  readonly #lanes: Lanes<Task>;
  readonly #stopping = new AbortController();

  constructor(options: NotifierCoreOptions) {
    this.#options = options;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#lanes = new Lanes<Task>({
      inFlightMax: options.perDfspInFlightMax ?? 32,
      queueMax: options.perDfspQueueMax ?? 1000,
      run: async (key, task) => {
        try {
          task.onDone(await this.deliver(task.callback, task.context));
        } finally {
          notifierMetrics.inFlight.dec({ dfsp: key });
        }
      },
      onError: (key, task, error) =>
        options.log.error({ dfsp: key, callbackId: task.callback.id, err: error }, 'callback task'),
    });
  }

  /**
   * Queues `callback` on its destination's lane; `onDone` gets the final outcome. Returns false,
   * without calling onDone, when that lane is full.
   */
  submit(
    callback: Callback,
    onDone: (outcome: DeliveryOutcome) => void,
    context: DeliveryContext = {},
  ): boolean {
    const accepted = this.#lanes.offer(callback.to, { callback, context, onDone });
    if (accepted) notifierMetrics.inFlight.inc({ dfsp: callback.to });
    else notifierMetrics.deferred.inc({ dfsp: callback.to });
    return accepted;
  }

  /**
   * Delivers one callback now, with retries until the horizon after its publication, outside
   * any lane; a relayed callback's failure is reported before this resolves.
   */
  async deliver(callback: Callback, context: DeliveryContext = {}): Promise<DeliveryOutcome> {
    const startedMs = this.#now();
    const entry = this.#options.directory.lookup<ParticipantDirectoryEntry>(
      PARTICIPANT_ACTOR_TYPE,
      callback.to,
    );
    const prepared = prepareRequest(callback, entry, {
      hubName: this.#options.hub.hubName,
      nowMs: startedMs,
      ...(this.#options.render === undefined ? {} : { render: this.#options.render }),
      ...(this.#options.defaultVersion === undefined
        ? {}
        : { defaultVersion: this.#options.defaultVersion }),
    });
    const giveUpAtMs = Math.min(
      (context.publishedAtMs ?? startedMs) + this.#retry.horizonMs,
      callback.deliverByMs ?? Number.POSITIVE_INFINITY,
    );
    const outcome =
      prepared.kind === 'request'
        ? await this.#send(callback, await this.#signed(callback, prepared), giveUpAtMs)
        : prepared;
    this.#record(callback, outcome, startedMs, prepared.kind === 'request' ? prepared : undefined);
    return this.#report(callback, outcome, context.redelivered === true);
  }

  /** Reports a relayed callback's failure; if that cannot be done now, it is handed back. */
  async #report(
    callback: Callback,
    outcome: DeliveryOutcome,
    redelivered: boolean,
  ): Promise<DeliveryOutcome> {
    const command = forwardFailedCommand(callback, outcome, redelivered);
    const { reportFailure } = this.#options;
    if (command === undefined || reportFailure === undefined || !callback.onFailure) return outcome;
    try {
      await reportFailure(callback.onFailure.actor, command, this.#now());
      return outcome;
    } catch (error) {
      this.#options.log.error({ callbackId: callback.id, err: error }, 'failure not reported');
      return { kind: 'interrupted', attempts: 'attempts' in outcome ? outcome.attempts : 0 };
    }
  }

  async #signed(
    callback: Callback,
    prepared: { request: HttpRequest; translated?: boolean },
  ): Promise<HttpRequest> {
    const { signer } = this.#options;
    const { request } = prepared;
    const senders = callback.relay !== undefined && prepared.translated !== true;
    if (!signer || senders || request.body === undefined) return request;
    const body = canonicalJson(request.body);
    const signature = await signer.sign(request.headers, body);
    return { ...request, body, headers: { ...request.headers, 'fspiop-signature': signature } };
  }

  async #send(
    callback: Callback,
    request: HttpRequest,
    giveUpAtMs: number,
  ): Promise<DeliveryOutcome> {
    const expires = callback.deliverByMs !== undefined && giveUpAtMs === callback.deliverByMs;
    for (let attempt = 1; ; attempt++) {
      if (this.#stopping.signal.aborted) return { kind: 'interrupted', attempts: attempt - 1 };
      if (expires && this.#now() >= giveUpAtMs) return { kind: 'expired', attempts: attempt - 1 };
      const result = await this.#options.transport.send(request);
      notifierMetrics.attempts.inc({ result: resultClass(result), dfsp: callback.to });
      const verdict = judgeAttempt(result);
      if (verdict === 'delivered' && result.kind === 'status') {
        return { kind: 'delivered', status: result.status, attempts: attempt };
      }
      if (verdict === 'refused' && result.kind === 'status') {
        const { status, error } = result;
        return error === undefined
          ? { kind: 'refused', status, attempts: attempt }
          : { kind: 'refused', status, attempts: attempt, error };
      }
      const waitMs = backoffMs(attempt, this.#retry, this.#options.random ?? Math.random);
      if (this.#now() + waitMs >= giveUpAtMs) {
        if (expires) return { kind: 'expired', attempts: attempt };
        const last = result.kind === 'status' ? `status ${result.status}` : result.error;
        return { kind: 'failed', attempts: attempt, last };
      }
      await sleep(waitMs, this.#stopping.signal);
    }
  }

  #record(
    callback: Callback,
    outcome: DeliveryOutcome,
    startedMs: number,
    prepared: { request: HttpRequest } | undefined,
  ): void {
    const dfsp = callback.to;
    // An interrupted callback is not final: it is counted when a replica settles it.
    if (outcome.kind !== 'interrupted') {
      notifierMetrics.callbacks.inc({ outcome: outcome.kind, dfsp });
      notifierMetrics.seconds.observe({ outcome: outcome.kind }, (this.#now() - startedMs) / 1000);
    }
    const details = {
      callbackId: callback.id,
      dfsp,
      endpointType: callback.endpointType,
      method: callback.method,
      path: redactUrl(callback.path),
      url: prepared ? redactUrl(prepared.request.url) : undefined,
      outcome:
        outcome.kind === 'invalid_url' ? { ...outcome, url: redactUrl(outcome.url) } : outcome,
    };
    if (outcome.kind === 'delivered') this.#options.log.debug(details, 'callback delivered');
    else if (outcome.kind === 'to_hub') this.#options.log.debug(details, 'callback to hub dropped');
    else if (outcome.kind === 'interrupted')
      this.#options.log.debug(details, 'callback handed back');
    else if (outcome.kind === 'expired') this.#options.log.debug(details, 'callback expired');
    else this.#options.log.warn(details, 'callback not delivered');
  }

  /** Hands back the callbacks still waiting in lanes; they will not be delivered by this core. */
  takeQueued(): Task[] {
    const taken = this.#lanes.takeQueued();
    for (const task of taken) notifierMetrics.inFlight.dec({ dfsp: task.callback.to });
    return taken;
  }

  /** Stops retrying (pending retries end as `interrupted`) and waits for running attempts. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#lanes.idle();
  }

  idle(): Promise<void> {
    return this.#lanes.idle();
  }

  status(): Record<string, LaneStatus> {
    return this.#lanes.status();
  }

  #now(): number {
    return (this.#options.clock ?? Date.now)();
  }
}

function resultClass(result: AttemptResult): string {
  return result.kind === 'network' ? 'network' : `${Math.floor(result.status / 100)}xx`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
