// Quotes, transaction requests and authorizations through createFspiopApp + MemoryRuntime:
// each request is relayed to its responder and each answer (or error) back to the requester,
// and a GET quote is answered from the stored answer, also after the payee has gone.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ERROR_BODY,
  errorCodeOf,
  headers,
  participant,
  publishParticipant,
  putHeaders,
  QUOTE_ANSWER,
  QUOTE_ID,
  quoteBody,
  setup,
  TRX_ID,
  transactionRequestBody,
} from './discovery-fixtures.ts';

type App = Awaited<ReturnType<typeof setup>>['app'];

async function postQuote(app: App) {
  return app.request('/quotes', {
    method: 'POST',
    headers: headers('quotes', 'payer', { 'fspiop-destination': 'payee' }),
    body: JSON.stringify(quoteBody()),
  });
}

async function postTransactionRequest(app: App) {
  return app.request('/transactionRequests', {
    method: 'POST',
    headers: headers('transactionRequests', 'payee', { 'fspiop-destination': 'payer' }),
    body: JSON.stringify(transactionRequestBody()),
  });
}

describe('quotes (in process)', () => {
  it('relays PUT /quotes/{ID}/error from the payee to the payer unchanged', async () => {
    const { runtime, app } = await setup();
    assert.equal((await postQuote(app)).status, 202);
    const body = JSON.stringify(ERROR_BODY);
    const put = await app.request(`/quotes/${QUOTE_ID}/error`, {
      method: 'PUT',
      headers: putHeaders('quotes', 'payee', 'payer'),
      body,
    });
    assert.equal(put.status, 200);
    await runtime.settle();
    const relayed = runtime.callbacks.at(-1);
    assert.equal(relayed?.to, 'payer');
    assert.equal(relayed?.method, 'PUT');
    assert.equal(relayed?.path, `/quotes/${QUOTE_ID}/error`);
    assert.equal(relayed?.endpointType, 'FSPIOP_CALLBACK_URL_QUOTES');
    assert.equal(relayed?.relay?.body, body);
    assert.equal(relayed?.relay?.headers['fspiop-source'], 'payee');
  });

  it('answers GET /quotes/{ID} from the stored answer, also after the payee is gone', async () => {
    const { runtime, app } = await setup();
    await postQuote(app);
    const answer = JSON.stringify(QUOTE_ANSWER);
    const put = await app.request(`/quotes/${QUOTE_ID}`, {
      method: 'PUT',
      headers: putHeaders('quotes', 'payee', 'payer'),
      body: answer,
    });
    assert.equal(put.status, 200);
    await runtime.settle();
    await publishParticipant(runtime, participant('payee', false));
    const before = runtime.callbacks.length;
    const get = await app.request(`/quotes/${QUOTE_ID}`, {
      headers: headers('quotes', 'payer', { 'fspiop-destination': 'payee' }),
    });
    assert.equal(get.status, 202);
    await runtime.settle();
    const resent = runtime.callbacks.slice(before);
    assert.equal(resent.length, 1);
    assert.equal(resent[0]?.to, 'payer');
    assert.equal(resent[0]?.method, 'PUT');
    assert.equal(resent[0]?.path, `/quotes/${QUOTE_ID}`);
    assert.equal(resent[0]?.relay?.body, answer);
  });

  it('answers GET of an unknown quote with 3205 to the requester', async () => {
    const { runtime, app } = await setup();
    const get = await app.request(`/quotes/${QUOTE_ID}`, { headers: headers('quotes', 'payer') });
    assert.equal(get.status, 202);
    await runtime.settle();
    const error = runtime.callbacks.at(-1);
    assert.equal(error?.to, 'payer');
    assert.equal(error?.path, `/quotes/${QUOTE_ID}/error`);
    assert.equal(errorCodeOf(error), '3205');
  });
});

