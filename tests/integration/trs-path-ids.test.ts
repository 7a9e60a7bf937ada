// The transaction-requests-service takes any string as a path {ID} (its openapi.yaml declares
// `ID` as `type: string`) and forwards what it is given; TTK's golden path sends ids such as the
// unset placeholder `{$environment.tranid}` and expects 202 for a GET /transactionRequests/{ID}
// and the query's error (3102/3101/3100) for a GET /authorizations/{ID} with a bad query. The
// quoting-service's {ID} stays a CorrelationId.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ErrorAnswer, headers, setup } from './discovery-fixtures.ts';

const PLACEHOLDER = encodeURIComponent('{$environment.tranid}');

async function errorOf(response: Response): Promise<[number, string, string]> {
  const body = (await response.json()) as ErrorAnswer;
  const { errorCode, errorDescription } = body.errorInformation;
  return [response.status, errorCode, errorDescription];
}

describe('path ids of the transaction-requests resources (in process)', () => {
  it('forwards GET /transactionRequests/{ID} with a non-UUID id to its destination', async () => {
    const { runtime, app } = await setup();
    const get = await app.request(`/transactionRequests/${PLACEHOLDER}`, {
      headers: headers('transactionRequests', 'payee', { 'fspiop-destination': 'payer' }),
    });
    assert.equal(get.status, 202);
    await runtime.settle();
    const forwarded = runtime.callbacks.at(-1);
    assert.equal(forwarded?.to, 'payer');
    assert.equal(forwarded?.method, 'GET');
    assert.equal(forwarded?.path, `/transactionRequests/${PLACEHOLDER}`);
  });

  it('answers a bad OTP query before looking at the id, in the service codes', async () => {
    const { runtime, app } = await setup();
    const ask = (query: string) =>
      app.request(`/authorizations/${PLACEHOLDER}?${query}`, {
        headers: headers('authorizations', 'payer', { 'fspiop-destination': 'payee' }),
      });
    const missing = await errorOf(await ask('amount=102&currency=USD&retriesLeft=2'));
    assert.deepEqual(missing.slice(0, 2), [400, '3102']);
    assert.match(missing[2], /^Missing mandatory element - .*authenticationType/);
    const notNumber = await errorOf(
      await ask('amount=102&currency=USD&retriesLeft=g&authenticationType=OTP'),
    );
    assert.deepEqual(notNumber.slice(0, 2), [400, '3101']);
    assert.match(notNumber[2], /^Malformed syntax - .*retriesLeft/);
    const badType = await errorOf(
      await ask('amount=102&currency=USD&retriesLeft=2&authenticationType=XTP'),
    );
    assert.deepEqual(badType.slice(0, 2), [400, '3100']);
    assert.match(badType[2], /^Generic validation error - .*authenticationType/);
    await runtime.settle();
    assert.equal(runtime.callbacks.length, 0, 'a refused request is not forwarded');
  });

  it('refuses an id that cannot be a key, and keeps the quote id a CorrelationId', async () => {
    const { app } = await setup();
    const long = await app.request(`/transactionRequests/${'a'.repeat(129)}`, {
      headers: headers('transactionRequests', 'payee', { 'fspiop-destination': 'payer' }),
    });
    const tooLong = await errorOf(long);
    assert.deepEqual(tooLong.slice(0, 2), [400, '3100']);
    assert.match(tooLong[2], /\/params\/ID/);
    const quote = await app.request(`/quotes/${PLACEHOLDER}`, {
      headers: headers('quotes', 'payer', { 'fspiop-destination': 'payee' }),
    });
    assert.deepEqual((await errorOf(quote)).slice(0, 2), [400, '3100']);
  });
});
