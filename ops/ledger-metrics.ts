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

type GaugeSpec = {
  readonly name: string;
  readonly help: string;
  readonly labelNames: string[];
  readonly fill: (g: Gauge, r: Reading) => void;
};

const PARTICIPANT_CURRENCY = ['participant', 'currency'];

const GAUGES: readonly GaugeSpec[] = [
  {
    name: 'mkondo_ledger_conservation_sum',
    help: 'Per currency, the posted amounts of every account of every participant: 0 at rest',
    labelNames: ['currency'],
    fill: (g, r) => {
      for (const c of r.ledger.currencies) {
        g.set({ currency: c.currency }, amountAsNumber(c.postedSumMinor));
      }
    },
  },
  {
    name: 'mkondo_ledger_reserved_sum',
    help: 'Per currency, the amounts reserved by transfers and funds out in flight',
    labelNames: ['currency'],
    fill: (g, r) => {
      for (const c of r.ledger.currencies) {
        g.set({ currency: c.currency }, amountAsNumber(c.reservedSumMinor));
      }
    },
  },
  {
    name: 'mkondo_participant_position',
    help: 'POSITION account value (reservations included) per DFSP and currency',
    labelNames: PARTICIPANT_CURRENCY,
    fill: (g, r) => {
      for (const p of r.ledger.positions) {
        g.set(
          { participant: p.participant, currency: p.currency },
          amountAsNumber(p.positionMinor),
        );
      }
    },
  },
  {
    name: 'mkondo_participant_net_debit_cap',
    help: 'NET_DEBIT_CAP per DFSP and currency',
    labelNames: PARTICIPANT_CURRENCY,
    fill: (g, r) => {
      for (const p of r.ledger.positions) {
        if (p.netDebitCapMinor === undefined) continue;
        const labels = { participant: p.participant, currency: p.currency };
        g.set(labels, amountAsNumber(p.netDebitCapMinor));
      }
    },
  },
  {
    name: 'mkondo_participant_ndc_used_ratio',
    help: 'Position over NET_DEBIT_CAP per DFSP and currency (1 = at the cap)',
    labelNames: PARTICIPANT_CURRENCY,
    fill: (g, r) => {
      for (const p of r.ledger.positions) {
        if (p.netDebitCapMinor === undefined || p.netDebitCapMinor <= 0n) continue;
        const ratio = Number((p.positionMinor * 10_000n) / p.netDebitCapMinor) / 10_000;
        g.set({ participant: p.participant, currency: p.currency }, ratio);
      }
    },
  },
  {
    name: 'mkondo_transfers',
    help: 'Transfers by state (phase of their snapshot)',
    labelNames: ['state'],
    fill: (g, r) => {
      for (const t of r.transfers) g.set({ state: t.state }, t.count);
    },
  },
  {
    name: 'mkondo_transfers_overdue',
    help: 'Transfers still in flight more than a minute past their expiry (timers not firing)',
    labelNames: [],
    fill: (g, r) => g.set(r.overdue),
  },
];

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
  for (const spec of GAUGES) {
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames,
      async collect() {
        const r = await read();
        this.reset();
        spec.fill(this, r);
      },
    });
  }
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
