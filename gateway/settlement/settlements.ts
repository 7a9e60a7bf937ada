// Settlements (fspiop.md §7): create one for closed windows under a deferred net model, list and
// get them, and step their participants' accounts or abort them. The gateway stamps what the
// window actor needs from other actors (the model's terms, the participants' account ids) on the
// command, read from durable snapshots. Refused account steps come back per account, in
// `errorInformation`, as central-settlement answers them.

import { type Context, Hono } from 'hono';
import type { AccountUpdate, OpenSettlementState } from '../../actors/settlement/index.ts';
import type { SettlementModel } from '../../actors/settlement-model/actor.ts';
import type { DirectoryParticipant } from '../../actors/settlement-window/index.ts';
import {
  AccountStepBody,
  ParticipantAccountsBody,
  SettlementCreateBody,
  SettlementUpdateBody,
} from '../../schema/settlement/bodies.ts';
import { type AdminDeps, adminError, parseBody } from '../admin/http.ts';
import { allParticipants, allSettlementModels } from '../admin/views.ts';
import { readUntil, settlementCommand, windowCommand } from './commands.ts';
import { filterSettlements } from './filters.ts';
import { awaitPostings, awaitWindows, postingsBetween } from './postings.ts';
import { reportCsv, reportJson } from './report.ts';
import {
  type AccountError,
  allSettlements,
  findSettlement,
  readWindows,
  requireSettlement,
  settlementView,
} from './views.ts';
import { parseId } from './windows.ts';

async function deferredModel(deps: AdminDeps, name: string) {
  const models = await allSettlementModels(deps);
  const model = models.find((m) => m.name === name);
  if (!model?.isActive) throw adminError('3100', `Settlement model not found: ${name}`);
  if (model.settlementDelay !== 'DEFERRED') {
    throw adminError('3100', `Settlement model ${name} settles at once, not in windows`);
  }
  return { model, models };
}

function excludedCurrencies(model: SettlementModel, models: readonly SettlementModel[]): string[] {
  if (model.currency !== undefined) return [];
  return models.flatMap((m) =>
    m.isActive && m.currency !== undefined && m.ledgerAccountType === model.ledgerAccountType
      ? [m.currency]
      : [],
  );
}

async function participantDirectory(deps: AdminDeps) {
  const directory: Record<string, DirectoryParticipant> = {};
  for (const p of await allParticipants(deps)) {
    const accounts: Record<string, number> = {};
    for (const a of Object.values(p.accounts)) {
      accounts[`${a.currency}/${a.ledgerAccountType}`] = a.id;
    }
    directory[p.name] = { participantId: p.participantId, accounts };
  }
  return directory;
}

async function answer(
  c: Context,
  deps: AdminDeps,
  settlement: OpenSettlementState,
  options: { participantId?: number; errors?: ReadonlyMap<number, AccountError> } = {},
) {
  return c.json(settlementView(settlement, await readWindows(deps), options));
}

/** The settlement after a change from `before`, once the change's effects are visible. */
async function settled(deps: AdminDeps, before: OpenSettlementState) {
  const after = await requireSettlement(deps, before.settlementId);
  await awaitPostings(deps, postingsBetween(before, after, deps.hub.hubName));
  await awaitWindows(deps, after);
  return after;
}

async function stepAccounts(deps: AdminDeps, id: number, updates: readonly AccountUpdate[]) {
  const before = await requireSettlement(deps, id);
  const reply = await settlementCommand(deps, id, { kind: 'UpdateSettlementAccounts', updates });
  await settled(deps, before);
  const errors = new Map<number, AccountError>();
  for (const r of reply.refused) errors.set(r.accountId, r.error);
  return errors;
}

function updatesOf(
  participantId: number,
  accounts: readonly {
    id: number;
    state: string;
    reason: string;
    externalReference?: string | undefined;
  }[],
): AccountUpdate[] {
  return accounts.map((a) => ({
    participantId,
    accountId: a.id,
    state: a.state,
    reason: a.reason,
    ...(a.externalReference === undefined ? {} : { externalReference: a.externalReference }),
  }));
}

