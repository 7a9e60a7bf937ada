// A throwaway PKI for the mTLS tests, made with the `openssl` command line (node:crypto cannot
// issue X.509 certificates): a scheme CA, the hub's server certificate for 127.0.0.1, and one
// client certificate per DFSP whose subject CN is the DFSP's name, all in a temporary folder.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type IssuedCertificate = {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  readonly key: string;
};

export type TestPki = {
  readonly dir: string;
  readonly ca: IssuedCertificate;
  readonly server: IssuedCertificate;
  /** Issues a client certificate with subject CN=`name`, signed by this CA (or `by`). */
  client(name: string, by?: IssuedCertificate): IssuedCertificate;
  /** A second, untrusted CA. */
  rogueCa(): IssuedCertificate;
  remove(): void;
};

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issued(dir: string, name: string): IssuedCertificate {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  return {
    certPath,
    keyPath,
    cert: readFileSync(certPath, 'utf8'),
    key: readFileSync(keyPath, 'utf8'),
  };
}

function selfSignedCa(dir: string, name: string): IssuedCertificate {
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`].concat([
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ]),
    dir,
  );
  return issued(dir, name);
}

let issuedCount = 0;

function signed(dir: string, name: string, ca: IssuedCertificate, extensions: string) {
  issuedCount += 1;
  const file = `${name}-${issuedCount}`;
  writeFileSync(join(dir, `${file}.ext`), extensions);
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`].concat([
      '-keyout',
      `${file}.key`,
      '-out',
      `${file}.csr`,
    ]),
    dir,
  );
  openssl(
    ['x509', '-req', '-in', `${file}.csr`, '-CA', ca.certPath, '-CAkey', ca.keyPath].concat([
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${file}.crt`,
      '-extfile',
      `${file}.ext`,
    ]),
    dir,
  );
  return issued(dir, file);
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'mkondo-pki-'));
  const ca = selfSignedCa(dir, 'scheme-ca');
  const server = signed(dir, 'hub-server', ca, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  return {
    dir,
    ca,
    server,
    client: (name, by = ca) => signed(dir, name, by, 'extendedKeyUsage=clientAuth\n'),
    rogueCa: () => selfSignedCa(dir, 'rogue-ca'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
