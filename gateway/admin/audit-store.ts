// Where the Admin API keeps its audit record and its maker-checker approvals: two tables in the
// system-of-record database (schema/db/tables.ts), written by the gateway directly, since neither
// is actor state. The audit store only inserts and reads. An approval is decided by a conditional
// update (state PENDING to APPROVED or REJECTED), so two approvers racing get one winner.

import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { Db } from '../../runtime/db.ts';
import { adminApprovals, adminAudit } from '../../schema/db/tables.ts';

export type AuditEntry = {
  readonly id: string;
  readonly at: string;
  readonly operator: string;
  readonly roles: string;
  readonly method: string;
  readonly path: string;
  readonly request: string | null;
  readonly status: number;
  readonly outcome: string;
  readonly approvalId: string | null;
};

export type AuditFilter = {
  readonly operator?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly limit: number;
};

export type Approval = {
  readonly id: string;
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly method: string;
  readonly path: string;
  readonly body: string | null;
  readonly state: 'PENDING' | 'APPROVED' | 'REJECTED';
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly outcomeStatus: number | null;
  readonly outcome: string | null;
};

export type NewApproval = Pick<Approval, 'requestedBy' | 'method' | 'path' | 'body'>;

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

function approvalOf(row: typeof adminApprovals.$inferSelect): Approval {
  return {
    ...row,
    requestedAt: row.requestedAt.toISOString(),
    decidedAt: iso(row.decidedAt),
    state: row.state as Approval['state'],
  };
}

export class AdminRecords {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async appendAudit(entry: Omit<AuditEntry, 'id' | 'at'>, atMs: number): Promise<void> {
    await this.#db.insert(adminAudit).values({ ...entry, id: randomUUID(), at: new Date(atMs) });
  }

  async queryAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const where: SQL[] = [];
    if (filter.operator !== undefined) where.push(eq(adminAudit.operator, filter.operator));
    if (filter.fromMs !== undefined) where.push(gte(adminAudit.at, new Date(filter.fromMs)));
    if (filter.toMs !== undefined) where.push(lte(adminAudit.at, new Date(filter.toMs)));
    const rows = await this.#db
      .select()
      .from(adminAudit)
      .where(and(...where))
      .orderBy(desc(adminAudit.at))
      .limit(filter.limit);
    return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
  }

  async createApproval(request: NewApproval, atMs: number): Promise<Approval> {
    const row = { ...request, id: randomUUID(), requestedAt: new Date(atMs), state: 'PENDING' };
    await this.#db.insert(adminApprovals).values(row);
    return approvalOf({
      ...row,
      decidedBy: null,
      decidedAt: null,
      outcomeStatus: null,
      outcome: null,
    });
  }

  async approval(id: string): Promise<Approval | undefined> {
    const [row] = await this.#db.select().from(adminApprovals).where(eq(adminApprovals.id, id));
    return row === undefined ? undefined : approvalOf(row);
  }

  async approvals(state?: string): Promise<Approval[]> {
    const rows = await this.#db
      .select()
      .from(adminApprovals)
      .where(state === undefined ? undefined : eq(adminApprovals.state, state))
      .orderBy(desc(adminApprovals.requestedAt))
      .limit(500);
    return rows.map(approvalOf);
  }

  /** Moves a PENDING approval to `state`; false when it was not pending (someone else decided). */
  async decide(
    id: string,
    state: 'APPROVED' | 'REJECTED',
    decidedBy: string,
    atMs: number,
  ): Promise<boolean> {
    const rows = await this.#db
      .update(adminApprovals)
      .set({ state, decidedBy, decidedAt: new Date(atMs) })
      .where(and(eq(adminApprovals.id, id), eq(adminApprovals.state, 'PENDING')))
      .returning({ id: adminApprovals.id });
    return rows.length === 1;
  }

  async recordOutcome(id: string, status: number, outcome: string): Promise<void> {
    await this.#db
      .update(adminApprovals)
      .set({ outcomeStatus: status, outcome })
      .where(eq(adminApprovals.id, id));
  }
}
