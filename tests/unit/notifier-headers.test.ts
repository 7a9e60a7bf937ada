import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Callback } from '../../actors/callback.ts';
import { buildHeaders, renderBody } from '../../runtime/notifier/headers.ts';

const NOW_MS = Date.UTC(2026, 4, 19, 8, 12, 31);
const NOW_TEXT = 'Tue, 19 May 2026 08:12:31 GMT';
const OPTIONS = { hubName: 'Hub', nowMs: NOW_MS };

const PAYEE_HEADERS = {
  'content-type': 'application/vnd.interoperability.transfers+json;version=1.1',
  accept: 'application/vnd.interoperability.transfers+json;version=1',
  date: 'Mon, 18 May 2026 10:00:00 GMT',
  'fspiop-source': 'payeefsp',
  'fspiop-destination': 'payerfsp',
  'fspiop-signature': '{"signature":"abc","protectedHeader":"def"}',
  'fspiop-uri': '/transfers/t-1',
  'fspiop-http-method': 'PUT',
  'fspiop-encryption': 'enc',
  'fspiop-proxy': 'proxy-a',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  tracestate: 'mkondo=1',
  'x-forwarded-for': '10.0.0.1',
  authorization: 'Bearer secret',
  host: 'switch:3000',
  'content-length': '999',
  'user-agent': 'curl/8',
};

function relayedPut(headers: Record<string, string>, body: string): Callback {
  return {
    to: 'payerfsp',
    endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
    params: { transferId: 't-1' },
    method: 'PUT',
    path: '/transfers/t-1',
    resource: 'transfers',
    relay: { headers, body },
    id: 'cb-1',
  };
}

function hubCallback(fields: Partial<Callback>): Callback {
  return {
    to: 'payerfsp',
    endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
    params: { transferId: 't-1' },
    method: 'PUT',
    path: '/transfers/t-1/error',
    resource: 'transfers',
    body: { errorInformation: { errorCode: '3303', errorDescription: 'Transfer expired' } },
    id: 'cb-2',
    ...fields,
  };
}

describe('buildHeaders for a relayed message', () => {
  it('forwards every FSPIOP header as sent; drops Accept on PUT, Host and credentials', () => {
    const body = '{"transferState":"COMMITTED","fulfilment":"x"}';
    const callback = relayedPut(PAYEE_HEADERS, body);
    assert.equal(renderBody(callback), body);
    assert.deepEqual(buildHeaders(callback, body, OPTIONS), {
      'content-type': 'application/vnd.interoperability.transfers+json;version=1.1',
      date: 'Mon, 18 May 2026 10:00:00 GMT',
      'fspiop-source': 'payeefsp',
      'fspiop-destination': 'payerfsp',
      'fspiop-signature': '{"signature":"abc","protectedHeader":"def"}',
      'fspiop-uri': '/transfers/t-1',
      'fspiop-http-method': 'PUT',
      'fspiop-encryption': 'enc',
      'fspiop-proxy': 'proxy-a',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'mkondo=1',
      'x-forwarded-for': '10.0.0.1',
      'content-length': String(body.length),
    });
  });

  it('keeps Accept on a relayed POST, names this hop on transfers, matches names in any case', () => {
    const body = '{"transferId":"t-1","amount":{"amount":"1.5","currency":"XXX"}}';
    const callback: Callback = {
      ...relayedPut(
        {
          'Content-Type': 'application/vnd.interoperability.transfers+json;version=2.0',
          Accept: 'application/vnd.interoperability.transfers+json;version=2',
          Date: 'Mon, 18 May 2026 10:00:00 GMT',
          'FSPIOP-Source': 'payerfsp',
          'FSPIOP-Destination': 'payeefsp',
        },
        body,
      ),
      to: 'payeefsp',
      method: 'POST',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
      path: '/transfers',
    };
    assert.deepEqual(buildHeaders(callback, body, OPTIONS), {
      'content-type': 'application/vnd.interoperability.transfers+json;version=2.0',
      accept: 'application/vnd.interoperability.transfers+json;version=2',
      date: 'Mon, 18 May 2026 10:00:00 GMT',
      'fspiop-source': 'payerfsp',
      'fspiop-destination': 'payeefsp',
      'fspiop-http-method': 'POST',
      'fspiop-uri': '/transfers',
      'content-length': String(body.length),
    });
  });

  it('relays a 1.x message whose ids are ULIDs as 1.x, Content-Type and Accept as written', () => {
    const ulid = '01JBVM14S6SC453EY9XB9GXQB5';
    const body = `{"quoteId":"${ulid}","transactionId":"${ulid}"}`;
    const headers = {
      'content-type': 'application/vnd.interoperability.quotes+json;version=1.0',
      accept: 'application/vnd.interoperability.quotes+json;version=1.0',
      date: 'Mon, 18 May 2026 10:00:00 GMT',
      'fspiop-source': 'payerfsp',
      'fspiop-destination': 'payeefsp',
      'fspiop-uri': '/quotes',
      'fspiop-http-method': 'POST',
      'fspiop-signature': '{"signature":"s","protectedHeader":"p"}',
    };
    const callback: Callback = {
      to: 'payeefsp',
      endpointType: 'FSPIOP_CALLBACK_URL_QUOTES',
      params: { ID: ulid },
      method: 'POST',
      path: '/quotes',
      resource: 'quotes',
      relay: { headers, body },
      id: 'cb-q',
    };
    assert.deepEqual(buildHeaders(callback, body, OPTIONS), {
      ...headers,
      'content-length': String(body.length),
    });
  });

  it('names the owner as FSPIOP-Destination of a GET /parties sent without one, as the ALS does', () => {
    const callback: Callback = {
      to: 'payeefsp',
      endpointType: 'FSPIOP_CALLBACK_URL_PARTIES_GET',
      params: { partyIdType: 'MSISDN', partyIdentifier: '123' },
      method: 'GET',
      path: '/parties/MSISDN/123',
      resource: 'parties',
      relay: {
        headers: {
          'content-type': 'application/vnd.interoperability.parties+json;version=1.1',
          accept: 'application/vnd.interoperability.parties+json;version=1',
          'fspiop-source': 'payerfsp',
        },
      },
      id: 'cb-3',
    };
    assert.equal(renderBody(callback), undefined);
    assert.deepEqual(buildHeaders(callback, undefined, OPTIONS), {
      'content-type': 'application/vnd.interoperability.parties+json;version=1.1',
      accept: 'application/vnd.interoperability.parties+json;version=1',
      'fspiop-source': 'payerfsp',
      'fspiop-destination': 'payeefsp',
      date: NOW_TEXT,
    });
  });

  it('counts Content-Length in UTF-8 bytes, not characters', () => {
    const body = '{"note":"Zürich €"}';
    const headers = buildHeaders(relayedPut(PAYEE_HEADERS, body), body, OPTIONS);
    assert.equal(headers['content-length'], String(Buffer.byteLength(body)));
    assert.notEqual(headers['content-length'], String(body.length));
  });
});

