// The release tooling's own logic (ops/release): the Dockerfile builds with the script CI
// smoke-tests and keeps the image's promises; detached signatures verify with the public key,
// with Node and with the openssl command line, and fail once an artefact or its signature
// changes; the licence allow-list reads SPDX expressions; audit exceptions need a reason and an
// expiry, and stop excusing once expired.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exceptionsInForce, licenceAllowed } from '../../ops/release/gates.ts';
import { signFiles, unverified } from '../../ops/release/sign.ts';

describe('the image', () => {
  it('is built by ops/release/build.sh on a base pinned by digest, and runs as non-root', () => {
    const dockerfile = readFileSync(join(import.meta.dirname, '..', '..', 'Dockerfile'), 'utf8');
    const lines = dockerfile.split('\n').filter((line) => !line.startsWith('#'));
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
    assert.match(base, /^node:20-[a-z-]+@sha256:[0-9a-f]{64}$/);
    const stages = lines.filter((line) => line.startsWith('FROM '));
    assert.deepEqual(stages, ['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE}']);
    assert.ok(lines.includes('RUN bash ops/release/build.sh /app'));
    const final = lines.slice(lines.indexOf('FROM ${NODE_IMAGE}'));
    assert.ok(final.includes('USER node'));
    assert.ok(final.some((line) => line.startsWith('COPY --from=build')));
    assert.ok(final.includes('ENTRYPOINT ["node", "/app/bin/mkondo.js"]'));
    assert.ok(!final.some((line) => line.startsWith('RUN ')), 'the final stage runs nothing');
  });
});

describe('release artefacts', () => {
  it('are signed with a key from a file and verified with its public key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mkondo-release-'));
    try {
      const pair = generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const [privatePath, publicPath] = [join(dir, 'key.pem'), join(dir, 'key.pub')];
      writeFileSync(privatePath, pair.privateKey);
      writeFileSync(publicPath, pair.publicKey);
      const files = ['mkondo-0.1.0.tgz', 'sbom.cdx.json'].map((name) => join(dir, name));
      for (const file of files) writeFileSync(file, `contents of ${file}`);
      signFiles(privatePath, files);
      assert.deepEqual(unverified(publicPath, files), []);
      const openssl = execFileSync(
        'openssl',
        ['dgst', '-sha256', '-verify', publicPath, '-signature', `${files[0]}.sig`, files[0]!],
        { encoding: 'utf8' },
      );
      assert.equal(openssl.trim(), 'Verified OK');
      appendFileSync(files[1]!, ' tampered');
      assert.deepEqual(unverified(publicPath, files), [files[1]]);
      rmSync(`${files[0]}.sig`);
      assert.deepEqual(unverified(publicPath, files), files);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('supply-chain gates', () => {
  it('allow a licence expression only when the allow-list covers it', () => {
    const allowed = new Set(['MIT', 'Apache-2.0']);
    assert.equal(licenceAllowed('MIT', allowed), true);
    assert.equal(licenceAllowed('(MIT OR GPL-3.0)', allowed), true);
    assert.equal(licenceAllowed('MIT AND GPL-3.0', allowed), false);
    assert.equal(licenceAllowed('GPL-3.0', allowed), false);
  });

  it('keep an audit exception only until it expires', () => {
    const now = Date.parse('2026-12-04T00:00:00Z');
    const base = { advisory: 'GHSA-xxxx', package: 'pg', reason: 'not reachable: no TLS' };
    const current = { ...base, expires: '2027-01-01' };
    const expired = { ...base, expires: '2026-11-01' };
    assert.deepEqual(exceptionsInForce([current, expired], now), [current]);
  });
});
