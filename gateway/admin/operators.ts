// Who is calling the Admin API, and what may they do (README "Security"). An operator presents a
// bearer token: one of the operators file's tokens (kept there as SHA-256 hashes), ADMIN_TOKEN
// (the full-rights development operator `admin`), or an OIDC JWT verified with jose against the
// configured issuer, audience and key set, whose roles claim names the roles. With none of these
// configured every caller is `anonymous` with full rights (development only: production refuses).

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as v from 'valibot';

export const ROLES = ['read-only', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Operator = { readonly name: string; readonly roles: readonly Role[] };

export type OperatorSettings = {
  readonly adminToken?: string;
  /** Operators file (ADMIN_OPERATORS_PATH): `{"operators":[{name, roles, tokenSha256}]}`. */
  readonly operatorsPath?: string;
  readonly oidc?: {
    readonly issuer: string;
    readonly jwksUrl: string;
    readonly audience?: string;
    readonly rolesClaim: string;
  };
};

const OperatorsFile = v.object({
  operators: v.array(
    v.object({
      name: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.@-]{1,64}$/)),
      roles: v.array(v.picklist(ROLES)),
      tokenSha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
    }),
  ),
});

type TokenOperator = Operator & { readonly tokenSha256: Buffer };

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export function loadOperatorsFile(path: string): TokenOperator[] {
  const parsed = v.safeParse(OperatorsFile, JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`ADMIN_OPERATORS_PATH ${path}: ${parsed.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.output.operators.map((o) => ({
    name: o.name,
    roles: o.roles,
    tokenSha256: Buffer.from(o.tokenSha256, 'hex'),
  }));
}

const ANONYMOUS: Operator = { name: 'anonymous', roles: ['admin'] };
const DEVELOPMENT_ADMIN: Operator = { name: 'admin', roles: ['admin'] };

export type OperatorAuthenticator = {
  /** Whether any authentication is configured (else everyone is `anonymous`). */
  readonly enforced: boolean;
  /** The operator a request's Authorization header proves, or undefined. */
  authenticate(authorization: string | undefined): Promise<Operator | undefined>;
};

function rolesOf(claim: unknown): Role[] {
  const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(' ') : [];
  return ROLES.filter((role) => names.includes(role));
}

export function operatorAuthenticator(settings: OperatorSettings): OperatorAuthenticator {
  const tokenOperators = settings.operatorsPath ? loadOperatorsFile(settings.operatorsPath) : [];
  const adminHash = settings.adminToken ? sha256(settings.adminToken) : undefined;
  const oidc = settings.oidc;
  const jwks: JWTVerifyGetKey | undefined = oidc
    ? createRemoteJWKSet(new URL(oidc.jwksUrl))
    : undefined;
  const enforced = adminHash !== undefined || tokenOperators.length > 0 || oidc !== undefined;
  return {
    enforced,
    async authenticate(authorization) {
      if (!enforced) return ANONYMOUS;
      const token = /^Bearer (\S{1,8192})$/.exec(authorization ?? '')?.[1];
      if (token === undefined) return undefined;
      // Hashing first makes every comparison the same length (timing-safe).
      const presented = sha256(token);
      if (adminHash && timingSafeEqual(presented, adminHash)) return DEVELOPMENT_ADMIN;
      const byToken = tokenOperators.find((o) => timingSafeEqual(presented, o.tokenSha256));
      if (byToken) return { name: byToken.name, roles: byToken.roles };
      if (!oidc || !jwks || token.split('.').length !== 3) return undefined;
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: oidc.issuer,
          ...(oidc.audience ? { audience: oidc.audience } : {}),
        });
        const name = payload['preferred_username'] ?? payload.sub;
        if (typeof name !== 'string') return undefined;
        return { name, roles: rolesOf(payload[oidc.rolesClaim]) };
      } catch {
        return undefined;
      }
    },
  };
}

export function hasRole(operator: Operator, ...roles: Role[]): boolean {
  return operator.roles.includes('admin') || roles.some((role) => operator.roles.includes(role));
}
