// Quotes, transaction requests and authorizations: relayed exchanges held by one actor per id
// (actors/quote/exchange.ts). The gateway validates headers and body, stamps what the actor
// cannot know (can the destination take it: 3201), hashes the body for duplicate detection and
// answers 202 (requests) or 200 (callbacks) once the command is published.

import type { Context } from 'hono';
import { Hono } from 'hono';
import * as v from 'valibot';
import type { FspiopResource } from '../../../actors/callback.ts';
import type { ExchangeCommand } from '../../../actors/quote/exchange-types.ts';
import { ErrorInformationObject } from '../../../schema/fspiop/common.ts';
import type { FspiopCode, FspiopError } from '../../../schema/fspiop/errors.ts';
import { describeIssue, type ParsedBody, readJsonBody } from '../body.ts';
import type { FspiopDeps } from '../deps.ts';
import { type FspiopEnv, type FspiopRequest, fspiopHeaders } from '../headers.ts';
import { FspiopHttpError } from '../problem.ts';
import { captureRelay } from '../relay.ts';
import {
  destinationRefusal,
  pathCorrelationId,
  referenceHeaderRules,
  requireKnownSource,
  sha256,
} from './facts.ts';
import { nowOption } from './parties.ts';

type Ctx = Context<FspiopEnv>;

