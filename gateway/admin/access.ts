// The Admin API's gate (README "Security"): every request but /health is authenticated
// (operators.ts), authorised by role (read-only reads; operator writes; approver decides
// approvals; admin all), held for a second operator when maker-checker covers it (funds in and
// out, limits, endpoints, oracles, credentials), and recorded in the append-only audit record
// with its outcome. An approved request runs later through the same app, as its maker, carried
// in the request env (which no HTTP client can set), so it is validated exactly like a direct one.

import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { TargetRange } from '../../runtime/notifier/url.ts';
import { errorBody, fspiopError } from '../../schema/fspiop/errors.ts';
import { bodyTextOf } from '../fspiop/request-body.ts';
import { approvalRoutes } from './approvals.ts';
import type { AdminRecords, Approval } from './audit-store.ts';
import { hasRole, type Operator, type OperatorAuthenticator } from './operators.ts';
import { refusedRegistration } from './targets.ts';

export type AdminSecurity = {
  readonly operators: OperatorAuthenticator;
  /** Non-public ranges an endpoint or oracle URL may name (CALLBACK_ALLOWED_RANGES). */
  readonly allowedRanges: readonly TargetRange[];
  readonly records: AdminRecords;
  readonly makerChecker: boolean;
  readonly nowMs?: () => number;
};

/** What an approved request carries in its env when it finally runs. */
export type ApprovedEnv = { readonly approved: { readonly approval: Approval } };

/** Requests one operator makes and another approves (when maker-checker is on). */
const MAKER_CHECKED: ReadonlyArray<readonly [string, RegExp]> = [
  ['POST', /^\/participants\/[^/]+\/accounts\/[^/]+$/],
  ['PUT', /^\/participants\/[^/]+\/accounts\/[^/]+\/transfers\/[^/]+$/],
  ['PUT', /^\/participants\/[^/]+\/limits$/],
  ['POST', /^\/participants\/[^/]+\/initialPositionAndLimits$/],
  ['POST', /^\/participants\/[^/]+\/endpoints$/],
  ['POST', /^\/participants\/[^/]+\/(certificates|jwscerts)$/],
  ['DELETE', /^\/participants\/[^/]+\/(certificates|jwscerts)\/[^/]+$/],
  ['POST', /^\/oracles$/],
  ['PUT', /^\/oracles\/[^/]+$/],
  ['DELETE', /^\/oracles\/[^/]+$/],
];

export function needsApproval(method: string, path: string): boolean {
  return MAKER_CHECKED.some(([m, pattern]) => m === method && pattern.test(path));
}

const READS = new Set(['GET', 'HEAD']);
const AUDITED_REQUEST_CHARS_MAX = 65_536;

export function permitted(operator: Operator, method: string, path: string): boolean {
  if (READS.has(method)) return operator.roles.length > 0;
  if (/^\/approvals\/[^/]+\/(approve|reject)$/.test(path)) return hasRole(operator, 'approver');
  return hasRole(operator, 'operator');
}

function deny(c: Context, status: 401 | 403, detail: string): Response {
  return c.json(errorBody(fspiopError('3000', detail)), status);
}

async function outcomeOf(response: Response): Promise<string> {
  if (response.status < 400) return 'ok';
  try {
    const body = (await response.clone().json()) as {
      errorInformation?: { errorCode?: string; errorDescription?: string };
    };
    const info = body.errorInformation;
    return info ? `${info.errorCode} ${info.errorDescription}` : `status ${response.status}`;
  } catch {
    return `status ${response.status}`;
  }
}

/** The body text the edge read (within its limit); null when there is none. */
function requestText(c: Context): string | null {
  const text = bodyTextOf(c);
  return text === undefined || text === '' ? null : text;
}

export function installAdminAccess(app: Hono, security: AdminSecurity): void {
  const now = () => (security.nowMs ?? Date.now)();
  const gate: MiddlewareHandler = async (c, next) => {
    if (c.req.path === '/health' || c.req.path === '/v2/health') return next();
    const approved = (c.env as Partial<ApprovedEnv> | undefined)?.approved?.approval;
    const operator: Operator | undefined = approved
      ? { name: approved.requestedBy, roles: ['operator'] }
      : await security.operators.authenticate(c.req.header('authorization'));
    const request = requestText(c);
    const path = c.req.path + (new URL(c.req.url).search || '');
    const record = async (status: number, outcome: string) =>
      security.records.appendAudit(
        {
          operator: operator?.name ?? 'unauthenticated',
          roles: operator?.roles.join(' ') ?? '',
          method: c.req.method,
          path,
          request: request === null ? null : request.slice(0, AUDITED_REQUEST_CHARS_MAX),
          status,
          outcome,
          approvalId: approved?.id ?? null,
        },
        now(),
      );
    if (operator === undefined) {
      await record(401, '3000 Unauthorized');
      return deny(c, 401, 'Unauthorized');
    }
    if (!permitted(operator, c.req.method, c.req.path)) {
      await record(403, `3000 role ${operator.roles.join(' ')} may not ${c.req.method}`);
      return deny(c, 403, `Forbidden: ${operator.name} may not ${c.req.method} ${c.req.path}`);
    }
    const target = refusedRegistration(c.req.method, c.req.path, request, security.allowedRanges);
    if (target !== undefined) {
      await record(400, `3100 ${target}`);
      return c.json(errorBody(fspiopError('3100', `${target} (CALLBACK_ALLOWED_RANGES)`)), 400);
    }
    c.set('operator' as never, operator as never);
    if (!approved && security.makerChecker && needsApproval(c.req.method, c.req.path)) {
      const approval = await security.records.createApproval(
        { requestedBy: operator.name, method: c.req.method, path, body: request },
        now(),
      );
      await record(202, `pending approval ${approval.id}`);
      return c.json({ approvalId: approval.id, state: approval.state }, 202);
    }
    await next();
    await record(c.res.status, await outcomeOf(c.res));
  };
  app.use('*', gate);
  app.route('/', approvalRoutes(app, security));
}
