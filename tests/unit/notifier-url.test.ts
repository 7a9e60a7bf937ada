import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Callback } from '../../actors/callback.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import { renderTemplate, resolveUrl } from '../../runtime/notifier/url.ts';

const BASE = 'http://127.0.0.1:4040';
const SUB_ID_PATH = '{{partyIdType}}/{{partyIdentifier}}/{{partySubIdOrType}}';

function entry(endpoints: Record<string, string>): ParticipantDirectoryEntry {
  return { name: 'payeefsp', isActive: true, currencies: {}, endpoints };
}

function callback(fields: Partial<Callback> & Pick<Callback, 'endpointType' | 'path'>): Callback {
  return {
    to: 'payeefsp',
    params: {},
    method: 'PUT',
    resource: 'transfers',
    id: 'cb-1',
    ...fields,
  };
}

describe('resolveUrl for full templates', () => {
  it('substitutes {{transferId}} in the TRANSFER_PUT template and ignores the path', () => {
    const result = resolveUrl(
      callback({
        endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
        params: { transferId: '01JBVM14S6SC453EY9XB9GXQB5' },
        path: '/transfers/01JBVM14S6SC453EY9XB9GXQB5',
      }),
      entry({ FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${BASE}/transfers/{{transferId}}` }),
    );
    assert.deepEqual(result, { kind: 'url', url: `${BASE}/transfers/01JBVM14S6SC453EY9XB9GXQB5` });
  });

  it('uses a template without tokens as it is (TRANSFER_POST)', () => {
    const result = resolveUrl(
      callback({
        endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
        method: 'POST',
        path: '/transfers',
      }),
      entry({ FSPIOP_CALLBACK_URL_TRANSFER_POST: `${BASE}/transfers` }),
    );
    assert.deepEqual(result, { kind: 'url', url: `${BASE}/transfers` });
  });

  it('fills the error template of FX transfers from {{commitRequestId}}', () => {
    const result = resolveUrl(
      callback({
        endpointType: 'FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR',
        resource: 'fxTransfers',
        params: { commitRequestId: 'c-1' },
        path: '/fxTransfers/c-1/error',
      }),
      entry({
        FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR: `${BASE}/fxTransfers/{{commitRequestId}}/error`,
      }),
    );
    assert.deepEqual(result, { kind: 'url', url: `${BASE}/fxTransfers/c-1/error` });
  });

  it('URL-encodes every token value as one path segment', () => {
    const result = resolveUrl(
      callback({
        endpointType: 'FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT',
        resource: 'parties',
        params: { partyIdType: 'EMAIL', partyIdentifier: 'a b/c@d.org', partySubIdOrType: 'x?y#z' },
        path: '/parties/EMAIL/a%20b%2Fc%40d.org/x%3Fy%23z',
      }),
      entry({
        FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT: `${BASE}/parties/${SUB_ID_PATH}`,
      }),
    );
    assert.deepEqual(result, {
      kind: 'url',
      url: `${BASE}/parties/EMAIL/a%20b%2Fc%40d.org/x%3Fy%23z`,
    });
  });

  it('accepts spaces inside the braces and repeated tokens', () => {
    assert.deepEqual(renderTemplate('{{ id }}/{{id}}', { id: 'é' }), {
      ok: true,
      text: '%C3%A9/%C3%A9',
    });
  });

  it('fills the bulk transfer template from {{id}}', () => {
    const result = resolveUrl(
      callback({
        endpointType: 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT',
        resource: 'bulkTransfers',
        params: { id: 'b-1' },
        path: '/bulkTransfers/b-1',
      }),
      entry({ FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT: `${BASE}/bulkTransfers/{{id}}` }),
    );
    assert.deepEqual(result, { kind: 'url', url: `${BASE}/bulkTransfers/b-1` });
  });
});

describe('resolveUrl for base-URL endpoint types', () => {
  const cases: Array<[string, Callback['resource'], string]> = [
    ['FSPIOP_CALLBACK_URL_QUOTES', 'quotes', '/quotes/q-1'],
    ['FSPIOP_CALLBACK_URL_BULK_QUOTES', 'bulkQuotes', '/bulkQuotes/bq-1/error'],
    ['FSPIOP_CALLBACK_URL_FX_QUOTES', 'fxQuotes', '/fxQuotes'],
    ['FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE', 'transactionRequests', '/transactionRequests/t-1'],
    ['FSPIOP_CALLBACK_URL_AUTHORIZATIONS', 'authorizations', '/authorizations/t-1'],
  ];
  for (const [endpointType, resource, path] of cases) {
    it(`appends callback.path to the ${endpointType} base`, () => {
      const result = resolveUrl(
        callback({ endpointType, resource, path }),
        entry({ [endpointType]: BASE }),
      );
      assert.deepEqual(result, { kind: 'url', url: `${BASE}${path}` });
    });
  }

  it('drops a trailing slash of the base before appending', () => {
    const result = resolveUrl(
      callback({ endpointType: 'FSPIOP_CALLBACK_URL_QUOTES', resource: 'quotes', path: '/quotes' }),
      entry({ FSPIOP_CALLBACK_URL_QUOTES: `${BASE}/payeefsp/` }),
    );
    assert.deepEqual(result, { kind: 'url', url: `${BASE}/payeefsp/quotes` });
  });

  it('substitutes tokens in the base, then appends the path literally', () => {
    const result = resolveUrl(
      callback({
        endpointType: 'FSPIOP_CALLBACK_URL',
        params: { fsp: 'payee fsp' },
        path: '/transfers/t-1',
      }),
      entry({ FSPIOP_CALLBACK_URL: `${BASE}/{{fsp}}` }),
    );
    assert.deepEqual(result, { kind: 'url', url: `${BASE}/payee%20fsp/transfers/t-1` });
  });
});

describe('resolveUrl when there is nowhere to deliver', () => {
  const put = callback({
    endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
    params: { transferId: 't-1' },
    path: '/transfers/t-1',
  });

  it('reports a destination missing from the directory', () => {
    assert.deepEqual(resolveUrl(put, undefined), { kind: 'no_participant' });
  });

  it('reports an endpoint type the destination has not registered', () => {
    const result = resolveUrl(
      put,
      entry({ FSPIOP_CALLBACK_URL_TRANSFER_POST: `${BASE}/transfers` }),
    );
    assert.deepEqual(result, { kind: 'no_endpoint' });
  });

  it('reports an empty registered value as no endpoint', () => {
    assert.deepEqual(resolveUrl(put, entry({ FSPIOP_CALLBACK_URL_TRANSFER_PUT: ' ' })), {
      kind: 'no_endpoint',
    });
  });

  it('reports a token that callback.params lacks instead of rendering it empty', () => {
    const result = resolveUrl(
      { ...put, params: {} },
      entry({ FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${BASE}/transfers/{{transferId}}` }),
    );
    assert.deepEqual(result, { kind: 'missing_param', token: 'transferId' });
  });

  it('does not take a token from the prototype chain', () => {
    const result = resolveUrl(
      { ...put, params: {} },
      entry({ FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${BASE}/{{constructor}}` }),
    );
    assert.deepEqual(result, { kind: 'missing_param', token: 'constructor' });
  });

  it('reports a value that is not an http(s) URL', () => {
    const result = resolveUrl(
      { ...put, endpointType: 'NET_DEBIT_CAP_ADJUSTMENT_EMAIL' },
      entry({ NET_DEBIT_CAP_ADJUSTMENT_EMAIL: 'ops@payeefsp.example' }),
    );
    assert.deepEqual(result, { kind: 'invalid_url', url: 'ops@payeefsp.example' });
  });
});
