// The ALS oracle admin API on the Admin port (fspiop.md §8.3): GET/POST /oracles,
// PUT/DELETE /oracles/{ID}. Bodies and answers follow the ALS so TTK provisioning runs unchanged
// (POST ⇒ 201, PUT/DELETE ⇒ 204, GET ⇒ the list, filterable by type and currency).
// mkondo extension: `external: true` makes the hub call the oracle over HTTP for lookups and
// registrations of that id type; without it the registration is only recorded and the built-in
// oracle answers (TTK registers oracles at simulators mkondo does not run).

import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import type { ActorRef } from '../../actors/actor.ts';
import {
  ORACLE_REGISTRY_ACTOR_TYPE,
  ORACLE_REGISTRY_KEY,
  type OracleRecord,
  type OracleRegistryReply,
  type OracleRegistryState,
  type OracleTerms,
} from '../../actors/oracle-registry/index.ts';
import type { CommandBus, StateReader } from '../../runtime/bus.ts';
import { CURRENCIES } from '../../schema/fspiop/common.ts';
import {
  errorBody,
  type FspiopError,
  fspiopError,
  httpStatusFor,
} from '../../schema/fspiop/errors.ts';
import { PARTY_ID_TYPES } from '../../schema/fspiop/parties.ts';
import { requestText } from '../fspiop/body.ts';

/** Structural subset of AdminDeps (gateway/admin/app.ts) that this module uses. */
export type OracleAdminDeps = {
  readonly bus: CommandBus;
  readonly reader: StateReader;
  readonly nowMs?: () => number;
};

const REGISTRY: ActorRef = { type: ORACLE_REGISTRY_ACTOR_TYPE, key: ORACLE_REGISTRY_KEY };

const OracleBody = v.object({
  oracleIdType: v.picklist(PARTY_ID_TYPES),
  endpoint: v.object({
    value: v.pipe(v.string(), v.minLength(1)),
    endpointType: v.picklist(['URL']),
  }),
  currency: v.optional(v.picklist(CURRENCIES)),
  isDefault: v.optional(v.boolean()),
  external: v.optional(v.boolean()),
});

function fail(error: FspiopError): Response {
  return new Response(JSON.stringify(errorBody(error)), {
    status: httpStatusFor(error.errorCode),
    headers: { 'content-type': 'application/json' },
  });
}

async function readTerms(c: Context): Promise<OracleTerms | Response> {
  let json: unknown;
  try {
    json = JSON.parse(await requestText(c));
  } catch {
    return fail(fspiopError('3101', 'request body is not valid JSON'));
  }
  const parsed = v.safeParse(OracleBody, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = (issue?.path ?? []).map((p) => String(p.key)).join('/');
    return fail(fspiopError('3100', `/requestBody/${path} is invalid`));
  }
  const { oracleIdType, endpoint, currency, isDefault, external } = parsed.output;
  return {
    oracleIdType,
    endpoint,
    ...(currency ? { currency } : {}),
    isDefault: isDefault ?? false,
    external: external ?? false,
  };
}

/** The record as the ALS lists it (plus the mkondo `external` flag). */
function present(oracle: OracleRecord) {
  return {
    oracleId: oracle.oracleId,
    oracleIdType: oracle.oracleIdType,
    endpoint: oracle.endpoint,
    currency: oracle.currency,
    isDefault: oracle.isDefault,
    external: oracle.external,
  };
}

/** Oracle ids are the registry's counter (1, 2, ...); anything else names no oracle. */
function oracleId(text: string): string | Response {
  return /^[1-9][0-9]{0,9}$/.test(text)
    ? text
    : fail(fspiopError('3101', '/params/ID must be a positive integer'));
}

function replyResponse(reply: OracleRegistryReply, success: ContentfulStatusCode | 204): Response {
  if (reply.kind === 'refused') return fail(reply.error);
  return new Response(null, { status: success });
}

export function oraclesRoutes(deps: OracleAdminDeps): Hono {
  const app = new Hono();
  const options = () => (deps.nowMs ? { nowMs: deps.nowMs() } : {});

  app.get('/oracles', async (c) => {
    const state = await deps.reader.get<OracleRegistryState>(REGISTRY);
    const type = c.req.query('type');
    const currency = c.req.query('currency');
    const oracles = (state?.oracles ?? []).filter(
      (o) =>
        (type === undefined || o.oracleIdType === type) &&
        (currency === undefined || o.currency === currency),
    );
    return c.json(oracles.map(present));
  });

  app.post('/oracles', async (c) => {
    const terms = await readTerms(c);
    if (terms instanceof Response) return terms;
    const reply = await deps.bus.request<OracleRegistryReply>(
      REGISTRY,
      { kind: 'CreateOracle', terms },
      options(),
    );
    return replyResponse(reply, 201);
  });

  app.put('/oracles/:id', async (c) => {
    const terms = await readTerms(c);
    if (terms instanceof Response) return terms;
    const id = oracleId(c.req.param('id'));
    if (id instanceof Response) return id;
    const command = { kind: 'UpdateOracle', oracleId: id, terms };
    return replyResponse(
      await deps.bus.request<OracleRegistryReply>(REGISTRY, command, options()),
      204,
    );
  });

  app.delete('/oracles/:id', async (c) => {
    const id = oracleId(c.req.param('id'));
    if (id instanceof Response) return id;
    const command = { kind: 'DeleteOracle', oracleId: id };
    return replyResponse(
      await deps.bus.request<OracleRegistryReply>(REGISTRY, command, options()),
      204,
    );
  });
  return app;
}
