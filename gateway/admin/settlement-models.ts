// Admin routes for settlement models (fspiop.md §6.4) and the ledger account types they name.
// A model for a currency needs the hub accounts of that currency first, as in central-ledger.

import { Hono } from 'hono';
import { LEDGER_ACCOUNT_TYPES } from '../../actors/participant/ledger.ts';
import {
  SETTLEMENT_MODEL_ACTOR_TYPE,
  type SettlementModelCommand,
  type SettlementModelReply,
  type SettlementModelState,
} from '../../actors/settlement-model/actor.ts';
import { IsActiveBody, SettlementModelBody } from '../../schema/admin/bodies.ts';
import { applySettlementModels } from '../settlement/apply-models.ts';
import { type AdminDeps, adminError, expectOk, modelNameParam, parseBody } from './http.ts';
import { nowOption } from './participants.ts';
import { allSettlementModels, requireHubAccounts, settlementModelView } from './views.ts';

const SETTLEABLE = new Set(['POSITION', 'INTERCHANGE_FEE']);
const DESCRIPTIONS: Record<string, string> = {
  POSITION: 'Typical accounts from which a DFSP provisions transfers',
  SETTLEMENT: 'Reflects the individual DFSP Settlement Accounts as held at the Settlement Bank',
  HUB_RECONCILIATION: 'A single account for each currency with which the hub operates',
  HUB_MULTILATERAL_SETTLEMENT: 'Net settlement account of the hub per currency',
  INTERCHANGE_FEE: 'Interchange fees owed between DFSPs',
  INTERCHANGE_FEE_SETTLEMENT: 'Settlement account for interchange fees',
};

async function modelCommand(deps: AdminDeps, name: string, command: SettlementModelCommand) {
  const ref = { type: SETTLEMENT_MODEL_ACTOR_TYPE, key: name };
  expectOk(await deps.bus.request<SettlementModelReply>(ref, command, nowOption(deps)));
}

async function requireModel(deps: AdminDeps, name: string) {
  const ref = { type: SETTLEMENT_MODEL_ACTOR_TYPE, key: name };
  const state = await deps.reader.get<SettlementModelState>(ref);
  if (state?.phase !== 'defined') {
    throw adminError('3200', 'The requested resource could not be found.');
  }
  return state;
}

export function settlementModelsRoutes(deps: AdminDeps): Hono {
  const app = new Hono();

  app.get('/ledgerAccountTypes', (c) =>
    c.json(
      LEDGER_ACCOUNT_TYPES.map((name, i) => ({
        ledgerAccountTypeId: i + 1,
        name,
        description: DESCRIPTIONS[name] ?? name,
        isActive: 1,
        createdDate: new Date(0).toISOString(),
        isSettleable: SETTLEABLE.has(name),
      })),
    ),
  );

  // The next settlementModelId is read, then used: creates from this gateway take turns, else
  // concurrent POSTs would all read the same maximum and share one id. (Replicas of the gateway
  // can still race; operators provision through one.)
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(step: () => Promise<T>): Promise<T> => {
    const run = turn.then(step, step);
    turn = run.catch(() => undefined);
    return run;
  };

  app.post('/settlementModels', async (c) => {
    const body = await parseBody(c, SettlementModelBody);
    if (body.currency !== undefined) await requireHubAccounts(deps, body.currency);
    const { name, currency, ...terms } = body;
    await inTurn(async () => {
      const models = await allSettlementModels(deps);
      await modelCommand(deps, name, {
        kind: 'CreateSettlementModel',
        settlementModelId: models.reduce((max, m) => Math.max(max, m.settlementModelId), 0) + 1,
        terms: {
          ...terms,
          ...(currency !== undefined ? { currency } : {}),
          settlementAccountType: body.settlementAccountType ?? 'SETTLEMENT',
        },
      });
    });
    await applySettlementModels(deps);
    return c.body(null, 201);
  });

  app.get('/settlementModels', async (c) =>
    c.json((await allSettlementModels(deps)).map(settlementModelView)),
  );

  app.get('/settlementModels/:name', async (c) =>
    c.json(settlementModelView(await requireModel(deps, modelNameParam(c)))),
  );

  app.put('/settlementModels/:name', async (c) => {
    const name = modelNameParam(c);
    const body = await parseBody(c, IsActiveBody);
    await modelCommand(deps, name, { kind: 'SetSettlementModelActive', isActive: body.isActive });
    await applySettlementModels(deps);
    return c.json(settlementModelView(await requireModel(deps, name)));
  });

  return app;
}
