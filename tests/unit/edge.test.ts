// The edge of both APIs in process: text with control characters or lone surrogates is refused
// wherever it appears, named by its field; bodies are read within the limit; every identifier is
// validated before a command is built; a stalled actor or a full stream gets an FSPIOP answer in
// bounded time. Each refusal also asserts that nothing was published.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyLimitFault } from '../../gateway/fspiop/edge.ts';
import { edgeApps, errorOf, fspiopHeaders } from './edge-fixtures.ts';
import { CONDITION } from './transfer-fixtures.ts';

const LIMITS = { bodyBytesMax: 4096, requestTimeoutMs: 300 };
const TRANSFER_ID = 'b51ec534-ee48-4575-b6a9-ead2955b8069';
const PREPARE = {
  transferId: TRANSFER_ID,
  payerFsp: 'payerfsp',
  payeeFsp: 'payeefsp',
  amount: { amount: '100.5', currency: 'USD' },
  ilpPacket: 'AYIDBQAAAAAAACcQ',
  condition: CONDITION,
  expiration: '2026-05-28T20:36:40.000Z',
};

function postTransfer(body: string, extra: Record<string, string> = {}) {
  return {
    method: 'POST',
    headers: fspiopHeaders('transfers', 'payerfsp', extra),
    body,
  };
}

