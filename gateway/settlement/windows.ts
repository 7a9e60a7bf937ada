// Settlement windows (fspiop.md §7): list with filters, get one, close the OPEN one. Closing is
// one command to the SettlementWindow actor; the answer (the new OPEN window) waits, bounded, for
// the participants' reports so that a settlement can be created right after, as TTK does.

import { Hono } from 'hono';
import type { RunningWindows, SettlementWindow } from '../../actors/settlement-window/index.ts';
import { WindowCloseBody } from '../../schema/settlement/bodies.ts';
import { type AdminDeps, adminError, parseBody } from '../admin/http.ts';
import { allParticipants } from '../admin/views.ts';
import { readUntil, windowCommand } from './commands.ts';
import { readWindows, requireWindow, windowView } from './views.ts';

export function parseId(text: string): number {
  if (!/^[1-9]\d{0,14}$/.test(text)) throw adminError('3101', `"${text}" is not an id`);
  return Number(text);
}

type WindowFilter = {
  readonly participant?: string;
  readonly state?: string;
  readonly currency?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
};

function dateQuery(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw adminError('3101', `"${name}" must be a date-time`);
  return ms;
}

function matches(w: SettlementWindow, f: WindowFilter): boolean {
  if (f.state !== undefined && w.state !== f.state) return false;
  if (f.fromMs !== undefined && w.createdAtMs < f.fromMs) return false;
  if (f.toMs !== undefined && w.createdAtMs > f.toMs) return false;
  if (f.currency !== undefined && !w.contents.some((c) => c.currency === f.currency)) return false;
  const { participant } = f;
  if (participant !== undefined && !w.contents.some((c) => participant in c.nets)) return false;
  return true;
}

async function filterOf(deps: AdminDeps, query: Record<string, string>): Promise<WindowFilter> {
  const { participantId } = query;
  let participant: string | undefined;
  if (participantId !== undefined) {
    const id = parseId(participantId);
    participant = (await allParticipants(deps)).find((p) => p.participantId === id)?.name ?? '';
  }
  return {
    ...(participant === undefined ? {} : { participant }),
    ...(query['state'] === undefined ? {} : { state: query['state'] }),
    ...(query['currency'] === undefined ? {} : { currency: query['currency'] }),
    ...optionalMs('fromMs', dateQuery(query['fromDateTime'], 'fromDateTime')),
    ...optionalMs('toMs', dateQuery(query['toDateTime'], 'toDateTime')),
  };
}

function optionalMs(key: 'fromMs' | 'toMs', value: number | undefined) {
  return value === undefined ? {} : { [key]: value };
}

function isFinal(windows: RunningWindows, id: number): boolean {
  return windows.windows[String(id)]?.state !== 'PROCESSING';
}

export function windowsRoutes(deps: AdminDeps): Hono {
  const app = new Hono();

  app.get('/settlementWindows', async (c) => {
    const filter = await filterOf(deps, c.req.query());
    const windows = Object.values((await readWindows(deps)).windows);
    const found = windows.filter((w) => matches(w, filter)).sort((a, b) => b.id - a.id);
    return c.json(found.map(windowView));
  });

  app.get('/settlementWindows/:id', async (c) => {
    const windows = await readWindows(deps);
    return c.json(windowView(requireWindow(windows, parseId(c.req.param('id')))));
  });

  // An empty id (TTK's api-tests/SettlementWindows "Bad Request - CloseWindow"): a bad request,
  // body checked first, as central-settlement's API validation answers it.
  app.post('/settlementWindows/', async (c) => {
    await parseBody(c, WindowCloseBody);
    throw adminError('3101', 'a settlement window id is required');
  });

  app.post('/settlementWindows/:id', async (c) => {
    const windowId = parseId(c.req.param('id'));
    const body = await parseBody(c, WindowCloseBody);
    const reply = await windowCommand(deps, {
      kind: 'CloseSettlementWindow',
      windowId,
      reason: body.reason,
    });
    const windows = await readUntil(
      () => readWindows(deps),
      (w) => isFinal(w, windowId),
    );
    return c.json(windowView(requireWindow(windows, reply.windowId ?? windows.openWindowId)));
  });

  return app;
}
