// Funds in and out (fspiop.md §6.1): POST /participants/{name}/accounts/{id} records funds in or
// reserves funds out on the DFSP's SETTLEMENT account; PUT .../transfers/{transferId} commits or
// aborts a funds out. The route answers 202 once both the DFSP and the hub side are durable: the
// actor hands back its hub mirror command, which the route awaits too (it is idempotent).

import { Hono } from 'hono';
import { PARTICIPANT_ACTOR_TYPE } from '../../actors/participant/directory.ts';
import type { AdminCommand, AdminReply } from '../../actors/participant/messages.ts';
import { FundsBody, FundsFinishBody } from '../../schema/admin/bodies.ts';
import { type AdminDeps, expectOk, nameParam, parseBody, transferIdParam } from './http.ts';
import { nowOption, participantCommand } from './participants.ts';
import { accountId, adminAmount } from './positions.ts';

async function moveFunds(deps: AdminDeps, name: string, command: AdminCommand): Promise<void> {
  const reply = await participantCommand(deps, name, command);
  if (!reply.hubPosting) return;
  const hubRef = { type: PARTICIPANT_ACTOR_TYPE, key: deps.hub.hubName };
  expectOk(await deps.bus.request<AdminReply>(hubRef, reply.hubPosting, nowOption(deps)));
}

function movement(body: FundsBody, id: number) {
  return {
    transferId: body.transferId,
    accountId: id,
    currency: body.amount.currency,
    amountMinor: adminAmount(body.amount.amount, 'amount.amount', 'positive'),
    ...(body.reason !== undefined ? { reason: body.reason } : {}),
    ...(body.externalReference !== undefined ? { externalReference: body.externalReference } : {}),
    ...(body.extensionList !== undefined ? { extensionList: body.extensionList } : {}),
  };
}

async function transferExists(deps: AdminDeps, transferId: string): Promise<boolean> {
  const state = await deps.reader.get<{ phase: string }>({ type: 'transfer', key: transferId });
  return state !== undefined && state.phase !== 'absent';
}

export function fundsRoutes(deps: AdminDeps): Hono {
  const app = new Hono();

  app.post('/participants/:name/accounts/:id', async (c) => {
    const body = await parseBody(c, FundsBody);
    const moved = movement(body, accountId(c.req.param('id')));
    // The participant remembers only its recent postings; the transfer record is forever. A
    // retried funds movement whose transfer already exists changes nothing.
    if (await transferExists(deps, body.transferId)) return c.body(null, 202);
    const kind = body.action === 'recordFundsIn' ? 'RecordFundsIn' : 'ReserveFundsOut';
    await moveFunds(deps, nameParam(c, deps), { kind, ...moved });
    return c.body(null, 202);
  });

  app.put('/participants/:name/accounts/:id/transfers/:transferId', async (c) => {
    const body = await parseBody(c, FundsFinishBody);
    await moveFunds(deps, nameParam(c, deps), {
      kind: body.action === 'recordFundsOutCommit' ? 'CommitFundsOut' : 'AbortFundsOut',
      transferId: transferIdParam(c),
      accountId: accountId(c.req.param('id')),
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
    });
    return c.body(null, 202);
  });

  return app;
}
