// The hub's FSPIOP-Signature: a flattened RS256 JWS over the body whose protected header binds the
// routing headers, verifiable with the hub's public key.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { flattenedVerify, importPKCS8, importSPKI } from 'jose';
import { signerFromKey } from '../../runtime/notifier/jws.ts';

describe('hub JWS signing', () => {
  it('signs the body and binds the FSPIOP routing headers', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const signer = signerFromKey(await importPKCS8(privateKey, 'RS256'));
    const headers = {
      'fspiop-source': 'Hub',
      'fspiop-destination': 'payerfsp',
      'fspiop-uri': '/transfers/abc',
      'fspiop-http-method': 'PUT',
      date: 'Fri, 27 Nov 2026 12:00:00 GMT',
      'content-type': 'application/vnd.interoperability.transfers+json;version=1.0',
    };
    const body = '{"transferState":"COMMITTED"}';
    const value = JSON.parse(await signer.sign(headers, body)) as Record<string, string>;
    const verified = await flattenedVerify(
      {
        protected: value['protectedHeader']!,
        signature: value['signature']!,
        payload: Buffer.from(body).toString('base64url'),
      },
      await importSPKI(publicKey, 'RS256'),
    );
    assert.deepEqual(verified.protectedHeader, {
      alg: 'RS256',
      'FSPIOP-URI': '/transfers/abc',
      'FSPIOP-HTTP-Method': 'PUT',
      'FSPIOP-Source': 'Hub',
      'FSPIOP-Destination': 'payerfsp',
      Date: 'Fri, 27 Nov 2026 12:00:00 GMT',
    });
    assert.equal(new TextDecoder().decode(verified.payload), body);
  });
});
