// Malformed headers and bodies on every discovery resource, answered synchronously and never
// published: missing Date 3102, unsupported Content-Type version 406/3001, invalid JSON 3101, a
// schema violation 3100 naming the field; plus the reference services' wording TTK asserts and
// the empty-SubId paths of TTK's resources_based collection.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ErrorAnswer,
  headers,
  putHeaders,
  QUOTE_ID,
  quoteBody,
  setup,
  TRX_ID,
  transactionRequestBody,
} from './discovery-fixtures.ts';

type Case = {
  readonly resource: string;
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly source: string;
  readonly destination?: string;
  /** A body violating the schema, and the field the 3100 description must name. */
  readonly invalid: unknown;
  readonly field: string;
};

const CASES: readonly Case[] = [
  {
    resource: 'parties',
    method: 'PUT',
    path: '/parties/MSISDN/123',
    source: 'payee',
    destination: 'payer',
    invalid: { party: { partyIdInfo: { partyIdType: 'PHONE', partyIdentifier: '123' } } },
    field: '/requestBody/party/partyIdInfo/partyIdType',
  },
  {
    resource: 'participants',
    method: 'POST',
    path: '/participants/MSISDN/123',
    source: 'payee',
    invalid: { fspId: 'payee', currency: 'DOLLARS' },
    field: '/requestBody/currency',
  },
  {
    resource: 'quotes',
    method: 'POST',
    path: '/quotes',
    source: 'payer',
    destination: 'payee',
    invalid: { ...quoteBody(), amountType: 'GIFT' },
    field: '/requestBody/amountType',
  },
  {
    resource: 'transactionRequests',
    method: 'POST',
    path: '/transactionRequests',
    source: 'payee',
    destination: 'payer',
    invalid: { ...transactionRequestBody(), amount: { amount: '1.23456', currency: 'USD' } },
    field: '/requestBody/amount/amount',
  },
  {
    resource: 'authorizations',
    method: 'PUT',
    path: `/authorizations/${TRX_ID}`,
    source: 'payee',
    destination: 'payer',
    invalid: { responseType: 'ENTERED', authenticationInfo: { authentication: 'SMS' } },
    field: '/requestBody/authenticationInfo/authentication',
  },
];

function caseHeaders(c: Case): Record<string, string> {
  const extra: Record<string, string> = c.destination
    ? { 'fspiop-destination': c.destination }
    : {};
  return c.method === 'PUT'
    ? putHeaders(c.resource, c.source, c.destination ?? '')
    : headers(c.resource, c.source, extra);
}

async function errorOf(
  response: Response,
): Promise<{ status: number; code: string; text: string }> {
  const body = (await response.json()) as ErrorAnswer;
  return {
    status: response.status,
    code: body.errorInformation.errorCode,
    text: body.errorInformation.errorDescription,
  };
}