describe('buildHeaders for a hub-originated message (FSPIOP §1.6)', () => {
  it('sets source Hub, destination, media type 1.0, URI, method and no Accept on a PUT', () => {
    const callback = hubCallback({});
    const body = renderBody(callback);
    assert.equal(
      body,
      '{"errorInformation":{"errorCode":"3303","errorDescription":"Transfer expired"}}',
    );
    assert.deepEqual(buildHeaders(callback, body, OPTIONS), {
      'content-type': 'application/vnd.interoperability.transfers+json;version=1.0',
      date: NOW_TEXT,
      'fspiop-source': 'Hub',
      'fspiop-destination': 'payerfsp',
      'fspiop-uri': '/transfers/t-1/error',
      'fspiop-http-method': 'PUT',
      'content-length': String(body?.length),
    });
  });

  it('ignores the headers it would relay: no signature leaks into a hub message', () => {
    const headers = buildHeaders(hubCallback({}), '{}', OPTIONS);
    assert.equal(headers['fspiop-signature'], undefined);
    assert.equal(headers['accept'], undefined);
  });

  it('uses callback.version, then the configured default, for the media type', () => {
    const own = buildHeaders(hubCallback({ version: '2.0' }), '{}', OPTIONS);
    assert.equal(
      own['content-type'],
      'application/vnd.interoperability.transfers+json;version=2.0',
    );
    const configured = buildHeaders(hubCallback({}), '{}', { ...OPTIONS, defaultVersion: '1.1' });
    assert.equal(
      configured['content-type'],
      'application/vnd.interoperability.transfers+json;version=1.1',
    );
  });

  it('defaults FX resources to version 2.0, which is the only one that has them', () => {
    const headers = buildHeaders(
      hubCallback({ resource: 'fxTransfers', path: '/fxTransfers/c-1/error' }),
      '{}',
      { ...OPTIONS, defaultVersion: '1.1' },
    );
    assert.equal(
      headers['content-type'],
      'application/vnd.interoperability.fxTransfers+json;version=2.0',
    );
  });

  it('adds Accept with the major version on a hub POST and sends PATCH without one', () => {
    const post = buildHeaders(
      hubCallback({ method: 'POST', path: '/quotes', resource: 'quotes', version: '1.1' }),
      '{}',
      OPTIONS,
    );
    assert.equal(post['accept'], 'application/vnd.interoperability.quotes+json;version=1');
    assert.equal(post['fspiop-http-method'], 'POST');
    const patch = buildHeaders(
      hubCallback({ method: 'PATCH', path: '/transfers/t-1' }),
      '{}',
      OPTIONS,
    );
    assert.deepEqual(patch, {
      'content-type': 'application/vnd.interoperability.transfers+json;version=1.0',
      date: NOW_TEXT,
      'fspiop-source': 'Hub',
      'fspiop-destination': 'payerfsp',
      'fspiop-uri': '/transfers/t-1',
      'fspiop-http-method': 'PATCH',
      'content-length': '2',
    });
  });

  it('refuses to render a body holding a bigint (money must be an FSPIOP string)', () => {
    assert.throws(() => renderBody(hubCallback({ body: { amount: 1n } })), TypeError);
  });
});