describe('transaction requests (in process)', () => {
  it('forwards the request to the payer and its ACCEPTED answer to the payee', async () => {
    const { runtime, app } = await setup();
    assert.equal((await postTransactionRequest(app)).status, 202);
    await runtime.settle();
    const forwarded = runtime.callbacks.at(-1);
    assert.equal(forwarded?.to, 'payer');
    assert.equal(forwarded?.method, 'POST');
    assert.equal(forwarded?.path, '/transactionRequests');
    assert.equal(forwarded?.endpointType, 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE');
    const answer = JSON.stringify({ transactionId: TRX_ID, transactionRequestState: 'ACCEPTED' });
    const put = await app.request(`/transactionRequests/${TRX_ID}`, {
      method: 'PUT',
      headers: putHeaders('transactionRequests', 'payer', 'payee'),
      body: answer,
    });
    assert.equal(put.status, 200);
    await runtime.settle();
    const relayed = runtime.callbacks.at(-1);
    assert.equal(relayed?.to, 'payee');
    assert.equal(relayed?.path, `/transactionRequests/${TRX_ID}`);
    assert.equal(relayed?.relay?.body, answer);
  });

  it('relays a REJECTED state and a PUT …/error to the payee', async () => {
    const { runtime, app } = await setup();
    await postTransactionRequest(app);
    const rejected = JSON.stringify({ transactionRequestState: 'REJECTED' });
    const put = await app.request(`/transactionRequests/${TRX_ID}`, {
      method: 'PUT',
      headers: putHeaders('transactionRequests', 'payer', 'payee'),
      body: rejected,
    });
    assert.equal(put.status, 200);
    await runtime.settle();
    assert.equal(runtime.callbacks.at(-1)?.relay?.body, rejected);

    const other = '01JBVM14S6SC453EY9XMHZ5ZT9';
    await app.request('/transactionRequests', {
      method: 'POST',
      headers: headers('transactionRequests', 'payee', { 'fspiop-destination': 'payer' }),
      body: JSON.stringify({ ...transactionRequestBody(), transactionRequestId: other }),
    });
    const error = JSON.stringify(ERROR_BODY);
    const putError = await app.request(`/transactionRequests/${other}/error`, {
      method: 'PUT',
      headers: putHeaders('transactionRequests', 'payer', 'payee'),
      body: error,
    });
    assert.equal(putError.status, 200);
    await runtime.settle();
    const relayed = runtime.callbacks.at(-1);
    assert.equal(relayed?.to, 'payee');
    assert.equal(relayed?.path, `/transactionRequests/${other}/error`);
    assert.equal(relayed?.relay?.body, error);
  });

  it('refuses a modified resend with 3106 to the payee', async () => {
    const { runtime, app } = await setup();
    await postTransactionRequest(app);
    const modified = await app.request('/transactionRequests', {
      method: 'POST',
      headers: headers('transactionRequests', 'payee', { 'fspiop-destination': 'payer' }),
      body: JSON.stringify({ ...transactionRequestBody(), note: 'changed' }),
    });
    assert.equal(modified.status, 202);
    await runtime.settle();
    const error = runtime.callbacks.at(-1);
    assert.equal(error?.to, 'payee');
    assert.equal(error?.path, `/transactionRequests/${TRX_ID}/error`);
    assert.equal(errorCodeOf(error), '3106');
  });
});

describe('authorizations (in process)', () => {
  it('forwards the OTP request to the payee and the answer back to the payer', async () => {
    const { runtime, app } = await setup();
    const query = '?authenticationType=OTP&retriesLeft=2&amount=10&currency=USD';
    const get = await app.request(`/authorizations/${TRX_ID}${query}`, {
      headers: headers('authorizations', 'payer', { 'fspiop-destination': 'payee' }),
    });
    assert.equal(get.status, 202);
    await runtime.settle();
    const forwarded = runtime.callbacks.at(-1);
    assert.equal(forwarded?.to, 'payee');
    assert.equal(forwarded?.method, 'GET');
    assert.equal(forwarded?.path, `/authorizations/${TRX_ID}${query}`);
    assert.equal(forwarded?.endpointType, 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE');
    const answer = JSON.stringify({
      authenticationInfo: { authentication: 'OTP', authenticationValue: '1234' },
      responseType: 'ENTERED',
    });
    const put = await app.request(`/authorizations/${TRX_ID}`, {
      method: 'PUT',
      headers: putHeaders('authorizations', 'payee', 'payer'),
      body: answer,
    });
    assert.equal(put.status, 200);
    await runtime.settle();
    const relayed = runtime.callbacks.at(-1);
    assert.equal(relayed?.to, 'payer');
    assert.equal(relayed?.method, 'PUT');
    assert.equal(relayed?.path, `/authorizations/${TRX_ID}`);
    assert.equal(relayed?.relay?.body, answer);

    // The OTP retry (retriesLeft - 1) opens a new round instead of being a modified request.
    const retry = '?authenticationType=OTP&retriesLeft=1&amount=10&currency=USD';
    await app.request(`/authorizations/${TRX_ID}${retry}`, {
      headers: headers('authorizations', 'payer', { 'fspiop-destination': 'payee' }),
    });
    await runtime.settle();
    assert.equal(runtime.callbacks.at(-1)?.path, `/authorizations/${TRX_ID}${retry}`);
    assert.equal(runtime.callbacks.at(-1)?.to, 'payee');
  });
});
