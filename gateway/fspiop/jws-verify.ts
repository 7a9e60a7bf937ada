// Verifies a DFSP's FSPIOP-Signature (fspiop.md §13): a flattened JWS over the exact body bytes
// whose protected header binds FSPIOP-URI, FSPIOP-HTTP-Method, FSPIOP-Source and, when sent,
// FSPIOP-Destination and Date; each bound value must equal the request's own. The key is one of
// the sender's registered keys: the one named by `kid`, else any of them (rotation keeps several
// active). Every failure is 3105 with a description that says which check failed.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { flattenedVerify } from 'jose';
import type { JwsKey } from '../../actors/credential/index.ts';
import { FspiopCode } from '../../schema/fspiop/errors.ts';
import { FspiopHttpError } from './problem.ts';

/** The algorithms the API allows (RS*) plus the SDK's ES256 for EC keys. */
export const JWS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256'];

const SIGNATURE_CHARS_MAX = 512;
const PROTECTED_HEADER_CHARS_MAX = 32_768;

export type SignedRequest = {
  readonly method: string;
  /** Path and query of the request, as the sender addressed it. */
  readonly uri: string;
  /** Request header by lower-case name. */
  readonly header: (name: string) => string | undefined;
  readonly body: string;
};

function invalid(detail: string): FspiopHttpError {
  return new FspiopHttpError(FspiopCode.INVALID_SIGNATURE, detail);
}

type SignatureParts = { readonly signature: string; readonly protectedHeader: string };

function parseSignatureHeader(value: string): SignatureParts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalid('FSPIOP-Signature is not JSON');
  }
  const parts = parsed as Partial<Record<string, unknown>> | null;
  const signature = parts?.['signature'];
  const protectedHeader = parts?.['protectedHeader'];
  if (
    typeof signature !== 'string' ||
    typeof protectedHeader !== 'string' ||
    signature.length > SIGNATURE_CHARS_MAX ||
    protectedHeader.length > PROTECTED_HEADER_CHARS_MAX
  ) {
    throw invalid('FSPIOP-Signature must hold a signature and a protectedHeader');
  }
  return { signature, protectedHeader };
}

function decodeProtectedHeader(encoded: string): Record<string, unknown> {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    if (decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded)) {
      return decoded as Record<string, unknown>;
    }
  } catch {
    // answered below
  }
  throw invalid('the protected header is not base64url JSON');
}

/** Each routing value the signer bound must be the request's own (and the reverse for some). */
function checkBoundHeaders(bound: Record<string, unknown>, request: SignedRequest): void {
  const alg = bound['alg'];
  if (typeof alg !== 'string' || !JWS_ALGORITHMS.includes(alg)) {
    throw invalid(`alg must be one of ${JWS_ALGORITHMS.join(', ')}`);
  }
  const required: ReadonlyArray<readonly [string, string | undefined]> = [
    ['FSPIOP-URI', request.uri],
    ['FSPIOP-HTTP-Method', request.method.toUpperCase()],
    ['FSPIOP-Source', request.header('fspiop-source')],
  ];
  for (const [name, actual] of required) {
    if (bound[name] === undefined) throw invalid(`the protected header lacks ${name}`);
    if (bound[name] !== actual) throw invalid(`${name} does not match the protected header`);
  }
  const destination = request.header('fspiop-destination');
  if (bound['FSPIOP-Destination'] !== destination) {
    throw invalid('FSPIOP-Destination does not match the protected header');
  }
  if (bound['Date'] !== undefined && bound['Date'] !== request.header('date')) {
    throw invalid('Date does not match the protected header');
  }
}

const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_MAX = 1024;

function keyObject(pem: string): KeyObject {
  let key = keyCache.get(pem);
  if (key === undefined) {
    key = createPublicKey(pem);
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(pem, key);
  }
  return key;
}

/** Throws 3105 unless `request` carries a valid signature by one of `keys`. */
export async function verifyFspiopSignature(
  request: SignedRequest,
  keys: readonly JwsKey[],
): Promise<void> {
  const header = request.header('fspiop-signature');
  if (header === undefined) {
    throw invalid(`FSPIOP-Signature is required: ${request.header('fspiop-source')} signs`);
  }
  const parts = parseSignatureHeader(header);
  const bound = decodeProtectedHeader(parts.protectedHeader);
  checkBoundHeaders(bound, request);
  const kid = bound['kid'];
  const candidates = typeof kid === 'string' ? keys.filter((k) => k.kid === kid) : keys;
  if (candidates.length === 0) throw invalid(`no registered JWS key has kid ${String(kid)}`);
  const jws = {
    protected: parts.protectedHeader,
    signature: parts.signature,
    payload: Buffer.from(request.body, 'utf8').toString('base64url'),
  };
  for (const candidate of candidates) {
    try {
      await flattenedVerify(jws, keyObject(candidate.publicKeyPem), {
        algorithms: JWS_ALGORITHMS,
      });
      return;
    } catch {
      // the next registered key may be the one (rotation)
    }
  }
  throw invalid('the signature does not verify with any registered key of the sender');
}
