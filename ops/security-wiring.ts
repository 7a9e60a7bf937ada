// Turns the security settings into what the roles run with: the FSPIOP port's TLS server
// options (FSPIOP_AUTH=mtls: server certificate and key, the CA bundle that issues DFSP client
// certificates, a client certificate required), the FSPIOP gateway's authentication, JWS and
// budget settings, and the Admin API's operators. Files are read once, at start.

import { readFileSync } from 'node:fs';
import { createServer, type ServerOptions } from 'node:https';
import type { FspiopSecurity } from '../gateway/fspiop/auth.ts';
import type { Config } from './config.ts';

export function fspiopSecurityOf(config: Config): FspiopSecurity {
  return {
    authMode: config.FSPIOP_AUTH,
    ...(config.FSPIOP_AUTH_HEADER ? { authHeader: config.FSPIOP_AUTH_HEADER.toLowerCase() } : {}),
    jwsMode: config.JWS_VERIFY,
    ratePerSecond: config.FSPIOP_RATE_PER_DFSP,
    burst: config.FSPIOP_BURST_PER_DFSP || config.FSPIOP_RATE_PER_DFSP,
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