describe('malformed discovery requests (in process)', () => {
  for (const c of CASES) {
    it(`${c.method} ${c.path}: 3102, 406/3001, 3101 and 3100 naming the field`, async () => {
      const { runtime, app } = await setup();
      const send = (hdrs: Record<string, string>, body: string) =>
        app.request(c.path, { method: c.method, headers: hdrs, body });
      const { date: _date, ...noDate } = caseHeaders(c);
      const missingDate = await errorOf(await send(noDate, '{}'));
      assert.deepEqual([missingDate.status, missingDate.code], [400, '3102']);
      assert.match(missingDate.text, /date/);

      const badVersion = {
        ...caseHeaders(c),
        'content-type': `application/vnd.interoperability.${c.resource}+json;version=9.9`,
      };
      const unsupported = await errorOf(await send(badVersion, '{}'));
      assert.deepEqual([unsupported.status, unsupported.code], [406, '3001']);

      const malformed = await errorOf(await send(caseHeaders(c), '{"broken": '));
      assert.deepEqual([malformed.status, malformed.code], [400, '3101']);

      const invalid = await errorOf(await send(caseHeaders(c), JSON.stringify(c.invalid)));
      assert.deepEqual([invalid.status, invalid.code], [400, '3100']);
      assert.ok(invalid.text.includes(c.field), invalid.text);
      await runtime.settle();
      assert.deepEqual(runtime.callbacks, []);
    });
  }

  it('uses the reference wording: GET without Accept, GET without Content-Type', async () => {
    const { app } = await setup();
    const { accept: _a, ...noAccept } = headers('parties', 'payer');
    const a = await errorOf(await app.request('/parties/MSISDN/1', { headers: noAccept }));
    assert.deepEqual(
      [a.status, a.code, a.text],
      [400, '3102', 'Missing mandatory element - Accept is required'],
    );
    const { 'content-type': _c, ...noType } = headers('quotes', 'payer');
    const t = await errorOf(await app.request(`/quotes/${QUOTE_ID}`, { headers: noType }));
    assert.deepEqual(
      [t.code, t.text],
      ['3102', 'Missing mandatory element - Content-type is required'],
    );
  });

  it('answers transaction-request style codes: missing field 3102, XML body 3101, bad Accept 3101', async () => {
    const { app } = await setup();
    const noState = await errorOf(
      await app.request(`/transactionRequests/${TRX_ID}`, {
        method: 'PUT',
        headers: putHeaders('transactionRequests', 'payer', 'payee'),
        body: '{}',
      }),
    );
    assert.deepEqual(
      [noState.code, noState.text],
      [
        '3102',
        "Missing mandatory element - /requestBody must have required property 'transactionRequestState'",
      ],
    );
    const xml = await errorOf(
      await app.request('/transactionRequests', {
        method: 'POST',
        headers: headers('transactionRequests', 'payee', {
          'fspiop-destination': 'payer',
          'content-type': 'application/vnd.interoperability.transactionRequests+xml;version=1.1',
        }),
        body: '<x/>',
      }),
    );
    assert.deepEqual([xml.code, xml.text], ['3101', 'Malformed syntax - Unsupported Media Type']);
    const accept = await errorOf(
      await app.request(`/authorizations/${TRX_ID}`, {
        method: 'PUT',
        headers: { ...putHeaders('authorizations', 'payee', 'payer'), accept: '*/*' },
        body: JSON.stringify({ responseType: 'ENTERED' }),
      }),
    );
    assert.deepEqual([accept.status, accept.code], [400, '3101']);
  });

  it('answers a quote field of the wrong JSON type with 3101, as the quoting-service does', async () => {
    const { app } = await setup();
    const body = { ...quoteBody(), payer: { partyIdInfo: '' } };
    const e = await errorOf(
      await app.request('/quotes', {
        method: 'POST',
        headers: headers('quotes', 'payer', { 'fspiop-destination': 'payee' }),
        body: JSON.stringify(body),
      }),
    );
    assert.deepEqual(
      [e.code, e.text],
      ['3101', 'Malformed syntax - /requestBody/payer/partyIdInfo must be Object'],
    );
  });
});

describe('empty SubId paths of TTK resources_based (in process)', () => {
  it('treats /{ID}/ and /{ID}//error as no SubId', async () => {
    const { runtime, app } = await setup();
    const post = await app.request('/participants/MSISDN/123/', {
      method: 'POST',
      headers: headers('participants', 'payee'),
      body: JSON.stringify({ fspId: 'payee' }),
    });
    assert.equal(post.status, 202);
    await runtime.settle();
    const answer = runtime.callbacks.at(-1);
    assert.equal(answer?.path, '/participants/MSISDN/123');
    assert.equal(answer?.endpointType, 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT');
    assert.deepEqual(answer?.body, { fspId: 'payee' });

    const get = await app.request('/participants/MSISDN/123/', {
      headers: headers('participants', 'payer'),
    });
    assert.equal(get.status, 202);
    const lookup = await app.request('/parties/MSISDN/123/', {
      headers: headers('parties', 'payer'),
    });
    assert.equal(lookup.status, 202);
    await runtime.settle();
    assert.equal(runtime.callbacks.at(-1)?.path, '/parties/MSISDN/123/');
    assert.equal(runtime.callbacks.at(-1)?.to, 'payee');

    const putHdrs = putHeaders('participants', 'payer', 'payee');
    const put = await app.request('/participants/MSISDN/123/', {
      method: 'PUT',
      headers: putHdrs,
      body: JSON.stringify({ fspId: 'payee' }),
    });
    assert.equal(put.status, 200);
    const putError = await app.request('/participants/MSISDN/123//error', {
      method: 'PUT',
      headers: putHdrs,
      body: JSON.stringify({ errorInformation: { errorCode: 5100, errorDescription: 'x' } }),
    });
    assert.equal(putError.status, 200);
    const del = await app.request('/participants/MSISDN/123/', {
      method: 'DELETE',
      headers: headers('participants', 'payee'),
    });
    assert.equal(del.status, 202);
    await runtime.settle();
    assert.deepEqual(runtime.callbacks.at(-1)?.body, { fspId: 'payee' });
  });
});
