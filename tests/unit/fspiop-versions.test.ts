// Version mediation for relayed messages: answers relabelled for their requester's Accept, and
// 1.x requests whose ids are ULIDs forwarded labelled 2.0 (schema/fspiop/versions.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Callback } from '../../actors/callback.ts';
import { buildHeaders } from '../../runtime/notifier/headers.ts';
import { contentTypeForIds, versionForPayee } from '../../schema/fspiop/versions.ts';

const ULID = '01M8EEN0SDRV42YN0XDYWQWJV8';
const UUID = 'b51ec534-ee48-4575-b6a9-ead2955b8069';
const quotes = (version: string) =>
  `application/vnd.interoperability.quotes+json;version=${version}`;
const transfers = (version: string) =>
  `application/vnd.interoperability.transfers+json;version=${version}`;

describe('contentTypeForIds', () => {
  it('labels a 1.x request 2.0 when an endpoint parameter id is a ULID', () => {
    assert.equal(contentTypeForIds(quotes('1.0'), '/quotes', { ID: ULID }), quotes('2.0'));
  });

  it('labels a 1.x request 2.0 when a path id is a ULID', () => {
    assert.equal(contentTypeForIds(transfers('1.1'), `/transfers/${ULID}`, {}), transfers('2.0'));
  });

  it('keeps 1.x when every id is a UUID, and never touches 2.0', () => {
    assert.equal(
      contentTypeForIds(transfers('1.1'), '/transfers', { transferId: UUID }),
      transfers('1.1'),
    );
    assert.equal(
      contentTypeForIds(transfers('2.0'), '/transfers', { transferId: ULID }),
      transfers('2.0'),
    );
  });
});

describe('versionForPayee', () => {
  it("undoes the hub's relabelling: a 2.0 answer to a 1.x prepare with a ULID id", () => {
    assert.equal(versionForPayee('2.0', '1.1', ULID), '1.1');
  });

  it("keeps the payee's own version otherwise", () => {
    assert.equal(versionForPayee('2.0', '1.1', UUID), '2.0');
    assert.equal(versionForPayee('1.1', '1.0', ULID), '1.1');
    assert.equal(versionForPayee('2.0', '2.0', ULID), '2.0');
    assert.equal(versionForPayee('2.0', undefined, ULID), '2.0');
  });
});

describe('notifier version mediation', () => {
  const options = { hubName: 'Hub', nowMs: 0 };

  it('forwards a 1.0 POST /quotes with ULID ids labelled and accepting 2.0, body unchanged', () => {
    const body = JSON.stringify({ quoteId: ULID, transactionId: ULID });
    const callback: Callback = {
      to: 'payee',
      endpointType: 'FSPIOP_CALLBACK_URL_QUOTES',
      params: { ID: ULID },
      method: 'POST',
      path: '/quotes',
      resource: 'quotes',
      relay: { headers: { 'content-type': quotes('1.0'), accept: quotes('1.0') }, body },
      id: 'q1',
    };
    const headers = buildHeaders(callback, body, options);
    assert.equal(headers['content-type'], quotes('2.0'));
    assert.equal(headers['accept'], quotes('2.0'), 'asks the payee for a 2.0 answer too');
  });

  it("relabels a relayed answer to a version in the requester's Accept", () => {
    const body = '{"transferState":"COMMITTED"}';
    const callback: Callback = {
      to: 'payer',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
      params: { transferId: ULID },
      method: 'PUT',
      path: `/transfers/${ULID}`,
      resource: 'transfers',
      relay: { headers: { 'content-type': transfers('2.0') }, body },
      requesterAccept: transfers('1.0'),
      id: 't1',
    };
    assert.equal(buildHeaders(callback, body, options)['content-type'], transfers('1.0'));
  });

  it('corrects a relayed FSPIOP-URI and FSPIOP-HTTP-Method that do not describe this hop', () => {
    const body = '{"party":{}}';
    const callback: Callback = {
      to: 'payer',
      endpointType: 'FSPIOP_CALLBACK_URL_PARTIES_SUB_ID_PUT_ERROR',
      params: {},
      method: 'PUT',
      path: '/parties/MSISDN/123/31/error',
      resource: 'parties',
      relay: {
        headers: {
          'content-type': 'application/vnd.interoperability.parties+json;version=1.1',
          'fspiop-uri': 'placeholder text',
          'fspiop-http-method': 'whatever',
        },
        body,
      },
      id: 'p1',
    };
    const headers = buildHeaders(callback, body, options);
    assert.equal(headers['fspiop-uri'], '/parties/MSISDN/123/31/error');
    assert.equal(headers['fspiop-http-method'], 'PUT');
  });
});
