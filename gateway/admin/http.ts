// Shared plumbing of the Admin API routes: Mojaloop-shaped errors as thrown values, body parsing
// with valibot (bad JSON 3101; missing element 3102; wrong type/format 3101; other rules 3100,
// as central-services-error-handling maps Joi errors), and the deps every route receives.

import type { Context } from 'hono';
import * as v from 'valibot';
import type { HubSettings } from '../../actors/actor.ts';
import type { CommandBus, Directory, StateReader } from '../../runtime/bus.ts';
import { PARTICIPANT_NAME, SETTLEMENT_MODEL_NAME, TransferId } from '../../schema/admin/bodies.ts';
import type { FspiopCode, FspiopError } from '../../schema/fspiop/errors.ts';
import { requestText } from '../fspiop/body.ts';
import type { EdgeLimits } from '../fspiop/edge.ts';
import { FspiopHttpError } from '../fspiop/problem.ts';
import type { ServiceProbe } from '../health.ts';
import type { AdminSecurity } from './access.ts';

import type { PositionHistorySource } from './position-history.ts';

export type AdminDeps = {
  readonly bus: CommandBus;
  readonly reader: StateReader;
  /** The gateway's participant directory, refreshed after each write; optional in tests. */
  readonly directory?: Directory;
  readonly hub: HubSettings;
  /** Operators, roles, maker-checker and the audit record (gateway/admin/access.ts). */
  readonly security?: AdminSecurity;
  /** When set, every request but /health needs `Authorization: Bearer <adminToken>`. */
  readonly adminToken?: string;
  readonly nowMs?: () => number;
  /** Dependencies reported by GET /health (broker, datastore); none in in-process tests. */
  readonly health?: readonly ServiceProbe[];
  /** Body limit and request timeout; default EDGE_DEFAULTS. */
  readonly edge?: EdgeLimits;
  /** A participant's ledger movements (position-history.ts); absent: the route is not served. */
  readonly positionHistory?: PositionHistorySource;
};

export function adminError(code: FspiopCode, detail?: string): FspiopHttpError {
  return new FspiopHttpError(code, detail);
}

/** Unwraps an actor's admin reply, throwing its error for the app's error handler. */
export function expectOk<R extends { ok: boolean }>(reply: R): Extract<R, { ok: true }> {
  if (!reply.ok) throw new FspiopHttpError((reply as unknown as { error: FspiopError }).error);
  return reply as Extract<R, { ok: true }>;
}

export async function parseBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
): Promise<v.InferOutput<S>> {
  let json: unknown;
  try {
    json = JSON.parse(await requestText(c));
  } catch {
    throw adminError('3101', 'Invalid JSON body');
  }
  const result = v.safeParse(schema, json);
  if (result.success) return result.output;
  throw issueError(result.issues[0]);
}

function issueError(issue: v.BaseIssue<unknown> | undefined): FspiopHttpError {
  if (!issue) return adminError('3100', 'invalid body');
  const path = v.getDotPath(issue) ?? 'body';
  if (issue.input === undefined) return adminError('3102', `"${path}" is required`);
  // A `check` in schema/admin/bodies.ts is a format rule (transferId is a UUID or a ULID): Joi's
  // string.guid there, which central-ledger answers with 3101.
  const formatKinds = [
    'string',
    'number',
    'boolean',
    'object',
    'array',
    'picklist',
    'regex',
    'check',
  ];
  const code = formatKinds.includes(issue.type) || issue.kind === 'schema' ? '3101' : '3100';
  return adminError(code, `"${path}" ${issue.message}`);
}

function pathParam<S extends v.GenericSchema>(c: Context, name: string, schema: S) {
  const result = v.safeParse(schema, c.req.param(name));
  if (result.success) return result.output as v.InferOutput<S>;
  throw adminError('3101', `"${name}" ${result.issues[0]?.message ?? 'is invalid'}`);
}

const participantName = v.pipe(
  v.string(),
  v.regex(
    PARTICIPANT_NAME,
    "must be 2 to 30 letters or digits, optionally joined by '-', '_' or '.'",
  ),
);

/** The `{name}` of a participant path: a name the Admin API could have created, or the hub's. */
export function nameParam(c: Context, deps: Pick<AdminDeps, 'hub'>): string {
  const name = c.req.param('name');
  return name === deps.hub.hubName ? name : pathParam(c, 'name', participantName);
}

/** The `{name}` of a settlement model path. */
export function modelNameParam(c: Context): string {
  const message = 'must be 2 to 30 letters or digits';
  return pathParam(c, 'name', v.pipe(v.string(), v.regex(SETTLEMENT_MODEL_NAME, message)));
}

/** The `{transferId}` of a funds-out path: a UUID or a ULID. */
export function transferIdParam(c: Context): string {
  return pathParam(c, 'transferId', TransferId);
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** Mojaloop returns MySQL tinyints for flags: 1 or 0. */
export function flag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}
