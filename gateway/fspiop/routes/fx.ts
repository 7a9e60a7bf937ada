// The FSPIOP v2.0 foreign-exchange routes (fspiop.md §10, payer-DFSP conversion):
// - GET /services/FXP[/{SourceCurrency}/{TargetCurrency}]: the FXPs, read from the participant
//   directory (an FXP is an active participant with a FSPIOP_CALLBACK_URL_FX_QUOTES endpoint and
//   active POSITION accounts in both currencies), answered by the FxServices actor's callback;
// - /fxQuotes: a relayed exchange held by the ConversionRequest actor, like /quotes;
// - /fxTransfers: the FxTransfer actor. The gateway stamps the FXP's directory facts on the
//   prepare, so the actor decides from the message alone (as transfers do with the payee).
// Every request answers 202 (POST, GET) or 200 (PUT) once its command is durably published.

import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import {
  CONVERSION_REQUEST_ACTOR_TYPE,
  FX_QUOTES_ENDPOINT,
} from '../../../actors/conversion-request/index.ts';
import {
  type AnswerFxpServices,
  FX_SERVICES_ACTOR_TYPE,
} from '../../../actors/fx-services/index.ts';
import {
  type FulfilFxTransfer,
  FX_TRANSFER_ACTOR_TYPE,
  type FxpFacts,
  type GetFxTransfer,
  type PrepareFxTransfer,
  type RejectFxTransfer,
} from '../../../actors/fx-transfer/index.ts';
import type { ParticipantDirectoryEntry } from '../../../actors/participant/directory.ts';
import { Currency, ErrorInformationObject } from '../../../schema/fspiop/common.ts';
import type { FspiopError } from '../../../schema/fspiop/errors.ts';
import {
  FxQuotesIDPutResponse,
  FxQuotesPostRequest,
  FxTransfersIDPutResponse,
  type FxTransfersPostRequest,
  FxTransfersPostRequest as FxTransfersPostSchema,
} from '../../../schema/fspiop/fx.ts';
import { parseFspiopAmount } from '../../../schema/money.ts';
import { parseBody, validate } from '../body.ts';
import type { FspiopDeps } from '../deps.ts';
import { type FspiopEnv, fspiopHeaders } from '../headers.ts';
import { FspiopHttpError } from '../problem.ts';
import { captureRelay } from '../relay.ts';
import {
  type ExchangeRoutesSpec,
  exchangeCallbackRoutes,
  exchangeQueryRoute,
  openExchange,
  parseExchangeBody,
} from './exchanges.ts';
import {
  destinationRefusal,
  participantOf,
  pathCorrelationId,
  referenceHeaderRules,
  requireKnownSource,
} from './facts.ts';
import { nowOption } from './parties.ts';

const FX_QUOTES: ExchangeRoutesSpec = {
  actorType: CONVERSION_REQUEST_ACTOR_TYPE,
  resource: 'fxQuotes',
  endpointType: FX_QUOTES_ENDPOINT,
  answerSchema: FxQuotesIDPutResponse,
  rejectAcceptOnPut: false,
  service: 'quoting',
};

type FxCommand = PrepareFxTransfer | FulfilFxTransfer | RejectFxTransfer | GetFxTransfer;

export function fxRoutes(deps: FspiopDeps): Hono {
  const app = new Hono<FspiopEnv>();
  app.route('/', servicesRoutes(deps));
  app.route('/', fxQuotesRoutes(deps));
  app.route('/', fxTransfersRoutes(deps));
  return app as unknown as Hono;
}

/** An FXP for the pair: active, an FX quotes endpoint, active POSITION accounts in both. */
export function isFxpFor(entry: ParticipantDirectoryEntry, source?: string, target?: string) {
  if (!entry.isActive || !entry.endpoints[FX_QUOTES_ENDPOINT]) return false;
  const active = (currency: string) => entry.currencies[currency]?.positionAccountActive === true;
  const currencies = Object.keys(entry.currencies).filter(active);
  if (source === undefined || target === undefined) return currencies.length >= 2;
  return source !== target && active(source) && active(target);
}

function servicesRoutes(deps: FspiopDeps): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('services');
  const answer = async (c: Context<FspiopEnv>, pair?: { source: string; target: string }) => {
    const requester = c.var.fspiop.source;
    requireKnownSource(deps, requester);
    const providers = deps.directory
      .entries<ParticipantDirectoryEntry>('participant')
      .filter(({ key, value }) => key !== requester && isFxpFor(value, pair?.source, pair?.target))
      .map(({ key }) => key)
      .sort();
    const command: AnswerFxpServices = {
      kind: 'AnswerFxpServices',
      requester,
      path: pair ? `/services/FXP/${pair.source}/${pair.target}` : '/services/FXP',
      providers,
    };
    await deps.bus.send({ type: FX_SERVICES_ACTOR_TYPE, key: requester }, command, nowOption(deps));
    return c.body(null, 202);
  };
  app.get('/services/FXP', headers, (c) => answer(c));
  app.get('/services/FXP/:source/:target', headers, (c) => {
    const source = validate(Currency, c.req.param('source'), '/params/SourceCurrency');
    const target = validate(Currency, c.req.param('target'), '/params/TargetCurrency');
    return answer(c, { source, target });
  });
  return app;
}

