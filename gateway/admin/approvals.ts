// Maker-checker decisions and the audit record, on the Admin API: GET /approvals[?state=],
// GET /approvals/{id}, POST /approvals/{id}/approve and /reject, GET /audit. The checker must be
// another operator than the maker. Approving runs the held request through the Admin app as its
// maker (so it is validated as if sent now) and keeps the answer with the approval; a second
// approver of the same request finds it no longer pending.

import { Hono } from 'hono';
import { errorBody, fspiopError } from '../../schema/fspiop/errors.ts';
import type { AdminSecurity, ApprovedEnv } from './access.ts';
import type { Approval } from './audit-store.ts';
import type { Operator } from './operators.ts';

const AUDIT_LIMIT_MAX = 1000;
const OUTCOME_CHARS_MAX = 65_536;

function timeParam(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

async function execute(admin: Hono, approval: Approval): Promise<Response> {
  const init: RequestInit = { method: approval.method };
  if (approval.body !== null) {
    init.body = approval.body;
    init.headers = { 'content-type': 'application/json' };
  }
  const env: ApprovedEnv = { approved: { approval } };
  return admin.fetch(new Request(`http://admin${approval.path}`, init), env);
}

export function approvalRoutes(admin: Hono, security: AdminSecurity): Hono {
  const app = new Hono();
  const now = () => (security.nowMs ?? Date.now)();
  const refuse = (detail: string) => errorBody(fspiopError('3000', detail));

  app.get('/audit', async (c) => {
    const limit = Math.min(Number(c.req.query('limit') ?? 100) || 100, AUDIT_LIMIT_MAX);
    const operator = c.req.query('operator');
    const fromMs = timeParam(c.req.query('from'));
    const toMs = timeParam(c.req.query('to'));
    const entries = await security.records.queryAudit({
      limit,
      ...(operator ? { operator } : {}),
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
    });
    return c.json(entries);
  });

  app.get('/approvals', async (c) =>
    c.json(await security.records.approvals(c.req.query('state'))),
  );
  app.get('/approvals/:id', async (c) => {
    const approval = await security.records.approval(c.req.param('id'));
    if (!approval) return c.json(errorBody(fspiopError('3200', 'approval not found')), 400);
    return c.json(approval);
  });

  for (const decision of ['approve', 'reject'] as const) {
    app.post(`/approvals/:id/${decision}`, async (c) => {
      const checker = c.get('operator' as never) as Operator;
      const approval = await security.records.approval(c.req.param('id'));
      if (!approval) return c.json(errorBody(fspiopError('3200', 'approval not found')), 400);
      if (approval.requestedBy === checker.name) {
        return c.json(refuse('the maker of a request cannot also approve it'), 403);
      }
      const state = decision === 'approve' ? 'APPROVED' : 'REJECTED';
      if (!(await security.records.decide(approval.id, state, checker.name, now()))) {
        return c.json(refuse(`approval ${approval.id} is ${approval.state}, not PENDING`), 400);
      }
      if (state === 'REJECTED') return c.json({ approvalId: approval.id, state });
      const response = await execute(admin, { ...approval, state });
      const text = (await response.text()).slice(0, OUTCOME_CHARS_MAX);
      await security.records.recordOutcome(approval.id, response.status, text);
      return c.json({ approvalId: approval.id, state, status: response.status, response: text });
    });
  }
  return app;
}
