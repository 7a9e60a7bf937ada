// The FxServices actor (key = the requesting DFSP): answers GET /services/FXP with the callback
// PUT /services/FXP[/{SourceCurrency}/{TargetCurrency}] listing the FXPs. The gateway reads the
// providers from the participant directory and stamps them on the command (as it stamps payee
// facts on a prepare), so the answer is a pure function of the message and the actor keeps no
// state. The callback goes to the requester's FSPIOP_CALLBACK_URL_FX_QUOTES base URL, the FX
// endpoint every FX-capable DFSP registers; a requester without one gets nothing (as for any
// callback without an endpoint, the notifier logs it).

import { errorBody, type FspiopError } from '../../schema/fspiop/errors.ts';
import type { ActorDefinition, DecideContext, Decision } from '../actor.ts';
import type { Callback } from '../callback.ts';

export const FX_SERVICES_ACTOR_TYPE = 'fx-services';
const FX_QUOTES_ENDPOINT = 'FSPIOP_CALLBACK_URL_FX_QUOTES';

export type AnswerFxpServices = {
  readonly kind: 'AnswerFxpServices';
  readonly requester: string;
  /** `/services/FXP` or `/services/FXP/{SourceCurrency}/{TargetCurrency}`. */
  readonly path: string;
  /** FXPs able to convert (active, FX endpoint, active POSITION accounts), by name. */
  readonly providers: readonly string[];
  /** Set by the gateway when the request cannot be answered with a list. */
  readonly error?: FspiopError;
};

type FxServicesState = { readonly phase: 'absent' };
/** The actor records nothing: every answer is computed afresh from its command. */
type FxServicesEvent = { readonly type: 'none' };
type FxServicesReply = { readonly kind: 'accepted' };

function decideFxServices(
  _state: FxServicesState,
  cmd: AnswerFxpServices,
  ctx: DecideContext,
): Decision<FxServicesEvent, FxServicesReply> {
  const callback: Callback = {
    to: cmd.requester,
    endpointType: FX_QUOTES_ENDPOINT,
    params: {},
    method: 'PUT',
    path: cmd.error ? `${cmd.path}/error` : cmd.path,
    resource: 'services',
    version: '2.0',
    body: cmd.error ? errorBody(cmd.error) : { providers: cmd.providers },
    id: `services/${cmd.requester}/${ctx.nowMs}`,
  };
  return { events: [], effects: [{ kind: 'callback', callback }], reply: { kind: 'accepted' } };
}

export const fxServicesActor: ActorDefinition<
  FxServicesState,
  AnswerFxpServices,
  FxServicesEvent,
  FxServicesReply
> = {
  type: FX_SERVICES_ACTOR_TYPE,
  initial: { phase: 'absent' },
  decide: decideFxServices,
  evolve: (state) => state,
};
