// The gauges a payments operator watches, read from the database at scrape time (cached for
// LEDGER_METRICS_REFRESH_MS so several scrapers cost one read): conservation per currency (must
// read 0 at rest), reservations in flight, each DFSP's position against its net debit cap,
// transfers by state, and in-flight transfers past their expiry. Served by the gateway role's
// /metrics; ops/grafana/ and ops/prometheus/ hold a dashboard and alert rules over them.

import { sql } from 'drizzle-orm';
import { Gauge, register } from 'prom-client';
import type { Db } from '../runtime/db.ts';
import { amountAsNumber } from '../schema/money.ts';
import { type Ledger, readLedger } from './conservation.ts';

/** An in-flight transfer whose expiry passed this long ago is overdue (timers should fire). */
const OVERDUE_AFTER_MS = 60_000;

type Reading = {
  readonly ledger: Ledger;
  readonly transfers: ReadonlyArray<{ state: string; count: number }>;
  readonly overdue: number;
};

export function registerLedgerMetrics(db: Db, refreshMs: number): void {
  if (register.getSingleMetric('mkondo_ledger_conservation_sum')) return;
  let reading: { atMs: number; value: Promise<Reading> } | undefined;
  const read = () => {
    const nowMs = Date.now();
    if (reading === undefined || nowMs - reading.atMs >= refreshMs) {
      const value = readAll(db, nowMs);
      reading = { atMs: nowMs, value };
      value.catch(() => {
        reading = undefined;
      });
    }
    return reading.value;
  };
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge, r: Reading) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      async collect() {
        const r = await read();
        this.reset();
        fill(this, r);
      },
    });
  gauge(
    'mkondo_ledger_conservation_sum',
    'Per currency, the posted amounts of every account of every participant: 0 at rest',
    ['currency'],
    (g, r) => {
      for (const c of r.ledger.currencies) {
        g.set({ currency: c.currency }, amountAsNumber(c.postedSumMinor));
      }
    },
  );
  gauge(
    'mkondo_ledger_reserved_sum',
    'Per currency, the amounts reserved by transfers and funds out in flight',
    ['currency'],
    (g, r) => {
      for (const c of r.ledger.currencies) {
        g.set({ currency: c.currency }, amountAsNumber(c.reservedSumMinor));
      }
    },
  );
  gauge(
    'mkondo_participant_position',
    'POSITION account value (reservations included) per DFSP and currency',
    ['participant', 'currency'],
    (g, r) => {
      for (const p of r.ledger.positions) {
        g.set(
          { participant: p.participant, currency: p.currency },
          amountAsNumber(p.positionMinor),
        );
      }
    },
  );
  gauge(
    'mkondo_participant_net_debit_cap',
    'NET_DEBIT_CAP per DFSP and currency',
    ['participant', 'currency'],
    (g, r) => {
      for (const p of r.ledger.positions) {
        if (p.netDebitCapMinor === undefined) continue;
        const labels = { participant: p.participant, currency: p.currency };
        g.set(labels, amountAsNumber(p.netDebitCapMinor));
      }
    },
  );
  gauge(
    'mkondo_participant_ndc_used_ratio',
    'Position over NET_DEBIT_CAP per DFSP and currency (1 = at the cap)',
    ['participant', 'currency'],
    (g, r) => {
      for (const p of r.ledger.positions) {
        if (p.netDebitCapMinor === undefined || p.netDebitCapMinor <= 0n) continue;
        const ratio = Number((p.positionMinor * 10_000n) / p.netDebitCapMinor) / 10_000;
        g.set({ participant: p.participant, currency: p.currency }, ratio);
      }
    },
  );
  gauge('mkondo_transfers', 'Transfers by state (phase of their snapshot)', ['state'], (g, r) => {
    for (const t of r.transfers) g.set({ state: t.state }, t.count);
  });
  gauge(
    'mkondo_transfers_overdue',
    'Transfers still in flight more than a minute past their expiry (timers not firing)',
    [],
    (g, r) => g.set(r.overdue),
  );
}

async function readAll(db: Db, nowMs: number): Promise<Reading> {
  const ledger = await readLedger(db);
  const rows = (r: unknown) => (r as { rows: Array<Record<string, unknown>> }).rows;
  const byState = rows(
    await db.execute(sql`select state->>'phase' as phase, count(*) as n from actor_snapshots
      where type = 'transfer' group by 1`),
  );
  const overdue = rows(
    await db.execute(sql`select count(*) as n from actor_snapshots
      where type = 'transfer' and state->>'phase' in ('received', 'reserved')
        and timer_at_ms < ${nowMs - OVERDUE_AFTER_MS}`),
  );
  return {
    ledger,
    transfers: byState.map((r) => ({ state: String(r['phase']), count: Number(r['n']) })),
    overdue: Number(overdue[0]?.['n'] ?? 0),
  };
}
