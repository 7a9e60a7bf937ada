// Operator authentication and authorisation without services (a local JWKS server only): hashed
// tokens from the operators file, ADMIN_TOKEN as the development admin, OIDC JWTs verified with
// jose against issuer, audience and key set, roles mapped to what each may do, and which Admin
// requests maker-checker holds. Plus the Credential actor's decisions.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  type CredentialState,
  credentialActor,
  decideCredential,
} from '../../actors/credential/index.ts';
import { needsApproval, permitted } from '../../gateway/admin/access.ts';
import { operatorAuthenticator } from '../../gateway/admin/operators.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('operators', () => {
  it('authenticates file tokens by hash and ADMIN_TOKEN as the admin; refuses the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mkondo-ops-'));
    const path = join(dir, 'operators.json');
    const operators = [{ name: 'alice', roles: ['operator'], tokenSha256: sha256('alice-token') }];
    writeFileSync(path, JSON.stringify({ operators }));
    const auth = operatorAuthenticator({ operatorsPath: path, adminToken: 'development-admin-1' });
    assert.deepEqual(await auth.authenticate('Bearer alice-token'), {
      name: 'alice',
      roles: ['operator'],
    });
    assert.deepEqual(await auth.authenticate('Bearer development-admin-1'), {
      name: 'admin',
      roles: ['admin'],
    });
    assert.equal(await auth.authenticate('Bearer alice-token2'), undefined);
    assert.equal(await auth.authenticate('Basic alice-token'), undefined);
    assert.equal(await auth.authenticate(undefined), undefined);
    rmSync(dir, { recursive: true });
    const open = operatorAuthenticator({});
    assert.equal(open.enforced, false);
    assert.deepEqual(await open.authenticate(undefined), { name: 'anonymous', roles: ['admin'] });
  });

  it('verifies OIDC JWTs against the issuer key set, issuer and audience', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = 'https://id.example';
    const auth = operatorAuthenticator({
      oidc: {
        issuer,
        jwksUrl: `http://127.0.0.1:${port}/jwks`,
        audience: 'mkondo-admin',
        rolesClaim: 'roles',
      },
    });
    const token = (claims: { iss: string; aud: string }) =>
      new SignJWT({ roles: ['approver', 'unknown-role'], preferred_username: 'bob' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(claims.iss)
        .setAudience(claims.aud)
        .setSubject('user-42')
        .setExpirationTime('5m')
        .sign(privateKey);
    try {
      assert.deepEqual(
        await auth.authenticate(`Bearer ${await token({ iss: issuer, aud: 'mkondo-admin' })}`),
        { name: 'bob', roles: ['approver'] },
      );
      const foreign = await token({ iss: 'https://evil.example', aud: 'mkondo-admin' });
      assert.equal(await auth.authenticate(`Bearer ${foreign}`), undefined);
      const otherAudience = await token({ iss: issuer, aud: 'another-api' });
      assert.equal(await auth.authenticate(`Bearer ${otherAudience}`), undefined);
    } finally {
      server.close();
    }
  });

  it('lets read-only read, operators write, approvers decide', () => {
    const reader = { name: 'r', roles: ['read-only'] as const };
    const operator = { name: 'o', roles: ['operator'] as const };
    const approver = { name: 'a', roles: ['approver'] as const };
    const checks = [
      permitted(reader, 'GET', '/audit'),
      permitted(reader, 'POST', '/participants'),
      permitted(operator, 'POST', '/participants'),
      permitted(operator, 'POST', '/approvals/x/approve'),
      permitted(approver, 'POST', '/approvals/x/approve'),
      permitted(approver, 'PUT', '/participants/p/limits'),
    ];
    assert.deepEqual(checks, [true, false, true, false, true, false]);
    assert.deepEqual(
      [
        needsApproval('POST', '/participants/p/accounts/7'),
        needsApproval('PUT', '/participants/p/accounts/7/transfers/t'),
        needsApproval('PUT', '/participants/p/limits'),
        needsApproval('POST', '/participants/p/endpoints'),
        needsApproval('DELETE', '/oracles/1'),
        needsApproval('POST', '/participants'),
        needsApproval('GET', '/participants/p/accounts'),
      ],
      [true, true, true, true, true, false, false],
    );
  });
});

describe('Credential actor', () => {
  const empty: CredentialState = credentialActor.initial;
  const key = { kid: 'k1', publicKeyPem: 'PEM-1', createdAtMs: 1 };

  it('keeps several JWS keys, answers a repeat as done and refuses a kid reused for another key', () => {
    const added = decideCredential(empty, { kind: 'AddJwsKey', key });
    assert.deepEqual(added.events, [{ type: 'JwsKeyAdded', key }]);
    const state = credentialActor.evolve(empty, { type: 'JwsKeyAdded', key });
    assert.deepEqual(decideCredential(state, { kind: 'AddJwsKey', key }).events, []);
    const reused = decideCredential(state, {
      kind: 'AddJwsKey',
      key: { ...key, publicKeyPem: 'PEM-2' },
    });
    assert.deepEqual(reused.reply, {
      ok: false,
      error: {
        errorCode: '3003',
        errorDescription: 'Add Party information error - kid k1 is registered with another key',
      },
    });
    const second = { kid: 'k2', publicKeyPem: 'PEM-2', createdAtMs: 2 };
    const both = credentialActor.evolve(state, { type: 'JwsKeyAdded', key: second });
    assert.deepEqual(
      both.jwsKeys.map((k) => k.kid),
      ['k1', 'k2'],
    );
    const removed = decideCredential(both, { kind: 'RemoveJwsKey', kid: 'k1' });
    assert.deepEqual(removed.events, [{ type: 'JwsKeyRemoved', kid: 'k1' }]);
    assert.deepEqual(decideCredential(empty, { kind: 'RemoveJwsKey', kid: 'k9' }).reply, {
      ok: false,
      error: { errorCode: '3200', errorDescription: 'Generic ID not found - JWS key k9 not found' },
    });
  });
});
