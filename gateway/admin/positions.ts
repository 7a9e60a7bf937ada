// Admin routes for money at rest: initial position and NET_DEBIT_CAP limits, positions, account
// balances and account activation. Amounts in bodies are parsed to bigint minor units; answers
// carry numbers as central-ledger does (see views.ts).

import { Hono } from 'hono';
import { DEFAULT_ALARM_PERCENTAGE } from '../../actors/participant/decide-admin.ts';
import {
  InitialPositionAndLimitsBody,
  IsActiveBody,
  LimitsBody,
} from '../../schema/admin/bodies.ts';
import { parseAdminAmount } from '../../schema/money.ts';
import { type AdminDeps, adminError, nameParam, parseBody } from './http.ts';
import { participantCommand } from './participants.ts';
import {
  accountsOf,
  accountView,
  allParticipants,
  limitViews,
  positionView,
  requireParticipant,
} from './views.ts';

/** Parses an Admin amount; `positive` additionally refuses zero. */
export function adminAmount(
  value: unknown,
  field: string,
  rule: 'nonNegative' | 'positive' | 'any',
) {
  const parsed = parseAdminAmount(value);
  if (!parsed.ok) throw adminError('3101', `"${field}" ${parsed.reason}`);
  if (rule === 'positive' && parsed.minor <= 0n) {
    throw adminError('3100', `"${field}" must be greater than 0`);
  }
  if (rule === 'nonNegative' && parsed.minor < 0n) {
    throw adminError('3100', `"${field}" must be larger than or equal to 0`);
  }
  return parsed.minor;
}

export function accountId(text: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(text)) throw adminError('3101', '"id" must be a positive integer');
  return Number(text);
}

export function positionsRoutes(deps: AdminDeps): Hono {
  const app = new Hono();

  app.get('/participants/limits', async (c) => {
    const currency = c.req.query('currency');
    const type = c.req.query('type');
    if (type !== undefined && type !== 'NET_DEBIT_CAP') return c.json([]);
    const all = await allParticipants(deps);
    return c.json(all.flatMap((p) => limitViews(p, currency).map((l) => ({ name: p.name, ...l }))));
  });

  app.post('/participants/:name/initialPositionAndLimits', async (c) => {
    const body = await parseBody(c, InitialPositionAndLimitsBody);
    await participantCommand(deps, nameParam(c, deps), {
      kind: 'SetInitialPositionAndLimits',
      currency: body.currency,
      netDebitCapMinor: adminAmount(body.limit.value, 'limit.value', 'nonNegative'),
      alarmPercentage: body.limit.alarmPercentage ?? DEFAULT_ALARM_PERCENTAGE,
      initialPositionMinor: adminAmount(body.initialPosition ?? 0, 'initialPosition', 'any'),
    });
    return c.body(null, 201);
  });

  app.get('/participants/:name/limits', async (c) => {
    const p = await requireParticipant(deps, nameParam(c, deps));
    const type = c.req.query('type');
    if (type !== undefined && type !== 'NET_DEBIT_CAP') return c.json([]);
    return c.json(limitViews(p, c.req.query('currency')));
  });

  app.put('/participants/:name/limits', async (c) => {
    const name = nameParam(c, deps);
    const body = await parseBody(c, LimitsBody);
    await participantCommand(deps, name, {
      kind: 'AdjustLimit',
      currency: body.currency,
      netDebitCapMinor: adminAmount(body.limit.value, 'limit.value', 'nonNegative'),
      ...(body.limit.alarmPercentage !== undefined
        ? { alarmPercentage: body.limit.alarmPercentage }
        : {}),
    });
    const [limit] = limitViews(await requireParticipant(deps, name), body.currency);
    return c.json(limit, 200);
  });

  app.get('/participants/:name/positions', async (c) => {
    const p = await requireParticipant(deps, nameParam(c, deps));
    const currency = c.req.query('currency');
    const positions = accountsOf(p).filter((a) => a.ledgerAccountType === 'POSITION');
    if (currency === undefined) return c.json(positions.map(positionView));
    const one = positions.find((a) => a.currency === currency);
    return c.json(one ? positionView(one) : {});
  });

  app.get('/participants/:name/accounts', async (c) => {
    const p = await requireParticipant(deps, nameParam(c, deps));
    const currency = c.req.query('currency');
    const accounts = accountsOf(p).filter((a) => currency === undefined || a.currency === currency);
    return c.json(accounts.map(accountView));
  });

  app.put('/participants/:name/accounts/:id', async (c) => {
    const body = await parseBody(c, IsActiveBody);
    await participantCommand(deps, nameParam(c, deps), {
      kind: 'SetAccountActive',
      accountId: accountId(c.req.param('id')),
      isActive: body.isActive,
    });
    return c.body(null, 200);
  });

  return app;
}
