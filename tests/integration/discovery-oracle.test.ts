// External oracles over HTTP and the oracle admin API: an oracle registered through the admin
// /oracles route with `external: true` is called for registrations and lookups of its id type
// (the tests/helpers/oracle-sim.ts server over a real socket); one default per type + currency.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { oraclesRoutes } from '../../gateway/admin/oracles.ts';
import { type OracleSim, startOracleSim } from '../helpers/oracle-sim.ts';
import { errorCodeOf, headers, setup } from './discovery-fixtures.ts';

type Listed = { oracleId: string; oracleIdType: string; isDefault: boolean; external: boolean };

function oracleBody(url: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    oracleIdType: 'MSISDN',
    endpoint: { value: url, endpointType: 'URL' },
    currency: 'USD',
    isDefault: true,
    ...extra,
  });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('external oracle (oracle simulator over HTTP)', () => {
  let sim: OracleSim;
  before(async () => {
    sim = await startOracleSim();
  });
  after(async () => {
    await sim.close();
  });

  it('registers through the oracle and finds the owner through it', async () => {
    const { runtime, app } = await setup();
    const admin = oraclesRoutes({ bus: runtime, reader: runtime });
    const created = await admin.request('/oracles', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: oracleBody(sim.url, { currency: undefined, external: true }),
    });
    assert.equal(created.status, 201);
    await runtime.settle();

    const register = await app.request('/participants/MSISDN/4455', {
      method: 'POST',
      headers: headers('participants', 'payee'),
      body: JSON.stringify({ fspId: 'payee' }),
    });
    assert.equal(register.status, 202);
    await runtime.settle();
    assert.deepEqual(sim.entries.get('MSISDN/4455'), [{ fspId: 'payee' }]);
    assert.deepEqual(runtime.callbacks.at(-1)?.body, { fspId: 'payee' });
    assert.equal(runtime.callbacks.at(-1)?.path, '/participants/MSISDN/4455');

    const lookup = await app.request('/parties/MSISDN/4455', {
      headers: headers('parties', 'payer'),
    });
    assert.equal(lookup.status, 202);
    await runtime.settle();
    const forward = runtime.callbacks.at(-1);
    assert.equal(forward?.to, 'payee');
    assert.equal(forward?.method, 'GET');
    assert.equal(forward?.path, '/parties/MSISDN/4455');
    assert.deepEqual(
      sim.requests.map((r) => `${r.method} ${r.url}`),
      ['POST /participants/MSISDN/4455', 'GET /participants/MSISDN/4455'],
    );
  });

  it('answers 3204 when the oracle knows no owner', async () => {
    const { runtime, app } = await setup();
    const admin = oraclesRoutes({ bus: runtime, reader: runtime });
    await admin.request('/oracles', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: oracleBody(sim.url, { currency: undefined, external: true }),
    });
    await runtime.settle();
    await app.request('/parties/MSISDN/0000', { headers: headers('parties', 'payer') });
    await runtime.settle();
    const error = runtime.callbacks.at(-1);
    assert.equal(error?.to, 'payer');
    assert.equal(error?.path, '/parties/MSISDN/0000/error');
    assert.equal(errorCodeOf(error), '3204');
  });
});

describe('oracle admin API', () => {
  it('creates, lists, updates and deletes oracles with one default per type and currency', async () => {
    const { runtime } = await setup();
    const admin = oraclesRoutes({ bus: runtime, reader: runtime });
    const post = (body: string) =>
      admin.request('/oracles', { method: 'POST', headers: JSON_HEADERS, body });
    assert.equal((await post(oracleBody('http://a'))).status, 201);
    assert.equal((await post(oracleBody('http://b'))).status, 201);
    // Provisioning re-runs: an identical registration answers with the existing record.
    assert.equal((await post(oracleBody('http://b'))).status, 201);
    const list = async (query = '') =>
      (await (await admin.request(`/oracles${query}`)).json()) as Listed[];
    assert.deepEqual(
      (await list()).map((o) => [o.oracleId, o.isDefault, o.external]),
      [
        ['1', false, false],
        ['2', true, false],
      ],
    );
    const put = await admin.request('/oracles/1', {
      method: 'PUT',
      headers: JSON_HEADERS,
      body: oracleBody('http://a2', { external: true }),
    });
    assert.equal(put.status, 204);
    assert.deepEqual(
      (await list('?type=MSISDN&currency=USD')).map((o) => [o.oracleId, o.isDefault, o.external]),
      [
        ['1', true, true],
        ['2', false, false],
      ],
    );
    assert.deepEqual(await list('?type=EMAIL'), []);
    assert.equal((await admin.request('/oracles/2', { method: 'DELETE' })).status, 204);
    const missing = await admin.request('/oracles/9', { method: 'DELETE' });
    assert.equal(missing.status, 400);
    const notFound = (await missing.json()) as { errorInformation: { errorCode: string } };
    assert.equal(notFound.errorInformation.errorCode, '3200');
    const bad = await post(JSON.stringify({ oracleIdType: 'PHONE' }));
    assert.equal(bad.status, 400);
    assert.deepEqual(
      (await list()).map((o) => o.oracleId),
      ['1'],
    );
  });
});
