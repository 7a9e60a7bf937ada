// Production mode refuses to start with settings that leave DFSPs, signatures or the Admin API
// unauthenticated, and says which setting to change; development keeps `make run` one command.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../ops/config.ts';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('the configuration was accepted');
}

const SAFE = {
  MKONDO_ENV: 'production',
  FSPIOP_AUTH: 'mtls',
  FSPIOP_TLS_CERT_PATH: '/etc/mkondo/server.crt',
  FSPIOP_TLS_KEY_PATH: '/etc/mkondo/server.key',
  FSPIOP_TLS_CA_PATH: '/etc/mkondo/scheme-ca.crt',
  JWS_VERIFY: 'required',
  ADMIN_OPERATORS_PATH: '/etc/mkondo/operators.json',
};

describe('production mode', () => {
  it('refuses the development defaults, naming every setting to change', () => {
    assert.equal(
      refusal({ MKONDO_ENV: 'production', JWS_VERIFY: 'off' }),
      [
        'MKONDO_ENV=production refuses to start:',
        '  FSPIOP_AUTH=none leaves DFSPs unauthenticated: set FSPIOP_AUTH=mtls (or header)',
        '  JWS_VERIFY=off: set JWS_VERIFY=required (or verify-when-registered)',
        '  the Admin API is unauthenticated: set ADMIN_OPERATORS_PATH or ADMIN_OIDC_ISSUER',
      ].join('\n'),
    );
  });

  it('starts with mTLS, JWS and authenticated operators; maker-checker on by default', () => {
    const config = loadConfig(SAFE);
    assert.equal(config.FSPIOP_AUTH, 'mtls');
    assert.equal(config.ADMIN_MAKER_CHECKER, undefined);
  });

  it('refuses mtls without its files and header mode without its header, in any mode', () => {
    assert.equal(
      refusal({ FSPIOP_AUTH: 'mtls', FSPIOP_TLS_CERT_PATH: '/x.crt' }),
      'invalid configuration:\n' +
        '  FSPIOP_AUTH=mtls needs FSPIOP_TLS_CERT_PATH, FSPIOP_TLS_KEY_PATH and FSPIOP_TLS_CA_PATH',
    );
    assert.match(refusal({ FSPIOP_AUTH: 'header' }), /FSPIOP_AUTH=header needs FSPIOP_AUTH_HEADER/);
    assert.match(
      refusal({ ...SAFE, ADMIN_OIDC_ISSUER: 'https://id.example' }),
      /ADMIN_OIDC_ISSUER needs ADMIN_OIDC_JWKS_URL/,
    );
  });

  it('keeps the development defaults: no certificates, JWS verified when keys are registered', () => {
    const config = loadConfig({});
    assert.equal(config.FSPIOP_AUTH, 'none');
    assert.equal(config.JWS_VERIFY, 'verify-when-registered');
    assert.equal(config.FSPIOP_RATE_PER_DFSP, 0);
  });

  it('stops the process before it listens or connects, saying what to set', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'mkondo.js');
    const run = spawnSync(process.execPath, [bin, 'gateway'], {
      env: { PATH: process.env['PATH'] ?? '', MKONDO_ENV: 'production', JWS_VERIFY: 'off' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^mkondo: MKONDO_ENV=production refuses to start:\n/);
    assert.match(run.stderr, /set FSPIOP_AUTH=mtls/);
    assert.match(run.stderr, /set JWS_VERIFY=required/);
    assert.match(run.stderr, /set ADMIN_OPERATORS_PATH or ADMIN_OIDC_ISSUER/);
  });
});
