// Who is calling the FSPIOP API, and may it say what it says (README "Security"). The caller is
// authenticated by its TLS client certificate (FSPIOP_AUTH=mtls) or by the identity a
// TLS-terminating proxy puts in a header (FSPIOP_AUTH=header), matched against the certificates
// registered for the participant its FSPIOP-Source names; a request whose source is not the
// caller is refused (3000) before anything is published. A registration (POST /participants/...)
// must name the caller as fspId. Then the sender's FSPIOP-Signature is verified (3105) when it
// has registered keys or JWS is required, and its request budget is charged (503/2003).

import type { TLSSocket } from 'node:tls';
import type { Context, MiddlewareHandler } from 'hono';
import {
  CREDENTIAL_ACTOR_TYPE,
  type CredentialDirectoryEntry,
} from '../../actors/credential/index.ts';
import type { TargetRange } from '../../runtime/notifier/url.ts';
import { OracleClient } from '../../runtime/oracle/client.ts';
import { FspiopCode } from '../../schema/fspiop/errors.ts';
import { RequestBudgets } from './budget.ts';
import type { FspiopDeps } from './deps.ts';
import { verifyFspiopSignature } from './jws-verify.ts';
import { FspiopHttpError } from './problem.ts';
import { bodyTextOf } from './request-body.ts';

export type FspiopSecurity = {
  readonly authMode: 'none' | 'mtls' | 'header';
  /** FSPIOP_AUTH=header: the header holding the proxy-verified fingerprint or subject. */
  readonly authHeader?: string;
  readonly jwsMode: 'off' | 'verify-when-registered' | 'required';
  /** Requests per second per DFSP; absent or 0: no budget. */
  readonly ratePerSecond?: number;
  readonly burst?: number;
  /** Non-public ranges an external oracle may resolve to (CALLBACK_ALLOWED_RANGES). */
  readonly allowedRanges?: readonly TargetRange[];
};

/** What authenticated the caller: a certificate fingerprint and/or a subject common name. */
export type ClientIdentity = { readonly fingerprint256?: string; readonly subject?: string };

const FINGERPRINT = /^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/;

function refused(code: '3000' | '3105', detail: string): FspiopHttpError {
  return new FspiopHttpError(code, detail);
}

/** The identity the TLS handshake or the proxy header proves, if any. */
export function callerIdentity(c: Context, security: FspiopSecurity): ClientIdentity | undefined {
  if (security.authMode === 'mtls') {
    const socket = (c.env as { incoming?: { socket?: Partial<TLSSocket> } })?.incoming?.socket;
    const cert = socket?.getPeerCertificate?.();
    if (!socket?.authorized || !cert?.fingerprint256) return undefined;
    const cn = cert.subject?.CN;
    return {
      fingerprint256: cert.fingerprint256,
      ...(typeof cn === 'string' ? { subject: cn } : {}),
    };
  }
  const value = c.req.header(security.authHeader ?? '')?.trim();
  if (!value) return undefined;
  if (FINGERPRINT.test(value)) {
    const bare = value.replace(/:/g, '').toUpperCase();
    return { fingerprint256: bare.match(/.{2}/g)?.join(':') ?? bare };
  }
  const cn = /(?:^|[,/\s])CN=([^,/]+)/.exec(value)?.[1]?.trim();
  return { subject: cn ?? value };
}

/** True when one of the participant's registered certificates is the caller's. */
export function identifies(entry: CredentialDirectoryEntry | undefined, who: ClientIdentity) {
  return (entry?.certificates ?? []).some(
    (c) =>
      (c.fingerprint256 !== undefined && c.fingerprint256 === who.fingerprint256) ||
      (c.subject !== undefined && c.subject === who.subject),
  );
}

/** A registration names its owner in the body; it must be the (authenticated) sender. */
function checkRegistrationOwner(source: string, body: string): void {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return; // the route answers malformed JSON with 3101
  }
  const record = (value ?? {}) as { fspId?: unknown; partyList?: unknown };
  const items = Array.isArray(record.partyList) ? record.partyList : [record];
  for (const item of items as Array<{ fspId?: unknown } | null>) {
    const fspId = item?.fspId;
    if (fspId !== undefined && fspId !== source) {
      throw refused('3000', `fspId ${String(fspId)} is not the sender ${source}`);
    }
  }
}

/**
 * Only requests with a body are signed, as in Mojaloop: the SDK's signer refuses a request without
 * one (its GET and DELETE never sign) and its inbound validator skips GET. A GET or DELETE is
 * authenticated by the caller's certificate alone, whatever JWS_VERIFY says.
 */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The body the edge read (within its limit), else read here and left readable for the routes. */
async function bodyText(c: Context): Promise<string> {
  const kept = bodyTextOf(c);
  if (kept !== undefined) return kept;
  const text = await c.req.text();
  c.req.raw = new Request(c.req.raw, { body: text });
  return text;
}

function requestUri(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

export function fspiopSecurity(deps: FspiopDeps, security: FspiopSecurity): MiddlewareHandler {
  const budgets =
    security.ratePerSecond && security.ratePerSecond > 0
      ? new RequestBudgets({
          ratePerSecond: security.ratePerSecond,
          burst: Math.max(1, security.burst ?? security.ratePerSecond),
          ...(deps.nowMs ? { nowMs: deps.nowMs } : {}),
        })
      : undefined;
  const check = async (c: Context, source: string) => {
    const entry = deps.directory.lookup<CredentialDirectoryEntry>(CREDENTIAL_ACTOR_TYPE, source);
    if (security.authMode !== 'none') {
      const who = callerIdentity(c, security);
      if (who === undefined) throw refused('3000', 'no authenticated client identity');
      if (!identifies(entry, who)) {
        throw refused('3000', `FSPIOP-Source ${source} is not the authenticated participant`);
      }
    }
    const keys = entry?.jwsKeys ?? [];
    const signs =
      security.jwsMode === 'required' || (security.jwsMode !== 'off' && keys.length > 0);
    const hasBody = BODY_METHODS.has(c.req.method);
    const registers = c.req.method === 'POST' && c.req.path.startsWith('/participants');
    if (!hasBody || !(signs || (registers && security.authMode !== 'none'))) return;
    const body = await bodyText(c);
    if (registers && security.authMode !== 'none') checkRegistrationOwner(source, body);
    if (signs) {
      const request = { method: c.req.method, uri: requestUri(c), body };
      await verifyFspiopSignature({ ...request, header: (n) => c.req.header(n) }, keys);
    }
  };
  return async (c, next) => {
    const source = c.req.header('fspiop-source')?.trim();
    // Without a source the route's header validation answers 3102; nothing is published.
    if (source === undefined || c.req.path === '/health') return next();
    await check(c, source);
    if (budgets && !budgets.take(source)) {
      throw new FspiopHttpError(
        FspiopCode.SERVICE_CURRENTLY_UNAVAILABLE,
        `${source} is over its request budget`,
      );
    }
    await next();
  };
}

/** The external-oracle client, judging oracle addresses as configured (README "Security"). */
export function oracleClientFor(security: FspiopSecurity | undefined): OracleClient {
  const allowedRanges = security?.allowedRanges;
  return new OracleClient(allowedRanges ? { allowedRanges } : {});
}
