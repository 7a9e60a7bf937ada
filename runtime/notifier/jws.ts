// FSPIOP-Signature for messages the hub originates (fspiop.md §13): when the scheme uses JWS the
// hub drops a relayed sender's signature on its own messages and signs them with its key. The
// Mojaloop JWS is a flattened JWS (RS256) over the body, whose protected header also binds the
// routing headers (FSPIOP-URI, FSPIOP-HTTP-Method, FSPIOP-Source, FSPIOP-Destination, Date); the
// header value is {"signature": ..., "protectedHeader": ...}. Signing itself is jose's.

import { readFileSync } from 'node:fs';
import { FlattenedSign, importPKCS8 } from 'jose';

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

export function signerFromKey(key: SigningKey): HubSigner {
  return {
    async sign(headers, body) {
      const protectedHeader: Record<string, string> = { alg: 'RS256' };
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

/** Loads the hub's PKCS#8 PEM private key (JWS_SIGNING_KEY_PATH). */
export async function loadHubSigner(path: string): Promise<HubSigner> {
  return signerFromKey(await importPKCS8(readFileSync(path, 'utf8'), 'RS256'));
}
