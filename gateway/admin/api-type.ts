// The API type of a participant (issue 15): whether the hub sends it FSPIOP JSON or the ISO 20022
// JSON binding of FSPIOP v2.0. Central-ledger has no such setting (a Mojaloop hub runs one API
// type for all); mkondo keeps one per participant, so DFSPs of both types share a hub. Unset, a
// participant gets FSPIOP until it sends an ISO 20022 request (the gateway then records that).

import { Hono } from 'hono';
import * as v from 'valibot';
import { API_TYPES, type ApiType } from '../../actors/participant/directory.ts';
import { type AdminDeps, nameParam, parseBody } from './http.ts';
import { participantCommand } from './participants.ts';
import { requireParticipant } from './views.ts';

const ApiTypeBody = v.object({
  apiType: v.pipe(
    v.string(),
    v.transform((text) => text.toLowerCase()),
    v.picklist(API_TYPES, 'must be FSPIOP or ISO20022'),
  ),
});

function view(apiType: { type: ApiType; learned: boolean } | undefined) {
  return apiType === undefined
    ? { apiType: 'fspiop', source: 'default' }
    : { apiType: apiType.type, source: apiType.learned ? 'learned' : 'set' };
}

export function apiTypeRoutes(deps: AdminDeps): Hono {
  const app = new Hono();

  app.get('/participants/:name/apiType', async (c) => {
    const participant = await requireParticipant(deps, nameParam(c, deps));
    return c.json(view(participant.apiType));
  });

  app.put('/participants/:name/apiType', async (c) => {
    const name = nameParam(c, deps);
    const body = await parseBody(c, ApiTypeBody);
    await participantCommand(deps, name, { kind: 'SetApiType', apiType: body.apiType });
    return c.json(view((await requireParticipant(deps, name)).apiType));
  });

  return app;
}
