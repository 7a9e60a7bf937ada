// GET /participants/{name}/positions/{currency}/history: why a position is what it is. Every
// movement of the participant's accounts in the currency (by default its POSITION account), with
// the command and the transfer or posting that caused it, the change and the value before and
// after, paged and narrowed by time; and per account whether the changes sum to the value the
// database holds. The history itself comes from `positionHistory`, which ops/ wires to the replay
// of the participant's commands (ops/replay/explain.ts), so the gateway needs no stream access.

import { Hono } from 'hono';
import { amountAsNumber } from '../../schema/money.ts';
import { type AdminDeps, adminError, nameParam } from './http.ts';
import { requireParticipant } from './views.ts';

export type HistoryMovement = {
  readonly seq: number;
  readonly atMs: number;
  readonly command: string;
  readonly cause: string;
  readonly accountId: number;
  readonly ledgerAccountType: string;
  readonly postedDeltaMinor: bigint;
  readonly reservedDeltaMinor: bigint;
  readonly valueBeforeMinor: bigint;
  readonly valueAfterMinor: bigint;
};

export type PositionHistory = {
  readonly movements: readonly HistoryMovement[];
  readonly accounts: ReadonlyArray<{
    readonly accountId: number;
    readonly ledgerAccountType: string;
    readonly sumMinor: bigint;
    readonly databaseMinor: bigint | undefined;
    readonly ok: boolean;
  }>;
  readonly incomplete?: string;
};

export type PositionHistorySource = (dfsp: string, currency: string) => Promise<PositionHistory>;

const LIMIT_MAX = 1000;

export function positionHistoryRoutes(deps: AdminDeps, history: PositionHistorySource): Hono {
  const app = new Hono();
  app.get('/participants/:name/positions/:currency/history', async (c) => {
    const name = nameParam(c, deps);
    const currency = c.req.param('currency');
    if (!/^[A-Z]{3}$/.test(currency)) throw adminError('3101', '"currency" must be 3 capitals');
    const q = (key: string) => c.req.query(key);
    const fromMs = timeQuery('fromDateTime', q('fromDateTime'), 0);
    const toMs = timeQuery('toDateTime', q('toDateTime'), Number.POSITIVE_INFINITY);
    const offset = countQuery('offset', q('offset'), 0, Number.MAX_SAFE_INTEGER);
    const limit = countQuery('limit', q('limit'), 100, LIMIT_MAX);
    const type = q('ledgerAccountType') ?? 'POSITION';
    await requireParticipant(deps, name);
    const found = await history(name, currency);
    const matching = found.movements.filter(
      (m) => m.atMs >= fromMs && m.atMs <= toMs && (type === 'ALL' || m.ledgerAccountType === type),
    );
    return c.json({
      participant: name,
      currency,
      ledgerAccountType: type,
      complete: found.incomplete === undefined,
      ...(found.incomplete === undefined ? {} : { incomplete: found.incomplete }),
      total: matching.length,
      offset,
      limit,
      movements: matching.slice(offset, offset + limit).map(movementView),
      accounts: found.accounts
        .filter((a) => type === 'ALL' || a.ledgerAccountType === type)
        .map((a) => ({
          id: a.accountId,
          ledgerAccountType: a.ledgerAccountType,
          sumOfChanges: amountAsNumber(a.sumMinor),
          value: a.databaseMinor === undefined ? null : amountAsNumber(a.databaseMinor),
          consistent: a.ok,
        })),
    });
  });
  return app;
}

function movementView(m: HistoryMovement) {
  return {
    sequence: m.seq,
    time: new Date(m.atMs).toISOString(),
    command: m.command,
    cause: m.cause,
    accountId: m.accountId,
    ledgerAccountType: m.ledgerAccountType,
    postedChange: amountAsNumber(m.postedDeltaMinor),
    reservedChange: amountAsNumber(m.reservedDeltaMinor),
    valueBefore: amountAsNumber(m.valueBeforeMinor),
    valueAfter: amountAsNumber(m.valueAfterMinor),
  };
}

function timeQuery(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw adminError('3101', `"${name}" must be an ISO 8601 date-time`);
  return ms;
}

function countQuery(name: string, text: string | undefined, fallback: number, max: number) {
  if (text === undefined) return fallback;
  if (!/^\d{1,15}$/.test(text) || Number(text) > max) {
    throw adminError('3101', `"${name}" must be a whole number up to ${max}`);
  }
  return Number(text);
}
