// The checks of a healed, settled run: per currency every account sums to zero (§7.1), every
// transfer is final and no reservation is left (§7.2–3), nothing was parked as poison, and each
// transfer's final state and each DFSP's position equal the independent model's.

import { accountValueMinor } from '../../actors/participant/ledger.ts';
import type { ParticipantState, RegisteredParticipant } from '../../actors/participant/state.ts';
import type { TransferState } from '../../actors/transfer/state.ts';
import { decodeJson } from '../../runtime/codec.ts';
import type { SimDatabase } from './database.ts';
import type { ExpectedOutcomes } from './model.ts';
import { DFSPS, FUNDS_IN_MINOR, type TransferPlan } from './workload.ts';

export function participantsOf(db: SimDatabase): RegisteredParticipant[] {
  const found: RegisteredParticipant[] = [];
  for (const row of db.snapshots.values()) {
    if (row.type !== 'participant') continue;
    const state = decodeJson<ParticipantState>(row.stateJson);
    if (state.phase === 'registered') found.push(state);
  }
  return found;
}

export function transferOf(db: SimDatabase, id: string): TransferState | undefined {
  const row = db.snapshots.get(`transfer\u0000${id}`);
  return row === undefined ? undefined : decodeJson<TransferState>(row.stateJson);
}

/** Transfers the DFSPs prepared that are not final in the database yet. */
export function inFlight(db: SimDatabase, plans: ReadonlyMap<string, TransferPlan>): string[] {
  const busy: string[] = [];
  for (const id of plans.keys()) {
    const phase = transferOf(db, id)?.phase;
    if (phase === 'received' || phase === 'reserved') busy.push(`${id}:${phase}`);
  }
  return busy;
}

export function finalViolations(
  db: SimDatabase,
  model: ExpectedOutcomes,
  plans: ReadonlyMap<string, TransferPlan>,
): string[] {
  const violations: string[] = [];
  const participants = participantsOf(db);
  const sums = new Map<string, bigint>();
  for (const p of participants) {
    for (const account of Object.values(p.accounts)) {
      const value = accountValueMinor(account);
      sums.set(account.currency, (sums.get(account.currency) ?? 0n) + value);
      if (account.reservedMinor !== 0n) {
        violations.push(
          `[final-reserved] ${p.name} account ${account.id} still holds ` +
            `${account.reservedMinor} reserved`,
        );
      }
    }
    for (const id of Object.keys(p.reservations)) {
      violations.push(
        `[final-reserved] ${p.name} still holds a reservation for ${id} ` +
          `(${transferOf(db, id)?.phase})`,
      );
    }
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0n)
      violations.push(
        `[final-sum] ${currency} accounts sum to ${sum}, not 0 (money was created or lost)`,
      );
  }
  for (const id of inFlight(db, plans))
    violations.push(`[final-stuck] transfer ${id} never reached a final state`);
  for (const [id, expected] of model.transfers) {
    const actual = transferOf(db, id)?.phase ?? 'absent';
    if (actual !== expected.phase) {
      const credits = model.creditSeqs.get(id)?.join(', ') ?? 'none';
      violations.push(
        `[final-model] transfer ${id}: the model expects ${expected.phase} ` +
          `(decided by ${expected.decidedBy}), ` +
          `the database holds ${actual} (CreditPosition at ${credits})`,
      );
    }
  }
  const expected = model.expectedPositions();
  for (const name of DFSPS) {
    const p = participants.find((x) => x.name === name);
    const position = Object.values(p?.accounts ?? {}).find(
      (a) => a.ledgerAccountType === 'POSITION',
    );
    const settlement = Object.values(p?.accounts ?? {}).find(
      (a) => a.ledgerAccountType === 'SETTLEMENT',
    );
    const want = expected.get(name) ?? 0n;
    if (position?.postedMinor !== want) {
      violations.push(
        `[final-position] ${name} position is ${position?.postedMinor}, the model expects ${want}`,
      );
    }
    if (settlement?.postedMinor !== -FUNDS_IN_MINOR) {
      violations.push(
        `[final-position] ${name} settlement is ${settlement?.postedMinor}, ` +
          `expected ${-FUNDS_IN_MINOR}`,
      );
    }
  }
  for (const row of db.poison.values()) {
    // A copy re-published past the applied-commands horizon is parked by design (issue 9 #4).
    if (row.status === 'parked' && row.reason.startsWith('late copy')) continue;
    violations.push(
      `[poison] ${row.status} at p${row.partition} #${row.seq} ${row.subject}: ${row.reason}`,
    );
  }
  return violations;
}
