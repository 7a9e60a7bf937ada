// Turns the final outcome of an undelivered relayed callback into the ForwardFailed command its
// owning actor receives (actors/contracts/forward-failure.ts), so that the DFSP that sent the
// message hears of it instead of waiting for its own timeout. Hub-originated callbacks have no
// sender to tell; an `expired` outcome is left to the owner's own expiry. The report says whether
// the receiver may have the message after all, which a transfer's reservation depends on.

import type { Callback } from '../../actors/callback.ts';
import type { ForwardFailed, ForwardFailure } from '../../actors/contracts/forward-failure.ts';
import type { DeliveryOutcome } from './core.ts';

/** The failure an outcome reports, or undefined when there is nothing to report. */
export function forwardFailureOf(
  outcome: DeliveryOutcome,
  endpointType: string,
): ForwardFailure | undefined {
  switch (outcome.kind) {
    case 'refused':
      return outcome.error === undefined
        ? { kind: 'refused', status: outcome.status }
        : { kind: 'refused', status: outcome.status, error: outcome.error };
    case 'failed':
      return { kind: 'unreachable', last: outcome.last };
    case 'no_participant':
      return { kind: 'unroutable', reason: 'no endpoints found' };
    case 'no_endpoint':
      return { kind: 'unroutable', reason: `no ${endpointType} endpoint` };
    case 'missing_param':
    case 'invalid_url':
      return { kind: 'unroutable', reason: `no usable ${endpointType} endpoint` };
    default:
      return undefined;
  }
}

/**
 * The command for the owning actor, when `callback` is relayed and its outcome a failure.
 * `redelivered`: the OUT message came back (another notifier may have sent it already).
 */
export function forwardFailedCommand(
  callback: Callback,
  outcome: DeliveryOutcome,
  redelivered: boolean,
): ForwardFailed | undefined {
  if (callback.onFailure === undefined) return undefined;
  const failure = forwardFailureOf(outcome, callback.endpointType);
  if (failure === undefined) return undefined;
  // Any attempt before the final one may have reached the receiver, whatever it answered.
  const earlierAttempts = 'attempts' in outcome && outcome.attempts > 1;
  return {
    kind: 'ForwardFailed',
    sender: callback.onFailure.sender,
    receiver: callback.to,
    callbackId: callback.id,
    params: callback.params,
    endpointType: callback.endpointType,
    failure,
    possiblyDelivered: redelivered || earlierAttempts,
  };
}
