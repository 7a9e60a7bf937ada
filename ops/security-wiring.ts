// Turns the security settings into what the roles run with: the FSPIOP port's TLS server
// options (FSPIOP_AUTH=mtls: server certificate and key, the CA bundle that issues DFSP client
// certificates, a client certificate required), the FSPIOP gateway's authentication, JWS and
// budget settings, and the Admin API's operators. Files are read once, at start.

import { readFileSync } from 'node:fs';
import { createServer, type ServerOptions } from 'node:https';
import {
  type ConnectionOptions,
  credsAuthenticator,
  nkeyAuthenticator,
} from '@nats-io/transport-node';
import type { AdminSecurity } from '../gateway/admin/access.ts';
import { AdminRecords } from '../gateway/admin/audit-store.ts';
import { operatorAuthenticator } from '../gateway/admin/operators.ts';
import type { FspiopSecurity } from '../gateway/fspiop/auth.ts';
import type { Db } from '../runtime/db.ts';
import type { Config } from './config.ts';
import { allowedRanges, makerCheckerOn } from './security-config.ts';

export function fspiopSecurityOf(config: Config): FspiopSecurity {
  return {
    authMode: config.FSPIOP_AUTH,
    ...(config.FSPIOP_AUTH_HEADER ? { authHeader: config.FSPIOP_AUTH_HEADER.toLowerCase() } : {}),
    jwsMode: config.JWS_VERIFY,
    ratePerSecond: config.FSPIOP_RATE_PER_DFSP,
    burst: config.FSPIOP_BURST_PER_DFSP || config.FSPIOP_RATE_PER_DFSP,
    allowedRanges: allowedRanges(config),
  };
}

/** TLS options of the FSPIOP server, or undefined when it serves plain HTTP. */
export function fspiopTls(
  config: Config,
): { createServer: typeof createServer; serverOptions: ServerOptions } | undefined {
  if (config.FSPIOP_AUTH !== 'mtls') return undefined;
  const read = (file: string | undefined) => readFileSync(file ?? '', 'utf8');
  return {
    createServer,
    serverOptions: {
      cert: read(config.FSPIOP_TLS_CERT_PATH),
      key: read(config.FSPIOP_TLS_KEY_PATH),
      ca: read(config.FSPIOP_TLS_CA_PATH),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
  };
}

export function adminSecurityOf(config: Config, db: Db): AdminSecurity {
  const operators = operatorAuthenticator({
    ...(config.ADMIN_TOKEN ? { adminToken: config.ADMIN_TOKEN } : {}),
    ...(config.ADMIN_OPERATORS_PATH ? { operatorsPath: config.ADMIN_OPERATORS_PATH } : {}),
    ...(config.ADMIN_OIDC_ISSUER && config.ADMIN_OIDC_JWKS_URL
      ? {
          oidc: {
            issuer: config.ADMIN_OIDC_ISSUER,
            jwksUrl: config.ADMIN_OIDC_JWKS_URL,
            rolesClaim: config.ADMIN_OIDC_ROLES_CLAIM,
            ...(config.ADMIN_OIDC_AUDIENCE ? { audience: config.ADMIN_OIDC_AUDIENCE } : {}),
          },
        }
      : {}),
  });
  return {
    operators,
    records: new AdminRecords(db),
    makerChecker: makerCheckerOn(config),
    allowedRanges: allowedRanges(config),
  };
}

/** NATS credentials (a creds file with JWT and nkey seed, or an nkey seed) and TLS files. */
export function natsSecurityOptions(config: Config): Partial<ConnectionOptions> {
  const options: Partial<ConnectionOptions> = {};
  if (config.NATS_CREDS_PATH) {
    options.authenticator = credsAuthenticator(readFileSync(config.NATS_CREDS_PATH));
  } else if (config.NATS_NKEY_SEED_PATH) {
    const seed = readFileSync(config.NATS_NKEY_SEED_PATH, 'utf8').trim();
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  const files = {
    ...(config.NATS_TLS_CA_PATH ? { caFile: config.NATS_TLS_CA_PATH } : {}),
    ...(config.NATS_TLS_CERT_PATH ? { certFile: config.NATS_TLS_CERT_PATH } : {}),
    ...(config.NATS_TLS_KEY_PATH ? { keyFile: config.NATS_TLS_KEY_PATH } : {}),
  };
  if (Object.keys(files).length > 0) options.tls = files;
  return options;
}
