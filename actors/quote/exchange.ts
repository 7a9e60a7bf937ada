// The relayed-exchange state machine behind quotes, transaction requests and authorizations
// (fspiop.md §9, §3.7 "Quotes (persisting mode)"). The hub is a router with a memory: it forwards
// the request to the responder and the answer back to the requester, and it remembers the
// request hash and the answer forever (the snapshot is the duplicate-check record). An identical
// resend is re-forwarded; a modified resend is refused with 3106; a GET is answered from the
// stored answer, so it still works after the responder is gone.

import { errorBody, type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { ActorDefinition, DecideContext, Decision, Effect } from '../actor.ts';
import { assertNever, invariant } from '../actor.ts';
import type { Callback } from '../callback.ts';
import type { ForwardFailed } from '../contracts/forward-failure.ts';
import type {
  AnswerExchange,
  ExchangeCommand,
  ExchangeConfig,
  ExchangeEvent,
  ExchangeReply,
  ExchangeState,
  QueryExchange,
  Relay,
  RequestExchange,
} from './exchange-types.ts';

type ExchangeDecision = Decision<ExchangeEvent, ExchangeReply>;
type Active = Exclude<ExchangeState, { phase: 'absent' }>;

const DELIVERED: ExchangeEvent = { type: 'DeliveryMade' };

/** Builds the actor definition of one exchange resource. */
export function exchangeActor(
  config: ExchangeConfig,
): ActorDefinition<ExchangeState, ExchangeCommand, ExchangeEvent, ExchangeReply> {
  return {
    type: config.type,
    initial: { phase: 'absent' },
    decide: (state, command, ctx) => decideExchange(config, state, command, ctx),
    evolve: evolveExchange,
  };
}

export function decideExchange(
  config: ExchangeConfig,
  state: ExchangeState,
  command: ExchangeCommand,
  ctx: DecideContext,
): ExchangeDecision {
  const cb = callbacks(config, ctx.actorId, state.phase === 'absent' ? 0 : state.deliveries);
  switch (command.kind) {
    case 'RequestExchange':
      return decideRequest(config, state, command, cb);
    case 'AnswerExchange':
      return decideAnswer(config, state, command, cb);
    case 'QueryExchange':
      return decideQuery(config, state, command, cb);
    case 'ForwardFailed':
      return decideForwardFailed(config, state, command, cb);
    default:
      return assertNever(command);
  }
}

function decideRequest(
  config: ExchangeConfig,
  state: ExchangeState,
  cmd: RequestExchange,
  cb: Callbacks,
): ExchangeDecision {
  const opened = {
    requester: cmd.requester,
    responder: cmd.responder,
    requestHash: cmd.requestHash,
    request: cmd.relay,
  };
  if (state.phase === 'absent') {
    if (cmd.refusal) {
      return {
        events: [{ type: 'ExchangeRefused', ...opened, refusal: cmd.refusal }, DELIVERED],
        effects: [cb.hubError(cmd.requester, cmd.refusal)],
        reply: { kind: 'refused', error: cmd.refusal },
      };
    }
    return {
      events: [{ type: 'ExchangeRequested', ...opened }, DELIVERED],
      effects: [cb.relay(cmd.responder, cmd.relay, cb.requestMethod, cmd.path, cmd.requester)],
      reply: { kind: 'accepted' },
    };
  }
  if (state.requestHash !== cmd.requestHash && config.newRoundOnChange && !cmd.refusal) {
    return {
      events: [{ type: 'ExchangeReopened', ...opened }, DELIVERED],
      effects: [cb.relay(cmd.responder, cmd.relay, cb.requestMethod, cmd.path, cmd.requester)],
      reply: { kind: 'accepted' },
    };
  }
  if (state.requestHash !== cmd.requestHash) {
    const error = fspiopError(
      '3106',
      `${cb.resource} ${cb.key} was sent before with other content`,
    );
    return {
      events: [DELIVERED],
      effects: [cb.hubError(cmd.requester, error)],
      reply: refused(error),
    };
  }
  if (state.phase === 'refused') return resendRefusal(state, cmd.requester, cb);
  return {
    events: [DELIVERED],
    effects: [cb.relay(state.responder, cmd.relay, cb.requestMethod, cmd.path, cmd.requester)],
    reply: { kind: 'resent' },
  };
}

function decideAnswer(
  config: ExchangeConfig,
  state: ExchangeState,
  cmd: AnswerExchange,
  cb: Callbacks,
): ExchangeDecision {
  if (cmd.refusal) {
    const effect = cb.hubError(cmd.source, cmd.refusal, cmd.answerHash);
    return { events: deliveredIfActive(state), effects: [effect], reply: refused(cmd.refusal) };
  }
  const forward = cb.relay(cmd.destination, cmd.relay, 'PUT', cmd.path, cmd.source, cmd.answerHash);
  if (state.phase === 'absent') {
    // Not seen by this hub (sent to another hub instance before persistence): route it anyway.
    return { events: [], effects: [forward], reply: { kind: 'accepted' } };
  }
  if (state.answer) {
    if (state.answer.answerHash !== cmd.answerHash && !config.relaysEveryAnswer) {
      const error = fspiopError('3106', `${cb.resource} ${cb.key} was answered before`);
      return {
        events: [DELIVERED],
        effects: [cb.hubError(cmd.source, error)],
        reply: refused(error),
      };
    }
    return { events: [DELIVERED], effects: [forward], reply: { kind: 'resent' } };
  }
  const answer = { isError: cmd.isError, answerHash: cmd.answerHash, relay: cmd.relay };
  return {
    events: [{ type: 'ExchangeAnswered', answer }, DELIVERED],
    effects: [forward],
    reply: { kind: 'accepted' },
  };
}

function decideQuery(
  config: ExchangeConfig,
  state: ExchangeState,
  cmd: QueryExchange,
  cb: Callbacks,
): ExchangeDecision {
  if (state.phase === 'refused' && cmd.requester === state.requester) {
    return resendRefusal(state, cmd.requester, cb);
  }
  if (state.phase !== 'absent' && state.answer && cmd.requester === state.requester) {
    const path = `/${cb.resource}/${cb.key}${state.answer.isError ? '/error' : ''}`;
    const resend = cb.relay(cmd.requester, state.answer.relay, 'PUT', path);
    return { events: [DELIVERED], effects: [resend], reply: { kind: 'resent' } };
  }
  const target = cmd.destination ?? (state.phase === 'absent' ? undefined : state.responder);
  if (target === undefined) {
    const error = fspiopError(config.notFoundCode, `${cb.resource} ${cb.key} is not known`);
    return {
      events: [],
      effects: [cb.hubError(cmd.requester, error, 'query')],
      reply: refused(error),
    };
  }
  return {
    events: deliveredIfActive(state),
    effects: [cb.relay(target, cmd.relay, 'GET', cmd.path, cmd.requester, 'query')],
    reply: { kind: 'accepted' },
  };
}

/**
 * A request, answer or query the notifier could not deliver: its sender gets the hub's
 * PUT /{resource}/{ID}/error, as the quoting-service's handleException and the
 * transaction-requests-service's forwardTransactionRequestError send it. The exchange's state
 * does not change: neither service records a failed forward, and a resend is forwarded again.
 */
function decideForwardFailed(
  config: ExchangeConfig,
  state: ExchangeState,
  cmd: ForwardFailed,
  cb: Callbacks,
): ExchangeDecision {
  const error = config.failureError(cmd.failure, cmd.receiver, cb.key);
  const suffix = state.phase === 'absent' ? `failed/${cmd.callbackId}` : 'failed';
  return {
    events: deliveredIfActive(state),
    effects: [cb.hubError(cmd.sender, error, suffix)],
    reply: refused(error),
  };
}

function resendRefusal(state: Active, to: string, cb: Callbacks): ExchangeDecision {
  invariant(state.refusal, 'a refused exchange keeps its refusal');
  return {
    events: [DELIVERED],
    effects: [cb.hubError(to, state.refusal)],
    reply: refused(state.refusal),
  };
}

function refused(error: FspiopError): ExchangeReply {
  return { kind: 'refused', error };
}

function deliveredIfActive(state: ExchangeState): ExchangeEvent[] {
  return state.phase === 'absent' ? [] : [DELIVERED];
}

export function evolveExchange(state: ExchangeState, event: ExchangeEvent): ExchangeState {
  switch (event.type) {
    case 'ExchangeRequested':
    case 'ExchangeRefused': {
      invariant(state.phase === 'absent', `${event.type} opens an exchange`);
      const { type, ...opened } = event;
      return {
        phase: type === 'ExchangeRequested' ? 'requested' : 'refused',
        ...opened,
        deliveries: 0,
      };
    }
    case 'ExchangeReopened': {
      invariant(state.phase !== 'absent', 'only an open exchange is reopened');
      const { type, ...opened } = event;
      return { phase: 'requested', ...opened, deliveries: state.deliveries };
    }
    case 'ExchangeAnswered':
      invariant(state.phase === 'requested', 'only a requested exchange is answered');
      return { ...state, phase: 'answered', answer: event.answer };
    case 'DeliveryMade':
      invariant(state.phase !== 'absent', 'deliveries belong to an exchange');
      return { ...state, deliveries: state.deliveries + 1 };
    default:
      return assertNever(event);
  }
}

type Callbacks = ReturnType<typeof callbacks>;

// Callback ids: resource/key/delivery-number (+ a hash suffix when the state has no counter),
// stable across redeliveries of the command that caused them.
function callbacks(config: ExchangeConfig, key: string, deliveries: number) {
  const id = (suffix?: string) =>
    `${config.resource}/${key}/${deliveries}${suffix ? `/${suffix.slice(0, 24)}` : ''}`;
  const base = {
    endpointType: config.endpointType,
    resource: config.resource,
    params: { ID: key },
  };
  return {
    key,
    resource: config.resource,
    requestMethod: config.requestMethod,
    /** A DFSP's message relayed to `to`; `sender` hears of a failed delivery. */
    relay(
      to: string,
      relay: Relay,
      method: Callback['method'],
      path: string,
      sender?: string,
      suffix?: string,
    ): Effect {
      const callback: Callback = {
        ...base,
        to,
        method,
        path,
        relay,
        id: id(suffix),
        ...(sender === undefined
          ? {}
          : { onFailure: { actor: { type: config.type, key }, sender } }),
      };
      return { kind: 'callback', callback };
    },
    hubError(to: string, error: FspiopError, suffix?: string): Effect {
      const path = `/${config.resource}/${key}/error`;
      const callback: Callback = {
        ...base,
        to,
        method: 'PUT',
        path,
        body: errorBody(error),
        id: id(suffix),
      };
      return { kind: 'callback', callback };
    },
  };
}
