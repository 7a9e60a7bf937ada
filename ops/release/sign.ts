// Detached signatures of release artefacts (README "Deploy"), with a key from a file, the way
// `cosign sign-blob --key` works but with nothing to download: `<file>.sig` holds the raw
// SHA-256 signature (RSA PKCS#1 v1.5 or ECDSA DER) that `openssl dgst -sha256 -verify pub.pem
// -signature <file>.sig <file>` checks as well; SHA256SUMS lists every artefact's digest.
// Usage: node --import tsx ops/release/sign.ts sign <private-key.pem> <file>...
//        node --import tsx ops/release/sign.ts verify <public-key.pem> <file>...

import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function signFiles(privateKeyPath: string, files: readonly string[]): void {
  const key = createPrivateKey(readFileSync(privateKeyPath));
  const sums: string[] = [];
  for (const file of files) {
    const data = readFileSync(file);
    writeFileSync(`${file}.sig`, sign('sha256', data, key));
    sums.push(`${createHash('sha256').update(data).digest('hex')}  ${basename(file)}`);
  }
  const first = files[0];
  if (first !== undefined)
    writeFileSync(join(dirname(first), 'SHA256SUMS'), `${sums.join('\n')}\n`);
}

/** The files whose signature does not verify with the public key (empty: all good). */
export function unverified(publicKeyPath: string, files: readonly string[]): string[] {
  const key = createPublicKey(readFileSync(publicKeyPath));
  return files.filter((file) => {
    try {
      return !verify('sha256', readFileSync(file), key, readFileSync(`${file}.sig`));
    } catch {
      return true;
    }
  });
}

function main(argv: readonly string[]): void {
  const [command, keyPath, ...files] = argv;
  if ((command !== 'sign' && command !== 'verify') || keyPath === undefined || files.length === 0) {
    process.stderr.write('usage: sign.ts sign|verify <key.pem> <file>...\n');
    process.exit(2);
  }
  if (command === 'sign') {
    signFiles(keyPath, files);
    process.stdout.write(`[release] signed ${files.length} artefacts\n`);
    return;
  }
  const bad = unverified(keyPath, files);
  if (bad.length > 0) {
    process.stderr.write(`[release] FAILED: signature does not verify: ${bad.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`[release] ${files.length} signatures verified\n`);
}

if (process.argv[1] === import.meta.filename) main(process.argv.slice(2));