export function settlementsRoutes(deps: AdminDeps): Hono {
  const app = new Hono();

  app.post('/settlements', async (c) => {
    const body = await parseBody(c, SettlementCreateBody);
    const { model, models } = await deferredModel(deps, body.settlementModel);
    const reply = await windowCommand(deps, {
      kind: 'CreateSettlement',
      reason: body.reason,
      windowIds: body.settlementWindows.map((w) => w.id),
      model: {
        name: model.name,
        ledgerAccountType: model.ledgerAccountType,
        autoPositionReset: model.autoPositionReset,
        ...(model.currency === undefined ? {} : { currency: model.currency }),
        excludedCurrencies: excludedCurrencies(model, models),
      },
      participants: await participantDirectory(deps),
    });
    const id = reply.settlementId ?? 0;
    const created = await readUntil(
      () => findSettlement(deps, id),
      (s) => s !== undefined,
    );
    if (!created) throw adminError('2001', `Settlement ${id} is not recorded yet`);
    return answer(c, deps, created);
  });

  app.get('/settlements', async (c) => {
    const windows = await readWindows(deps);
    const participants = await allParticipants(deps);
    const found = filterSettlements(
      await allSettlements(deps),
      windows,
      participants,
      c.req.query(),
    );
    return c.json(found.map((s) => settlementView(s, windows)));
  });

  app.get('/settlements/:id', async (c) =>
    answer(c, deps, await requireSettlement(deps, parseId(c.req.param('id')))),
  );

  app.get('/settlements/:id/report', async (c) => {
    const s = await requireSettlement(deps, parseId(c.req.param('id')));
    const participants = await allParticipants(deps);
    if (c.req.query('format') === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      return c.body(reportCsv(s, participants));
    }
    return c.json(reportJson(s, participants));
  });

  app.put('/settlements/:id', async (c) => {
    const id = parseId(c.req.param('id'));
    const body = await parseBody(c, SettlementUpdateBody);
    await requireSettlement(deps, id);
    if ('state' in body) {
      const before = await requireSettlement(deps, id);
      const abort = { kind: 'AbortSettlement' as const, reason: body.reason };
      const ref = body.externalReference;
      await settlementCommand(
        deps,
        id,
        ref === undefined ? abort : { ...abort, externalReference: ref },
      );
      return answer(c, deps, await settled(deps, before));
    }
    const updates = body.participants.flatMap((p) => updatesOf(p.id, p.accounts));
    const errors = await stepAccounts(deps, id, updates);
    return answer(c, deps, await requireSettlement(deps, id), { errors });
  });

  app.get('/settlements/:id/participants/:pid', async (c) => {
    const s = await requireSettlement(deps, parseId(c.req.param('id')));
    const participantId = parseId(c.req.param('pid'));
    requireParticipantIn(s, participantId);
    return answer(c, deps, s, { participantId });
  });

  app.put('/settlements/:id/participants/:pid', async (c) => {
    const id = parseId(c.req.param('id'));
    const participantId = parseId(c.req.param('pid'));
    const body = await parseBody(c, ParticipantAccountsBody);
    requireParticipantIn(await requireSettlement(deps, id), participantId);
    const errors = await stepAccounts(deps, id, updatesOf(participantId, body.accounts));
    return answer(c, deps, await requireSettlement(deps, id), { participantId, errors });
  });

  app.get('/settlements/:id/participants/:pid/accounts/:aid', async (c) => {
    const s = await requireSettlement(deps, parseId(c.req.param('id')));
    const participantId = parseId(c.req.param('pid'));
    requireAccountIn(s, participantId, parseId(c.req.param('aid')));
    return answer(c, deps, s, { participantId });
  });

  app.put('/settlements/:id/participants/:pid/accounts/:aid', async (c) => {
    const id = parseId(c.req.param('id'));
    const participantId = parseId(c.req.param('pid'));
    const accountId = parseId(c.req.param('aid'));
    const body = await parseBody(c, AccountStepBody);
    requireAccountIn(await requireSettlement(deps, id), participantId, accountId);
    const errors = await stepAccounts(
      deps,
      id,
      updatesOf(participantId, [{ ...body, id: accountId }]),
    );
    return answer(c, deps, await requireSettlement(deps, id), { participantId, errors });
  });

  return app;
}

function requireParticipantIn(s: OpenSettlementState, participantId: number): void {
  if (!s.accounts.some((a) => a.participantId === participantId)) {
    throw adminError('3100', `Participant ${participantId} is not in settlement ${s.settlementId}`);
  }
}

function requireAccountIn(s: OpenSettlementState, participantId: number, accountId: number): void {
  requireParticipantIn(s, participantId);
  if (!s.accounts.some((a) => a.participantId === participantId && a.accountId === accountId)) {
    throw adminError('3100', `Account ${accountId} is not in settlement ${s.settlementId}`);
  }
}