/** A path `{ID}` of the transaction-requests-service: URL-safe characters, at most 128. */
const TRS_PATH_ID = /^[A-Za-z0-9\-._~!$&'()*+,;=:@{}]{1,128}$/;

/**
 * The `{ID}` of an exchange path, the actor's key. The quoting-service's is a CorrelationId (UUID
 * or ULID). The transaction-requests-service declares its path `ID` a plain string
 * (src/interface/openapi.yaml, `parameters.ID.schema: {type: string}`) and forwards whatever it
 * is given (domain/transactionRequests forwardTransactionRequest), so for transactionRequests and
 * authorizations any URL-safe id is taken (bounded: it becomes a key and a callback path).
 */
export function exchangePathId(c: Ctx, spec: ExchangeRoutesSpec): string {
  if (spec.service !== 'transaction-requests') return pathCorrelationId(c);
  const id = c.req.param('id') ?? '';
  if (TRS_PATH_ID.test(id)) return id;
  throw new FspiopHttpError('3100', '/params/ID must be 1 to 128 URL-safe characters');
}

export type ExchangeRoutesSpec = {
  readonly actorType: string;
  readonly resource: FspiopResource;
  readonly endpointType: string;
  /** Schema of the answer (PUT /{resource}/{ID}). */
  readonly answerSchema: v.GenericSchema;
  /** Callbacks (PUT) must not carry Accept (quoting-service rule: 3100). */
  readonly rejectAcceptOnPut: boolean;
  /** Whose body-validation codes to mirror (see bodyIssueCode). */
  readonly service: 'quoting' | 'transaction-requests';
};

/**
 * The error code of a body-validation issue, as the reference service answers it: the
 * quoting-service answers a value of the wrong JSON type with 3101; the
 * transaction-requests-service answers a missing required property with 3102; else 3100.
 */
function bodyIssueCode(
  service: ExchangeRoutesSpec['service'],
  issue: v.BaseIssue<unknown> | undefined,
): FspiopCode {
  if (issue === undefined || issue.kind !== 'schema') return '3100';
  if (service === 'transaction-requests' && issue.input === undefined) return '3102';
  const wrongType = ['object', 'string', 'array', 'number', 'boolean'].includes(issue.type);
  if (service === 'quoting' && issue.input !== undefined && wrongType) return '3101';
  return '3100';
}

/** Reads and validates an exchange body (3101 malformed JSON, else bodyIssueCode). */
export async function parseExchangeBody<S extends v.GenericSchema>(
  c: Ctx,
  spec: ExchangeRoutesSpec,
  schema: S,
): Promise<ParsedBody<v.InferOutput<S>>> {
  const body = await readJsonBody(c);
  const result = v.safeParse(schema, body.value, { abortEarly: true });
  if (result.success) return { text: body.text, value: result.output };
  const issue = result.issues[0];
  const detail = issue ? describeIssue(issue, '/requestBody') : '/requestBody is invalid';
  throw new FspiopHttpError(bodyIssueCode(spec.service, issue), detail);
}

function requireDestination(req: FspiopRequest): string {
  if (req.destination === undefined) {
    throw new FspiopHttpError('3102', "/header must have required property 'fspiop-destination'");
  }
  return req.destination;
}

async function publish(
  deps: FspiopDeps,
  spec: ExchangeRoutesSpec,
  key: string,
  command: ExchangeCommand,
) {
  await deps.bus.send({ type: spec.actorType, key }, command, nowOption(deps));
}

/** The opening request: stamps the destination check and the body hash. */
export async function openExchange(
  c: Ctx,
  deps: FspiopDeps,
  spec: ExchangeRoutesSpec,
  opening: { key: string; bodyText?: string; hashed: string; refusal?: FspiopError },
): Promise<Response> {
  const req = c.get('fspiop');
  const responder = requireDestination(req);
  const refusal = opening.refusal ?? destinationRefusal(deps, responder, spec.endpointType);
  await publish(deps, spec, opening.key, {
    kind: 'RequestExchange',
    requester: req.source,
    responder,
    requestHash: sha256(opening.hashed),
    relay: captureRelay(c, opening.bodyText),
    path: pathWithQuery(c),
    ...(refusal ? { refusal } : {}),
  });
  return c.body(null, 202);
}

function pathWithQuery(c: Ctx): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

/** PUT /{resource}/{ID} and PUT /{resource}/{ID}/error, GET /{resource}/{ID}. */
export function exchangeCallbackRoutes(
  deps: FspiopDeps,
  spec: ExchangeRoutesSpec,
): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const headers = fspiopHeaders(spec.resource);
  const guard = referenceHeaderRules(spec.resource);
  for (const isError of [true, false]) {
    app.put(`/${spec.resource}/:id${isError ? '/error' : ''}`, guard, headers, async (c) => {
      const key = exchangePathId(c, spec);
      const req = c.get('fspiop');
      if (spec.rejectAcceptOnPut && c.req.header('accept') !== undefined) {
        throw new FspiopHttpError('3100', 'accept header is not allowed on a callback');
      }
      requireKnownSource(deps, req.source);
      const destination = requireDestination(req);
      const schema = isError ? ErrorInformationObject : spec.answerSchema;
      const body = await parseExchangeBody(c, spec, schema);
      const known = destinationRefusal(deps, destination, spec.endpointType);
      await publish(deps, spec, key, {
        kind: 'AnswerExchange',
        source: req.source,
        destination,
        isError,
        answerHash: sha256(`${isError ? 'error' : 'answer'}:${body.text}`),
        relay: captureRelay(c, body.text),
        path: c.req.path,
        ...(known ? { refusal: known } : {}),
      });
      return c.body(null, 200);
    });
  }
  return app;
}

export function exchangeQueryRoute(deps: FspiopDeps, spec: ExchangeRoutesSpec): Hono<FspiopEnv> {
  const app = new Hono<FspiopEnv>();
  const guard = referenceHeaderRules(spec.resource);
  app.get(`/${spec.resource}/:id`, guard, fspiopHeaders(spec.resource), async (c) => {
    const key = exchangePathId(c, spec);
    const req = c.get('fspiop');
    requireKnownSource(deps, req.source);
    const usable =
      req.destination !== undefined &&
      destinationRefusal(deps, req.destination, spec.endpointType) === undefined;
    await publish(deps, spec, key, {
      kind: 'QueryExchange',
      requester: req.source,
      relay: captureRelay(c),
      path: pathWithQuery(c),
      ...(usable && req.destination !== undefined ? { destination: req.destination } : {}),
    });
    return c.body(null, 202);
  });
  return app;
}
