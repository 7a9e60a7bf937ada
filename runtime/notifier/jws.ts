// FSPIOP-Signature for messages the hub originates (fspiop.md §13): when the scheme uses JWS the
// hub drops a relayed sender's signature on its own messages and signs them with its key. The
// Mojaloop JWS is a flattened JWS (RS256) over the body, whose protected header also binds the
// routing headers (FSPIOP-URI, FSPIOP-HTTP-Method, FSPIOP-Source, FSPIOP-Destination, Date); the
// header value is {"signature": ..., "protectedHeader": ...}. Signing itself is jose's. The
// protected header names the hub key's `kid` (JWS_SIGNING_KEY_ID, else its RFC 7638 thumbprint)
// so DFSPs can rotate to a new hub key, and hub bodies are sent in the canonical form (sorted
// keys) that Mojaloop's SDK validator re-serialises before it checks a signature.

import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, FlattenedSign, importPKCS8 } from 'jose';

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;

export type HubSigner = {
  /** The FSPIOP-Signature value for a hub-originated request with these headers and body. */
  sign(headers: Readonly<Record<string, string>>, body: string): Promise<string>;
};

const BOUND_HEADERS = [
  ['fspiop-uri', 'FSPIOP-URI'],
  ['fspiop-http-method', 'FSPIOP-HTTP-Method'],
  ['fspiop-source', 'FSPIOP-Source'],
  ['fspiop-destination', 'FSPIOP-Destination'],
  ['date', 'Date'],
] as const;

const encoder = new TextEncoder();

/**
 * The body as JSON with every object's keys sorted, no spaces: what the SDK's validator (and its
 * signer, safe-stable-stringify) turn a parsed body into. Text that is not JSON is kept as is.
 */
export function canonicalJson(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.keys(inner)
            .sort()
            .map((k) => [k, (inner as Record<string, unknown>)[k]]),
        )
      : inner,
  );
}

export function signerFromKey(key: SigningKey, kid?: string): HubSigner {
  return {
    async sign(headers, body) {
      const protectedHeader: Record<string, string> = { alg: 'RS256' };
      if (kid !== undefined) protectedHeader['kid'] = kid;
      for (const [lower, name] of BOUND_HEADERS) {
        const value = headers[lower];
        if (value !== undefined) protectedHeader[name] = value;
      }
      const jws = await new FlattenedSign(encoder.encode(body))
        .setProtectedHeader(protectedHeader as { alg: string })
        .sign(key);
      return JSON.stringify({ signature: jws.signature, protectedHeader: jws.protected });
    },
  };
}

/** The RFC 7638 thumbprint of a private key's public half: the hub's default kid. */
export async function keyThumbprint(privateKeyPem: string): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(createPublicKey(privateKeyPem)));
}

/** Loads the hub's PKCS#8 PEM private key (JWS_SIGNING_KEY_PATH) and its kid. */
export async function loadHubSigner(path: string, kid?: string): Promise<HubSigner> {
  const pem = readFileSync(path, 'utf8');
  return signerFromKey(await importPKCS8(pem, 'RS256'), kid ?? (await keyThumbprint(pem)));
}