function fxQuotesRoutes(deps: FspiopDeps): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('fxQuotes', { destinationRequired: true });
  app.post('/fxQuotes', referenceHeaderRules('fxQuotes'), headers, async (c) => {
    const req = c.get('fspiop');
    requireKnownSource(deps, req.source);
    const body = await parseExchangeBody(c, FX_QUOTES, FxQuotesPostRequest);
    const { conversionRequestId, conversionTerms } = body.value;
    const fxp = req.destination ?? '';
    const refusal =
      destinationRefusal(deps, fxp, FX_QUOTES_ENDPOINT, conversionTerms.sourceAmount.currency) ??
      destinationRefusal(deps, fxp, FX_QUOTES_ENDPOINT, conversionTerms.targetAmount.currency);
    return openExchange(c, deps, FX_QUOTES, {
      key: conversionRequestId,
      bodyText: body.text,
      hashed: body.text,
      ...(refusal ? { refusal } : {}),
    });
  });
  app.route('/', exchangeCallbackRoutes(deps, FX_QUOTES));
  app.route('/', exchangeQueryRoute(deps, FX_QUOTES));
  return app;
}

function fxTransfersRoutes(deps: FspiopDeps): Hono<FspiopEnv> {
  const routes = new Hono<FspiopEnv>();
  const headers = fspiopHeaders('fxTransfers');
  const send = (c: Context, command: FxCommand) =>
    deps.bus.send({ type: FX_TRANSFER_ACTOR_TYPE, key: command.commitRequestId }, command, {
      ...nowOption(deps),
      ...traceOf(c),
    });

  routes.post('/fxTransfers', headers, async (c) => {
    const { text, value } = await parseBody(c, FxTransfersPostSchema);
    const { destination, source } = c.var.fspiop;
    if (destination !== undefined && destination !== value.counterPartyFsp) {
      throw new FspiopHttpError('3100', 'FSPIOP-Destination header should match counterPartyFsp');
    }
    await send(c, prepareCommand(deps, source, text, value, captureRelay(c, text).headers));
    return c.body(null, 202);
  });

  routes.put('/fxTransfers/:id', headers, async (c) => {
    const commitRequestId = pathCorrelationId(c);
    const { text, value } = await parseBody(c, FxTransfersIDPutResponse);
    const { source, destination } = c.var.fspiop;
    await send(c, {
      kind: 'FulfilFxTransfer',
      commitRequestId,
      source,
      ...(destination === undefined ? {} : { destination }),
      requestHash: sha256(text),
      conversionState: value.conversionState,
      ...(value.fulfilment === undefined ? {} : { fulfilment: value.fulfilment }),
      ...(value.completedTimestamp === undefined
        ? {}
        : { completedTimestamp: value.completedTimestamp }),
      relay: { headers: captureRelay(c).headers, body: text },
    });
    return c.body(null, 200);
  });

  routes.put('/fxTransfers/:id/error', headers, async (c) => {
    const commitRequestId = pathCorrelationId(c);
    const { text, value } = await parseBody(c, ErrorInformationObject);
    const { errorCode, errorDescription, extensionList } = value.errorInformation;
    const errorInformation: FspiopError = {
      errorCode,
      errorDescription,
      ...(extensionList === undefined ? {} : { extensionList }),
    };
    await send(c, {
      kind: 'RejectFxTransfer',
      commitRequestId,
      source: c.var.fspiop.source,
      requestHash: sha256(`error:${text}`),
      errorInformation,
      relay: { headers: captureRelay(c).headers, body: text },
    });
    return c.body(null, 200);
  });

  routes.get('/fxTransfers/:id', headers, async (c) => {
    const commitRequestId = pathCorrelationId(c);
    await send(c, { kind: 'GetFxTransfer', commitRequestId, source: c.var.fspiop.source });
    return c.body(null, 202);
  });
  return routes;
}

function prepareCommand(
  deps: FspiopDeps,
  source: string,
  text: string,
  body: FxTransfersPostRequest,
  headers: Readonly<Record<string, string>>,
): PrepareFxTransfer {
  return {
    kind: 'PrepareFxTransfer',
    commitRequestId: body.commitRequestId,
    determiningTransferId: body.determiningTransferId ?? '',
    source,
    requestHash: sha256(text),
    payerFsp: body.initiatingFsp,
    fxpFsp: body.counterPartyFsp,
    sourceCurrency: body.sourceAmount.currency,
    sourceAmountMinor: minorOf(body.sourceAmount.amount),
    targetCurrency: body.targetAmount.currency,
    targetAmountMinor: minorOf(body.targetAmount.amount),
    condition: body.condition,
    expiresAtMs: Date.parse(body.expiration),
    fxp: fxpFacts(deps, body),
    relay: { headers, body: text },
  };
}

/** The FXP as the directory shows it now; stamped on the command (see the module comment). */
export function fxpFacts(deps: FspiopDeps, body: FxTransfersPostRequest): FxpFacts {
  const entry = participantOf(deps, body.counterPartyFsp);
  if (entry === undefined) return null;
  const active = (currency: string) => entry.currencies[currency]?.positionAccountActive === true;
  return {
    isActive: entry.isActive,
    sourceAccountActive: active(body.sourceAmount.currency),
    targetAccountActive: active(body.targetAmount.currency),
  };
}

function minorOf(amount: string): bigint {
  const parsed = parseFspiopAmount(amount);
  // The schema's Amount pattern already guarantees this parses.
  if (!parsed.ok) throw new FspiopHttpError('3100', parsed.reason);
  return parsed.minor;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function traceOf(c: Context): { traceparent?: string } {
  const traceparent = c.req.header('traceparent');
  return traceparent === undefined ? {} : { traceparent };
}
