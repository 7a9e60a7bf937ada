// FSPIOP messages signed and checked the way Mojaloop's DFSP libraries do it: the JWS signer and
// validator of @mojaloop/sdk-standard-components (what sdk-scheme-adapter uses for
// FSPIOP-Signature), loaded through tests/helpers/sdk-jws.ts.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { sdkSign, sdkValidate } from '../helpers/sdk-jws.ts';

/** A DFSP's RSA key pair (PEM), as scheme onboarding hands them out. */
export function dfspKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

export type SignedRequest = {
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  /** Exactly the headers sent, signature headers included. */
  readonly headers: Readonly<Record<string, string>>;
  /** Exactly the bytes sent. */
  readonly body: string;
};

/**
 * Builds a request as a DFSP's SDK sends it: FSPIOP headers of the given version, then
 * FSPIOP-URI, FSPIOP-HTTP-Method and FSPIOP-Signature from the signer (which also fixes the body
 * text, compact JSON).
 */
export function signedRequest(options: {
  readonly privateKey: string;
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  readonly resource: string;
  readonly version: string;
  readonly source: string;
  readonly destination: string;
  readonly body: Record<string, unknown>;
}): SignedRequest {
  const media = `application/vnd.interoperability.${options.resource}+json;version=`;
  const headers: Record<string, string> = {
    'content-type': media + options.version,
    date: new Date().toUTCString(),
    'fspiop-source': options.source,
    'fspiop-destination': options.destination,
  };
  // FSPIOP: a request carries Accept (major version); a callback does not.
  if (options.method === 'POST') headers['accept'] = media + options.version.split('.')[0];
  const request = { ...options, headers, body: options.body as unknown };
  sdkSign(options.privateKey, request);
  return { method: options.method, url: options.url, headers, body: request.body as string };
}

/** Throws the validator's error when the signature does not hold for what the receiver got. */
export function validateAtReceiver(
  publicKeys: Record<string, string>,
  headers: Record<string, string>,
  body: unknown,
): void {
  sdkValidate(publicKeys, { headers, body });
}

/**
 * Sends exactly these headers and bytes (fetch would add `Accept: *\/*`, which FSPIOP refuses
 * on a callback) and answers the status and the response text.
 */
export function deliver(request: SignedRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(request.url, { method: request.method, headers: request.headers });
    outgoing.on('error', reject);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.end(request.body);
  });
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID (48-bit time, 80 random bits), the id form Mojaloop's test collections generate. */
export function ulid(now = Date.now()): string {
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  const random = [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join('');
  return time + random;
}
