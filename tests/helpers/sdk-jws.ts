// Mojaloop's own JWS signer and validator (@mojaloop/sdk-standard-components, a pinned
// devDependency), for the interoperability tests: what a Mojaloop DFSP connector signs, mkondo
// must accept, and what mkondo signs, a Mojaloop connector must accept. Only the JWS module is
// loaded, not the whole SDK.

import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';

type SdkRequest = {
  method: string;
  uri?: string;
  url?: string;
  headers: Record<string, string>;
  body?: unknown;
  data?: unknown;
};

type SdkLogger = { child(): SdkLogger; debug(): void; error(): void; isDebugEnabled: boolean };

const silent: SdkLogger = {
  child: () => silent,
  debug: () => undefined,
  error: () => undefined,
  isDebugEnabled: false,
};

const require = createRequire(import.meta.url);
const sdk = require('@mojaloop/sdk-standard-components/src/lib/jws/index.js') as {
  signer: new (config: {
    signingKey: string;
    logger: SdkLogger;
  }) => {
    sign(request: SdkRequest): void;
  };
  validator: new (config: {
    validationKeys: Record<string, string>;
    logger: SdkLogger;
  }) => {
    validate(request: { headers: Record<string, string>; body: unknown }): true;
  };
};

/** Signs `request` in place as the SDK does (sets fspiop-signature, -uri, -http-method). */
export function sdkSign(signingKeyPem: string, request: SdkRequest): void {
  new sdk.signer({ signingKey: signingKeyPem, logger: silent }).sign(request);
}

/** Throws unless the SDK's validator accepts the request (headers lower-case, body parsed). */
export function sdkValidate(
  validationKeys: Record<string, string>,
  request: { headers: Record<string, string>; body: unknown },
): void {
  new sdk.validator({ validationKeys, logger: silent }).validate(request);
}

export type RsaPair = { readonly privateKey: string; readonly publicKey: string };

export function rsaPair(): RsaPair {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}
