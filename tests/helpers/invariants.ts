// The money invariants of DESIGN.md §7, checked from outside a running switch once nothing is in
// flight: (1) per currency, every account of every participant (positions, settlement, hub
// accounts) sums to zero, read both from the DB snapshots and through the Admin API; (2) every
// transfer is in exactly one terminal state; (3) no reservation outlives its transfer; (4) no
// position is past its net debit cap; and no command ended in the poison table. Violations come
// back as text so a test can assert `[]`.

import pg from 'pg';
import { accountValueMinor } from '../../actors/participant/ledger.ts';
import type { ParticipantState, RegisteredParticipant } from '../../actors/participant/state.ts';
import type { TransferState } from '../../actors/transfer/state.ts';
import { decodeJson } from '../../runtime/codec.ts';
import { formatAmount } from '../../schema/money.ts';
import { accountsOf } from './onboard.ts';

export type Snapshots = {
  readonly participants: readonly RegisteredParticipant[];
  readonly transfers: ReadonlyMap<string, Exclude<TransferState, { phase: 'absent' }>>;
};

/** Participant and Transfer snapshots as the DB holds them (bigints decoded). */
export async function readSnapshots(databaseUrl: string): Promise<Snapshots> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ type: string; key: string; state: string }>(
      `select type, key, state::text as state from actor_snapshots
        where type in ('participant', 'transfer')`,
    );
    const participants: RegisteredParticipant[] = [];
    const transfers = new Map<string, Exclude<TransferState, { phase: 'absent' }>>();
    for (const row of result.rows) {
      if (row.type === 'participant') {
        const state = decodeJson<ParticipantState>(row.state);
        if (state.phase === 'registered') participants.push(state);
        continue;
      }
      const state = decodeJson<TransferState>(row.state);
      if (state.phase !== 'absent') transfers.set(row.key, state);
    }
    return { participants, transfers };
  } finally {
    await client.end();
  }
}

/** True once no transfer waits for an answer and no reservation is held. */
export function quiescent(snapshots: Snapshots): boolean {
  for (const t of snapshots.transfers.values()) {
    if (t.phase === 'received' || t.phase === 'reserved') return false;
  }
  return snapshots.participants.every((p) => Object.keys(p.reservations).length === 0);
}

/** Polls the DB until `quiescent`, then answers the snapshots; throws after `timeoutMs`. */
export async function waitQuiescent(databaseUrl: string, timeoutMs = 30_000): Promise<Snapshots> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshots = await readSnapshots(databaseUrl);
    if (quiescent(snapshots)) return snapshots;
    if (Date.now() > deadline) {
      const busy = [...snapshots.transfers.entries()]
        .filter(([, t]) => t.phase === 'received' || t.phase === 'reserved')
        .map(([id, t]) => `${id}:${t.phase}`);
      throw new Error(`still in flight after ${timeoutMs} ms: ${busy.slice(0, 10).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Per currency, the sum of every account's value (§7 invariant 1: zero once nothing is in flight). */
export function currencySums(snapshots: Snapshots): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const p of snapshots.participants) {
    for (const account of Object.values(p.accounts)) {
      const valueMinor = accountValueMinor(account);
      sums.set(account.currency, (sums.get(account.currency) ?? 0n) + valueMinor);
    }
  }
  return sums;
}

/** §7 invariant 4, which holds at every moment, in flight or not: no position past its cap. */
export function capViolations(snapshots: Snapshots): string[] {
  const violations: string[] = [];
  for (const p of snapshots.participants) {
    for (const account of Object.values(p.accounts)) {
      const valueMinor = accountValueMinor(account);
      const cap = p.limits[account.currency];
      if (account.ledgerAccountType === 'POSITION' && cap && valueMinor > cap.valueMinor) {
        violations.push(
          `${p.name} ${account.currency} position ${formatAmount(valueMinor)} is past its net ` +
            `debit cap ${formatAmount(cap.valueMinor)}`,
        );
      }
    }
  }
  return violations;
}

/** §7 invariants 1–4 over DB snapshots; every violation as a sentence. */
export function snapshotViolations(snapshots: Snapshots): string[] {
  const violations = capViolations(snapshots);
  for (const [currency, sum] of currencySums(snapshots)) {
    if (sum !== 0n) violations.push(`${currency} accounts sum to ${formatAmount(sum)}, not 0`);
  }
  for (const p of snapshots.participants) {
    for (const account of Object.values(p.accounts)) {
      if (account.reservedMinor !== 0n) {
        violations.push(`${p.name} account ${account.id} holds ${account.reservedMinor} reserved`);
      }
    }
    for (const id of Object.keys(p.reservations)) {
      violations.push(`${p.name} still holds a reservation for ${id}`);
    }
  }
  for (const [id, t] of snapshots.transfers) {
    if (t.phase !== 'committed' && t.phase !== 'aborted') {
      violations.push(`transfer ${id} is not final (${t.phase})`);
    }
  }
  return violations;
}

/** Invariant 1 through the Admin API: the sum of every account of `names` (hub included). */
export async function adminSum(
  adminUrl: string,
  names: readonly string[],
  currency: string,
): Promise<number> {
  let sum = 0;
  for (const name of names) {
    for (const account of await accountsOf(adminUrl, name)) {
      if (account.currency === currency) sum += account.value;
    }
  }
  return Math.round(sum * 10_000) / 10_000;
}

/** Commands the runtime could not apply: each one is a lost step, so none may exist. */
export async function poisonMessages(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ subject: string; reason: string }>(
      'select subject, reason from poison_messages order by partition, seq',
    );
    return result.rows.map((r) => `poison message on ${r.subject}: ${r.reason}`);
  } finally {
    await client.end();
  }
}

export type InvariantCheck = {
  readonly databaseUrl: string;
  readonly adminUrl: string;
  /** Every participant name, hub included, for the Admin API sum. */
  readonly names: readonly string[];
  readonly currency: string;
  readonly timeoutMs?: number;
  /** The gateway's ops port: its conservation gauge must come to read 0 too. */
  readonly opsUrl?: string;
};

/** Waits until nothing is in flight, then answers every §7 violation (empty when all hold). */
export async function checkInvariants(check: InvariantCheck): Promise<string[]> {
  const snapshots = await waitQuiescent(check.databaseUrl, check.timeoutMs);
  const violations = snapshotViolations(snapshots);
  violations.push(...(await poisonMessages(check.databaseUrl)));
  const sum = await adminSum(check.adminUrl, check.names, check.currency);
  if (sum !== 0) violations.push(`Admin API ${check.currency} accounts sum to ${sum}, not 0`);
  if (check.opsUrl !== undefined) {
    const gauge = await conservationGauge(check.opsUrl, check.currency);
    if (gauge !== 0) violations.push(`conservation gauge ${check.currency} reads ${gauge}, not 0`);
  }
  return violations;
}

/**
 * mkondo_ledger_conservation_sum of `currency` on /metrics, once it reads 0 or after 15 s
 * (the gateway caches the reading for LEDGER_METRICS_REFRESH_MS).
 */
export async function conservationGauge(opsUrl: string, currency: string): Promise<number> {
  const pattern = new RegExp(
    `^mkondo_ledger_conservation_sum\\{currency="${currency}"\\} (\\S+)$`,
    'm',
  );
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = await (await fetch(`${opsUrl}/metrics`)).text();
    const value = Number(pattern.exec(text)?.[1] ?? Number.NaN);
    if (value === 0 || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
}
