// The security settings (README "Security"): how DFSPs authenticate on the FSPIOP port, how
// their JWS signatures are checked, how operators authenticate on the Admin port, which
// callback targets are allowed, and the per-DFSP request budget. Development defaults keep
// `make run` one command without certificates; MKONDO_ENV=production refuses to start with a
// setting that leaves DFSPs, signatures or the Admin API unauthenticated, naming what to change.

import * as v from 'valibot';

const path = () => v.optional(v.pipe(v.string(), v.minLength(1, 'must be a file path')));

const httpsUrl = () =>
  v.optional(v.pipe(v.string(), v.regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')));

const wholeNumber = (fallback: string, max: number) =>
  v.pipe(
    v.optional(v.string(), fallback),
    v.regex(/^\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.maxValue(max, `must be at most ${max}`),
  );

/** Address ranges a callback or oracle URL may name besides public ones. */
export const TARGET_RANGES = ['loopback', 'private', 'link-local'] as const;
export type TargetRange = (typeof TARGET_RANGES)[number];

export const SECURITY_SETTINGS = {
  FSPIOP_AUTH: v.optional(
    v.picklist(['none', 'mtls', 'header'], 'must be none, mtls or header'),
    'none',
  ),
  FSPIOP_TLS_CERT_PATH: path(),
  FSPIOP_TLS_KEY_PATH: path(),
  FSPIOP_TLS_CA_PATH: path(),
  FSPIOP_AUTH_HEADER: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')),
  ),
  JWS_VERIFY: v.optional(
    v.picklist(
      ['off', 'verify-when-registered', 'required'],
      'must be off, verify-when-registered or required',
    ),
    'verify-when-registered',
  ),
  JWS_SIGNING_KEY_ID: v.optional(
    v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,128}$/, 'must be 1-128 printable characters')),
  ),
  ADMIN_OPERATORS_PATH: path(),
  ADMIN_OIDC_ISSUER: httpsUrl(),
  ADMIN_OIDC_JWKS_URL: httpsUrl(),
  ADMIN_OIDC_AUDIENCE: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  ADMIN_OIDC_ROLES_CLAIM: v.optional(v.string(), 'roles'),
  ADMIN_MAKER_CHECKER: v.optional(v.picklist(['true', 'false'], 'must be true or false')),
  CALLBACK_ALLOWED_RANGES: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(none|(loopback|private|link-local)(,(loopback|private|link-local))*)$/,
        'must be none or a comma list of loopback, private, link-local',
      ),
    ),
  ),
  NATS_CREDS_PATH: path(),
  NATS_NKEY_SEED_PATH: path(),
  NATS_TLS_CA_PATH: path(),
  NATS_TLS_CERT_PATH: path(),
  NATS_TLS_KEY_PATH: path(),
  FSPIOP_RATE_PER_DFSP: wholeNumber('0', 1_000_000),
  FSPIOP_BURST_PER_DFSP: wholeNumber('0', 10_000_000),
};

type SecurityInput = {
  readonly MKONDO_ENV: 'development' | 'production';
  readonly FSPIOP_AUTH: 'none' | 'mtls' | 'header';
  readonly FSPIOP_TLS_CERT_PATH?: string | undefined;
  readonly FSPIOP_TLS_KEY_PATH?: string | undefined;
  readonly FSPIOP_TLS_CA_PATH?: string | undefined;
  readonly FSPIOP_AUTH_HEADER?: string | undefined;
  readonly JWS_VERIFY: 'off' | 'verify-when-registered' | 'required';
  readonly ADMIN_TOKEN?: string | undefined;
  readonly ADMIN_OPERATORS_PATH?: string | undefined;
  readonly ADMIN_OIDC_ISSUER?: string | undefined;
  readonly ADMIN_OIDC_JWKS_URL?: string | undefined;
};

/** Settings that contradict each other, in any environment. */
function inconsistent(config: SecurityInput): string[] {
  const problems: string[] = [];
  const tls = [config.FSPIOP_TLS_CERT_PATH, config.FSPIOP_TLS_KEY_PATH, config.FSPIOP_TLS_CA_PATH];
  if (config.FSPIOP_AUTH === 'mtls' && tls.some((file) => file === undefined)) {
    problems.push(
      'FSPIOP_AUTH=mtls needs FSPIOP_TLS_CERT_PATH, FSPIOP_TLS_KEY_PATH and FSPIOP_TLS_CA_PATH',
    );
  }
  if (config.FSPIOP_AUTH === 'header' && config.FSPIOP_AUTH_HEADER === undefined) {
    problems.push('FSPIOP_AUTH=header needs FSPIOP_AUTH_HEADER (the header your TLS proxy sets)');
  }
  if (config.ADMIN_OIDC_ISSUER !== undefined && config.ADMIN_OIDC_JWKS_URL === undefined) {
    problems.push('ADMIN_OIDC_ISSUER needs ADMIN_OIDC_JWKS_URL (the issuer key set)');
  }
  return problems;
}

/** Every reason the configuration is unsafe to start with; empty when it may start. */
export function refuseUnsafeProduction(config: SecurityInput): string[] {
  const problems = inconsistent(config);
  if (config.MKONDO_ENV !== 'production') return problems;
  if (config.FSPIOP_AUTH === 'none') {
    problems.push(
      'FSPIOP_AUTH=none leaves DFSPs unauthenticated: set FSPIOP_AUTH=mtls (or header)',
    );
  }
  if (config.JWS_VERIFY === 'off') {
    problems.push('JWS_VERIFY=off: set JWS_VERIFY=required (or verify-when-registered)');
  }
  const adminAuth = [config.ADMIN_TOKEN, config.ADMIN_OPERATORS_PATH, config.ADMIN_OIDC_ISSUER];
  if (adminAuth.every((setting) => setting === undefined)) {
    problems.push(
      'the Admin API is unauthenticated: set ADMIN_OPERATORS_PATH or ADMIN_OIDC_ISSUER',
    );
  }
  return problems;
}

/** Maker-checker defaults on in production and off in development (one-call onboarding). */
export function makerCheckerOn(config: {
  readonly MKONDO_ENV: string;
  readonly ADMIN_MAKER_CHECKER?: 'true' | 'false' | undefined;
}): boolean {
  if (config.ADMIN_MAKER_CHECKER !== undefined) return config.ADMIN_MAKER_CHECKER === 'true';
  return config.MKONDO_ENV === 'production';
}

/** Allowed non-public callback ranges: loopback in development, none in production. */
export function allowedRanges(config: {
  readonly MKONDO_ENV: string;
  readonly CALLBACK_ALLOWED_RANGES?: string | undefined;
}): readonly TargetRange[] {
  const text =
    config.CALLBACK_ALLOWED_RANGES ?? (config.MKONDO_ENV === 'production' ? 'none' : 'loopback');
  return text === 'none' ? [] : (text.split(',') as TargetRange[]);
}
