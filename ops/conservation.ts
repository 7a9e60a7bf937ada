// Conservation of money (DESIGN.md §7 invariant 1) as something an operator runs and watches: per
// currency, the posted amounts of every account of every participant (positions, settlement, hub
// reconciliation and multilateral settlement, interchange fees) sum to zero. Reservations are
// listed apart: they are the payer's side of transfers in flight. A commit moves its two legs in
// two actors one after the other, so under load the sum swings by the commits between their
// legs; at rest, and over any window with no transfers, it must be exactly 0. Initial positions
// set through initialPositionAndLimits are outside the rule, as in Mojaloop.

import { sql } from 'drizzle-orm';
import type { ParticipantState } from '../actors/participant/state.ts';
import { decodeJson } from '../runtime/codec.ts';
import type { Db } from '../runtime/db.ts';
import { formatAmount } from '../schema/money.ts';

export type CurrencyTotals = {
  readonly currency: string;
  /** The sum of every account's posted amount: 0 when money is conserved. */
  readonly postedSumMinor: bigint;
  /** The sum of reservations in flight (payers' positions, funds out). */
  readonly reservedSumMinor: bigint;
  readonly accounts: number;
};

export type PositionUse = {
  readonly participant: string;
  readonly currency: string;
  /** POSITION value, reservations included (what the NDC check compares). */
  readonly positionMinor: bigint;
  readonly netDebitCapMinor: bigint | undefined;
};

export type Ledger = {
  readonly currencies: readonly CurrencyTotals[];
  readonly positions: readonly PositionUse[];
};

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

/** Every participant's accounts, summed per currency, and each POSITION against its cap. */
export async function readLedger(db: Db): Promise<Ledger> {
  const rows = rowsOf(
    await db.execute(sql`select key, state::text as state from actor_snapshots
      where type = 'participant' order by key`),
  );
  const totals = new Map<string, { posted: bigint; reserved: bigint; accounts: number }>();
  const positions: PositionUse[] = [];
  for (const row of rows) {
    const state = decodeJson<ParticipantState>(String(row['state']));
    if (state.phase !== 'registered') continue;
    for (const account of Object.values(state.accounts)) {
      const t = totals.get(account.currency) ?? { posted: 0n, reserved: 0n, accounts: 0 };
      t.posted += account.postedMinor;
      t.reserved += account.reservedMinor;
      t.accounts++;
      totals.set(account.currency, t);
      if (account.ledgerAccountType !== 'POSITION') continue;
      positions.push({
        participant: state.name,
        currency: account.currency,
        positionMinor: account.postedMinor + account.reservedMinor,
        netDebitCapMinor: state.limits[account.currency]?.valueMinor,
      });
    }
  }
  const currencies = [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]) => ({
      currency,
      postedSumMinor: t.posted,
      reservedSumMinor: t.reserved,
      accounts: t.accounts,
    }));
  return { currencies, positions };
}

export function formatConservation(ledger: Ledger): string {
  const lines = ledger.currencies.map(
    (c) =>
      `${c.currency}\tposted sum ${formatAmount(c.postedSumMinor)}\t` +
      `in flight ${formatAmount(c.reservedSumMinor)}\t${c.accounts} accounts\t` +
      (c.postedSumMinor === 0n ? 'conserved' : 'NOT CONSERVED'),
  );
  if (lines.length === 0) lines.push('no participant accounts');
  return `${lines.join('\n')}\n`;
}