describe('edge: text anywhere in a request', () => {
  it('refuses GET /parties/MSISDN/2352830786/%00 naming the SubId', async () => {
    const { sw, fspiop } = edgeApps(LIMITS);
    const response = await fspiop.request('/parties/MSISDN/2352830786/%00', {
      headers: fspiopHeaders('parties', 'payerfsp'),
    });
    assert.deepEqual(await errorOf(response), [
      400,
      '3101',
      'Malformed syntax - /params/SubId must not contain control characters',
    ]);
    assert.deepEqual(sw.published, []);
  });

  it('names path segments, query parameters and headers', async () => {
    const { sw, fspiop, admin } = edgeApps(LIMITS);
    const cases: Array<[Response | Promise<Response>, string]> = [
      [
        fspiop.request(`/transfers/${TRANSFER_ID}%01`, {
          headers: fspiopHeaders('transfers', 'payerfsp'),
        }),
        '/params/ID must not contain control characters',
      ],
      [
        fspiop.request('/parties/MSISDN/%ED%A0%80', { headers: fspiopHeaders('parties', 'p') }),
        '/params/ID is not percent-encoded UTF-8',
      ],
      [
        fspiop.request('/parties/MSISDN/123?currency=US%00D', {
          headers: fspiopHeaders('parties', 'payerfsp'),
        }),
        '/query/currency must not contain control characters',
      ],
      [
        fspiop.request('/parties/MSISDN/123', {
          headers: fspiopHeaders('parties', 'payerfsp', { 'fspiop-destination': 'payee\u0085' }),
        }),
        "header 'fspiop-destination' must not contain control characters",
      ],
      [
        admin.request('/participants/payer%1Bfsp'),
        '/params/name must not contain control characters',
      ],
      [admin.request('/unknown/%7F'), '/path segment 2 must not contain control characters'],
    ];
    for (const [response, description] of cases) {
      assert.deepEqual(await errorOf(await response), [
        400,
        '3101',
        `Malformed syntax - ${description}`,
      ]);
    }
    assert.deepEqual(sw.published, []);
  });

  it('refuses body hazards at any depth: controls, surrogates, keys twice, depth, numbers', async () => {
    const { sw, fspiop, admin } = edgeApps(LIMITS);
    const nested = (inner: string) => `{"payee":{"partyIdInfo":{${inner}}}}`;
    const cases: Array<[string, string]> = [
      [
        nested('"partyIdentifier":"12\\u0000"'),
        '/requestBody/payee/partyIdInfo/partyIdentifier must not contain control characters',
      ],
      [
        nested('"ok\\u0007":"1"'),
        '/requestBody/payee/partyIdInfo has a property name that must not contain control characters',
      ],
      [
        nested('"name":"\\udc00"'),
        '/requestBody/payee/partyIdInfo/name must not contain lone UTF-16 surrogates',
      ],
      [
        '{"payeeFsp":"a","payeeFsp":"b"}',
        "/requestBody has the property 'payeeFsp' more than once",
      ],
      [`${'['.repeat(40)}${']'.repeat(40)}`, `…${'/0'.repeat(30)} nests deeper than 32 levels`],
    ];
    for (const [body, description] of cases) {
      const response = await fspiop.request('/quotes', {
        method: 'POST',
        headers: fspiopHeaders('quotes', 'payerfsp', { 'fspiop-destination': 'payeefsp' }),
        body,
      });
      assert.deepEqual(await errorOf(response), [400, '3101', `Malformed syntax - ${description}`]);
    }
    const adminBody = await admin.request('/participants', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"dfsp\\u0000","currency":"USD"}',
    });
    assert.deepEqual(await errorOf(adminBody), [
      400,
      '3101',
      'Malformed syntax - /requestBody/name must not contain control characters',
    ]);
    const asText = await admin.request('/participants/payerfsp/endpoints', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"type":"\\ud800FSPIOP_CALLBACK_URL_QUOTES","value":"http://dfsp"}',
    });
    assert.deepEqual(await errorOf(asText), [
      400,
      '3101',
      'Malformed syntax - /requestBody/type must not contain lone UTF-16 surrogates',
    ]);
    // Admin amounts may be JSON numbers: one a double cannot hold is refused, not rounded.
    const amount = await admin.request('/participants/payerfsp/accounts/1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"action":"recordFundsIn","amount":{"amount":123456789012345678,"currency":"USD"}}',
    });
    assert.deepEqual(await errorOf(amount), [
      400,
      '3101',
      'Malformed syntax - /requestBody/amount/amount must be a number of at most 15 significant digits',
    ]);
    assert.deepEqual(sw.published, []);
  });

  it('lets a long number through an FSPIOP body, which is relayed as written', async () => {
    const { sw, fspiop } = edgeApps(LIMITS);
    // As a Testing Toolkit mock writes it: FSPIOP has no number the hub reads, so the long number
    // reaches the payer byte for byte instead of failing the whole callback.
    const body =
      '{"party":{"partyIdInfo":{"partyIdType":"MSISDN","partyIdentifier":"123","fspId":"payeefsp"},' +
      '"name":"A","ttkRandom":123456789012345678}}';
    const put = await fspiop.request('/parties/MSISDN/123', {
      method: 'PUT',
      headers: fspiopHeaders('parties', 'payeefsp', { 'fspiop-destination': 'payerfsp' }),
      body,
    });
    assert.equal(put.status, 200, await put.clone().text());
    assert.equal(sw.published.length, 1);
  });

  it('keeps line breaks in free text and reads valid UTF-8 only', async () => {
    const { sw, fspiop } = edgeApps(LIMITS);
    const error = { errorInformation: { errorCode: '5100', errorDescription: 'No\nthanks' } };
    const put = await fspiop.request(`/transfers/${TRANSFER_ID}/error`, {
      method: 'PUT',
      headers: fspiopHeaders('transfers', 'payeefsp'),
      body: JSON.stringify(error),
    });
    assert.equal(put.status, 200);
    assert.equal(sw.published.length, 1);
    const latin1 = await fspiop.request(
      '/transfers',
      postTransfer(new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]) as unknown as string),
    );
    assert.deepEqual(await errorOf(latin1), [
      400,
      '3101',
      'Malformed syntax - /requestBody is not valid UTF-8',
    ]);
    assert.equal(sw.published.length, 1);
  });
});

