// FSPIOP-Signature interoperability with Mojaloop's SDK, both ways and without services: what the
// SDK's JwsSigner signs, mkondo's verifier accepts (and refuses, with 3105, once anything bound
// changes); what mkondo's hub signer signs, the SDK's JwsValidator accepts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importPKCS8 } from 'jose';
import type { JwsKey } from '../../actors/credential/index.ts';
import { type SignedRequest, verifyFspiopSignature } from '../../gateway/fspiop/jws-verify.ts';
import { FspiopHttpError } from '../../gateway/fspiop/problem.ts';
import { canonicalJson, keyThumbprint, signerFromKey } from '../../runtime/notifier/jws.ts';
import { rsaPair, sdkSign, sdkValidate } from '../helpers/sdk-jws.ts';

const payer = rsaPair();
const other = rsaPair();
const payerKey: JwsKey = { kid: 'payer-2026', publicKeyPem: payer.publicKey, createdAtMs: 1 };
const otherKey: JwsKey = { kid: 'payer-2025', publicKeyPem: other.publicKey, createdAtMs: 0 };
const DATE = 'Fri, 04 Dec 2026 12:00:00 GMT';

function sdkSignedTransfer(body: Record<string, unknown>): SignedRequest {
  const request = {
    method: 'POST',
    uri: 'https://hub.example:3000/transfers',
    headers: {
      'fspiop-source': 'payerfsp',
      'fspiop-destination': 'payeefsp',
      date: DATE,
    } as Record<string, string>,
    body: body as unknown,
  };
  sdkSign(payer.privateKey, request);
  const headers = request.headers;
  return {
    method: 'POST',
    uri: '/transfers',
    header: (name) => headers[name],
    body: request.body as string,
  };
}

async function refusal(request: SignedRequest, keys: readonly JwsKey[]): Promise<string> {
  try {
    await verifyFspiopSignature(request, keys);
  } catch (error) {
    assert.ok(error instanceof FspiopHttpError);
    assert.equal(error.error.errorCode, '3105');
    return error.error.errorDescription;
  }
  assert.fail('the signature was accepted');
}

const BODY = { transferId: 'b51ec534-ee48-4575-b6a9-ead2955b8069', amount: { amount: '5' } };

describe('FSPIOP-Signature from the Mojaloop SDK', () => {
  it('verifies with any registered key of the sender (rotation)', async () => {
    await verifyFspiopSignature(sdkSignedTransfer(BODY), [otherKey, payerKey]);
  });

  it('refuses a changed body, another key, a missing signature and spoofed headers', async () => {
    const signed = sdkSignedTransfer(BODY);
    assert.equal(
      await refusal({ ...signed, body: signed.body.replace('"5"', '"50"') }, [payerKey]),
      'Invalid signature - the signature does not verify with any registered key of the sender',
    );
    assert.match(await refusal(signed, [otherKey]), /does not verify with any registered key/);
    const unsigned = (name: string) =>
      name === 'fspiop-signature' ? undefined : signed.header(name);
    assert.match(await refusal({ ...signed, header: unsigned }, [payerKey]), /is required/);
    const spoofed = (name: string) => (name === 'fspiop-source' ? 'payeefsp' : signed.header(name));
    assert.match(
      await refusal({ ...signed, header: spoofed }, [payerKey]),
      /FSPIOP-Source does not match the protected header/,
    );
    assert.match(
      await refusal({ ...signed, uri: '/transfers/elsewhere' }, [payerKey]),
      /FSPIOP-URI does not match/,
    );
    const garbled = (name: string) =>
      name === 'fspiop-signature' ? '{"x":1}' : signed.header(name);
    assert.match(
      await refusal({ ...signed, header: garbled }, [payerKey]),
      /must hold a signature/,
    );
  });
});

describe('hub signatures checked by the Mojaloop SDK validator', () => {
  it('validates a hub-signed callback whose protected header names the hub kid', async () => {
    const hub = rsaPair();
    const kid = await keyThumbprint(hub.privateKey);
    const signer = signerFromKey(await importPKCS8(hub.privateKey, 'RS256'), kid);
    // Hub bodies are built in insertion order; the notifier sends them canonical when signing.
    const body = canonicalJson('{"transferState":"COMMITTED","completedTimestamp":"2026-12-04"}');
    assert.equal(body, '{"completedTimestamp":"2026-12-04","transferState":"COMMITTED"}');
    const headers: Record<string, string> = {
      'fspiop-source': 'Hub',
      'fspiop-destination': 'payerfsp',
      'fspiop-uri': '/transfers/b51ec534-ee48-4575-b6a9-ead2955b8069',
      'fspiop-http-method': 'PUT',
      date: DATE,
    };
    headers['fspiop-signature'] = await signer.sign(headers, body);
    sdkValidate({ Hub: hub.publicKey }, { headers, body: JSON.parse(body) });
    const signature = JSON.parse(headers['fspiop-signature']) as { protectedHeader: string };
    const bound = JSON.parse(Buffer.from(signature.protectedHeader, 'base64url').toString());
    assert.equal(bound.kid, kid);
    assert.match(kid, /^[A-Za-z0-9_-]{43}$/);
  });
});
