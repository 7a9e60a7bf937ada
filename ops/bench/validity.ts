// The validity gate of a scenario, from outside the switch. (1) Every accepted prepare got exactly
// one final callback. (2) Each DFSP's position moved by exactly what the committed callbacks say
// (sent minus received, times the amount), read through the Admin API. (3) Conservation: per
// currency, positions plus settlement and hub accounts sum to zero (DESIGN.md §7). (4) The
// committed transfers in the DB snapshots match the committed callbacks.

import pg from 'pg';
import { accounts } from './onboard.ts';
import type { SwitchClient } from './switch-client.ts';
import type { Tracker } from './tracker.ts';

export type Ledger = {
  /** DFSP name -> position (currency units). */
  readonly positions: Record<string, number>;
  /** Sum of every account of every participant, hub included. */
  readonly total: number;
};

export type Check = { readonly name: string; readonly ok: boolean; readonly detail: string };

type Position = { currency: string; value: unknown };

export async function readLedger(
  admin: SwitchClient,
  hubName: string,
  dfsps: readonly string[],
  currency: string,
): Promise<Ledger> {
  const positions: Record<string, number> = {};
  let total = 0;
  for (const name of dfsps) {
    const rows = (await admin.json('GET', `/participants/${name}/positions`)) as Position[];
    const position = Number(rows.find((row) => row.currency === currency)?.value ?? 0);
    positions[name] = position;
    const settlement = (await accounts(admin, name)).filter(
      (a) => a.currency === currency && a.ledgerAccountType === 'SETTLEMENT',
    );
    total += position + settlement.reduce((sum, a) => sum + Number(a.value), 0);
  }
  for (const account of await accounts(admin, hubName)) {
    if (account.currency === currency) total += Number(account.value);
  }
  return { positions, total };
}

/** Committed transfer snapshots: any field of the state equal to "COMMITTED" (any case). */
export async function committedInDb(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(
      `select count(*)::int as n from actor_snapshots where type = 'transfer' and ` +
        `jsonb_path_exists(state, 'strict $.** ? (@ like_regex "^committed$" flag "i")')`,
    );
    return (result.rows[0] as { n: number }).n;
  } finally {
    await client.end();
  }
}

export function transferChecks(o: {
  tracker: Tracker;
  before: Ledger;
  after: Ledger;
  amount: number;
  /** Committed transfer snapshots added during the scenario, or why they could not be read. */
  dbCommittedDelta: number | Error;
}): Check[] {
  const { missing, duplicated } = o.tracker.anomalies();
  const total = o.tracker.total;
  const checks: Check[] = [
    {
      name: 'one final callback per accepted prepare',
      ok: missing === 0 && duplicated === 0 && total.unknownCallbacks === 0,
      detail:
        `${total.preparesAccepted} accepted, ${missing} without a final callback by the end, ` +
        `${duplicated} with more than one, ${total.unknownCallbacks} for unknown transfers`,
    },
  ];
  if (missing > 0) {
    // Reservations of unfinished transfers are still on the books: they balance only at rest.
    checks.push({
      name: 'books (positions, conservation, DB count)',
      ok: false,
      detail: `not checked: ${missing} transfers still unfinished`,
    });
    return checks;
  }
  const wrong: string[] = [];
  for (const [name, after] of Object.entries(o.after.positions)) {
    const sent = total.committedByPayer[name] ?? 0;
    const received = total.committedByPayee[name] ?? 0;
    const expected = (o.before.positions[name] ?? 0) + (sent - received) * o.amount;
    if (Math.abs(after - expected) > 1e-9) wrong.push(`${name} ${after} (expected ${expected})`);
  }
  checks.push({
    name: 'positions match committed callbacks',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `${total.committed} committed` : wrong.join(', '),
  });
  checks.push(conservation(o.after));
  const db = o.dbCommittedDelta;
  checks.push({
    name: 'committed in DB equals committed callbacks',
    ok: db === total.committed,
    detail:
      db instanceof Error
        ? `could not count: ${db.message}`
        : `${db} in actor_snapshots, ${total.committed} callbacks`,
  });
  return checks;
}

export function conservation(ledger: Ledger): Check {
  return {
    name: 'positions + settlement + hub accounts sum to zero',
    ok: Math.abs(ledger.total) < 1e-9,
    detail: `sum ${ledger.total}`,
  };
}
