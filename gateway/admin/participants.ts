// Admin routes for participants: create (or add a currency), list, read, (de)activate, hub
// accounts, endpoints. Writes are requests to the Participant actor (serialised with that DFSP's
// position checks); reads come from snapshots. Shapes and codes follow central-ledger.

import { Hono } from 'hono';
import { PARTICIPANT_ACTOR_TYPE } from '../../actors/participant/directory.ts';
import type { LedgerAccountType } from '../../actors/participant/ledger.ts';
import type { AdminCommand, AdminReply } from '../../actors/participant/messages.ts';
import {
  EndpointBody,
  HubAccountBody,
  IsActiveBody,
  ParticipantCreateBody,
} from '../../schema/admin/bodies.ts';
import { FspiopHttpError } from '../fspiop/problem.ts';
import { applySettlementModels } from '../settlement/apply-models.ts';
import { type AdminDeps, expectOk, nameParam, parseBody } from './http.ts';
import { chooseParticipantId } from './ids.ts';
import {
  allParticipants,
  allSettlementModels,
  endpointViews,
  participantView,
  requireHubAccounts,
  requireParticipant,
} from './views.ts';

export async function participantCommand(
  deps: AdminDeps,
  name: string,
  command: AdminCommand,
): Promise<Extract<AdminReply, { ok: true }>> {
  const ref = { type: PARTICIPANT_ACTOR_TYPE, key: name };
  const reply = await deps.bus.request<AdminReply>(ref, command, nowOption(deps));
  // The reply comes after the directory entry is published; reading it back makes the change
  // (deactivation, endpoints) effective for this gateway's very next FSPIOP request.
  await deps.directory?.refresh?.(PARTICIPANT_ACTOR_TYPE, name);
  return expectOk(reply);
}

export function nowOption(deps: AdminDeps): { nowMs?: number } {
  return deps.nowMs ? { nowMs: deps.nowMs() } : {};
}

function baseUrl(url: string): string {
  return new URL(url).origin;
}

// The accounts a new currency gets: those of the models for that currency, else the default's.
async function accountTypesFor(deps: AdminDeps, currency: string): Promise<LedgerAccountType[]> {
  const models = await allSettlementModels(deps);
  let applicable = models.filter((m) => m.currency === currency);
  if (applicable.length === 0) applicable = models.filter((m) => m.currency === undefined);
  if (applicable.length === 0) throw new FspiopHttpError(SETTLEMENT_MODEL_MISSING);
  const types = applicable.flatMap((m) => [m.ledgerAccountType, m.settlementAccountType]);
  return [...new Set(types)];
}

// 6000 is a settlement code outside the FSPIOP catalogue; central-ledger answers it here.
const SETTLEMENT_MODEL_MISSING = {
  errorCode: '6000',
  errorDescription:
    'Generic settlement error - Unable to find a matching or default, Settlement Model',
};

export function participantsRoutes(deps: AdminDeps): Hono {
  const app = new Hono();

  app.get('/participants', async (c) => {
    const origin = baseUrl(c.req.url);
    return c.json((await allParticipants(deps)).map((p) => participantView(p, origin)));
  });

  app.post('/participants', async (c) => {
    const body = await parseBody(c, ParticipantCreateBody);
    await requireHubAccounts(deps, body.currency);
    const accountTypes = await accountTypesFor(deps, body.currency);
    const existing = (await allParticipants(deps)).map((state) => ({ key: state.name, state }));
    await participantCommand(deps, body.name, {
      kind: 'CreateParticipant',
      participantId: chooseParticipantId(body.name, existing),
      currency: body.currency,
      isProxy: body.isProxy ?? false,
      accountTypes,
    });
    await applySettlementModels(deps, [body.name]);
    const created = await requireParticipant(deps, body.name);
    return c.json(participantView(created, baseUrl(c.req.url)), 201);
  });

  app.get('/participants/:name', async (c) => {
    const p = await requireParticipant(deps, nameParam(c, deps));
    return c.json(participantView(p, baseUrl(c.req.url)));
  });

  app.put('/participants/:name', async (c) => {
    const name = nameParam(c, deps);
    const body = await parseBody(c, IsActiveBody);
    await participantCommand(deps, name, { kind: 'SetParticipantActive', isActive: body.isActive });
    return c.json(participantView(await requireParticipant(deps, name), baseUrl(c.req.url)));
  });

  app.post('/participants/:name/accounts', async (c) => {
    const name = nameParam(c, deps);
    const body = await parseBody(c, HubAccountBody);
    await participantCommand(deps, name, {
      kind: 'AddHubAccount',
      ledgerAccountType: body.type,
      currency: body.currency,
    });
    return c.json(participantView(await requireParticipant(deps, name), baseUrl(c.req.url)), 201);
  });

  app.post('/participants/:name/endpoints', async (c) => {
    const body = await parseBody(c, EndpointBody);
    await participantCommand(deps, nameParam(c, deps), {
      kind: 'SetEndpoint',
      endpointType: body.type,
      value: body.value,
    });
    return c.body(null, 201);
  });

  app.get('/participants/:name/endpoints', async (c) => {
    const p = await requireParticipant(deps, nameParam(c, deps));
    const type = c.req.query('type');
    if (type !== undefined) {
      const value = Object.hasOwn(p.endpoints, type) ? p.endpoints[type] : undefined;
      return c.json(value === undefined ? {} : { type, value });
    }
    return c.json(endpointViews(p));
  });

  return app;
}