describe('edge: identifiers and limits', () => {
  it('validates party identifiers, ids, currencies and FspIds', async () => {
    const { sw, fspiop } = edgeApps(LIMITS);
    const get = (path: string, source = 'payerfsp') =>
      fspiop.request(path, { headers: fspiopHeaders(path.split('/')[1] ?? '', source) });
    assert.deepEqual(await errorOf(await get('/parties/MSISDN/%200712345678')), [
      400,
      '3100',
      'Generic validation error - /params/ID is not a valid MSISDN',
    ]);
    assert.deepEqual(await errorOf(await get('/parties/IBAN/DE89%203704%20')), [
      400,
      '3100',
      'Generic validation error - /params/ID is not a valid IBAN',
    ]);
    assert.deepEqual((await errorOf(await get('/parties/MSISDN/123?currency=usd'))).slice(0, 2), [
      400,
      '3100',
    ]);
    assert.deepEqual((await errorOf(await get('/quotes/not-an-id'))).slice(0, 2), [400, '3100']);
    assert.deepEqual(await errorOf(await get('/parties/MSISDN/123', 'payerfsp, payeefsp')), [
      400,
      '3101',
      'Malformed syntax - Invalid fspiop-source header',
    ]);
    const quote = await fspiop.request('/quotes', {
      method: 'POST',
      headers: fspiopHeaders('quotes', 'payerfsp', { 'fspiop-destination': 'payeefsp' }),
      body: JSON.stringify({
        payer: { partyIdInfo: { partyIdType: 'EMAIL', partyIdentifier: 'x' } },
      }),
    });
    assert.equal(quote.status, 400);
    assert.deepEqual(sw.published, []);
  });

  it('refuses a POST /transfers whose FSPIOP-Destination is not its payee', async () => {
    const { sw, fspiop } = edgeApps(LIMITS);
    const other = { 'fspiop-destination': 'payerfsp' };
    assert.deepEqual(
      await errorOf(
        await fspiop.request('/transfers', postTransfer(JSON.stringify(PREPARE), other)),
      ),
      [400, '3100', 'Generic validation error - FSPIOP-Destination header should match Payee FSP'],
    );
    assert.deepEqual(sw.published, []);
    const same = { 'fspiop-destination': 'payeefsp' };
    const accepted = await fspiop.request(
      '/transfers',
      postTransfer(JSON.stringify(PREPARE), same),
    );
    assert.equal(accepted.status, 202);
    assert.equal(sw.published.length, 1);
  });

  it('answers a body over the limit with 3104 and closes the connection', async () => {
    const { sw, fspiop } = edgeApps(LIMITS);
    const big = JSON.stringify({ ...PREPARE, ilpPacket: 'A'.repeat(LIMITS.bodyBytesMax) });
    const response = await fspiop.request('/transfers', postTransfer(big));
    assert.equal(response.headers.get('connection'), 'close');
    assert.deepEqual(await errorOf(response), [
      400,
      '3104',
      'Too large payload - /requestBody exceeds 4096 bytes',
    ]);
    assert.deepEqual(sw.published, []);
  });

  it('refuses a body limit the broker could not carry', () => {
    assert.equal(bodyLimitFault(131072, 1048576), undefined);
    assert.equal(
      bodyLimitFault(524288, 1048576),
      'HTTP_BODY_BYTES_MAX=524288 needs a NATS max_payload of at least 1114112 bytes ' +
        "(the server's is 1048576): lower it or raise max_payload",
    );
  });
});

describe('edge: an answer in bounded time', () => {
  it('answers 2004 when an actor does not reply, on both APIs, and bounds the request', async () => {
    const { sw, fspiop, admin } = edgeApps(LIMITS);
    const startedMs = Date.now();
    const lookup = await fspiop.request('/parties/MSISDN/2352830786', {
      headers: fspiopHeaders('parties', 'payerfsp'),
    });
    const endpoint = await admin.request('/participants/payerfsp/endpoints', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'FSPIOP_CALLBACK_URL_QUOTES', value: 'http://dfsp' }),
    });
    for (const response of [lookup, endpoint]) {
      assert.deepEqual(await errorOf(response), [
        500,
        '2004',
        'Server timed out - no answer within 300 ms; the request may still take effect',
      ]);
    }
    assert.ok(Date.now() - startedMs < 5000);
    assert.deepEqual(
      sw.requestOptions.map((options) => options?.timeoutMs),
      [300, 300],
    );
  });

  it('answers 503/2003 when the stream is full, 500/2001 for an unknown failure', async () => {
    const { sw, fspiop } = edgeApps(LIMITS);
    sw.publishError = Object.assign(new Error('maximum bytes exceeded'), { code: 10077 });
    const full = await fspiop.request('/transfers', postTransfer(JSON.stringify(PREPARE)));
    assert.deepEqual(await errorOf(full), [
      503,
      '2003',
      'Service currently unavailable - the switch is at capacity; nothing was accepted, retry later',
    ]);
    sw.publishError = new Error('disk on fire');
    const broken = await fspiop.request('/transfers', postTransfer(JSON.stringify(PREPARE)));
    assert.deepEqual(await errorOf(broken), [500, '2001', 'Internal server error']);
  });
});
