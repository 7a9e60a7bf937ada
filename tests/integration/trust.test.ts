// Issue 11's "done when", end to end over real HTTPS with client certificates against a running
// mkondo, real NATS and PostgreSQL: a spoofed FSPIOP-Source is refused and changes nothing; a bad
// or missing signature from a DFSP with a registered key is refused; a request signed by
// Mojaloop's SDK is accepted and its signature reaches the payee intact; the hub's own messages
// validate with the SDK's validator; a party cannot be re-registered by another DFSP; a funds-in
// needs an approver; every Admin action is in the audit record.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keyThumbprint } from '../../runtime/notifier/jws.ts';
import { prepareBody } from '../helpers/fspiop-client.ts';
import { poisonMessages, snapshotViolations, waitQuiescent } from '../helpers/invariants.ts';
import { rsaPair, sdkSign, sdkValidate } from '../helpers/sdk-jws.ts';
import { waitUntil } from '../helpers/transfer-world.ts';
import { type Answer, startTrustWorld, type TrustWorld } from './trust-world.ts';

const MSISDN = '255700000042';
let world: TrustWorld;

function headers(resource: string, source: string, destination?: string) {
  const media = `application/vnd.interoperability.${resource}+json;version=1.1`;
  return {
    'content-type': media,
    accept: media,
    date: new Date().toUTCString(),
    'fspiop-source': source,
    ...(destination ? { 'fspiop-destination': destination } : {}),
  } as Record<string, string>;
}

/** A request as the SDK signs it with the payer's key: headers and body text to send. */
function payerSigned(path: string, resource: string, body: unknown, destination?: string) {
  const request = {
    method: 'POST',
    uri: `${world.fspiopUrl}${path}`,
    headers: headers(resource, 'payerfsp', destination),
    body,
  };
  sdkSign(world.payerJws.privateKey, request);
  return { method: 'POST', headers: request.headers, body: request.body as unknown as string };
}

async function positions(): Promise<[number, number]> {
  const read = async (name: string) => {
    const answer = await world.admin(
      'auditor',
      'GET',
      `/participants/${name}/positions?currency=USD`,
    );
    return answer.body.value as number;
  };
  return [await read('payerfsp'), await read('payeefsp')];
}

async function settlementAccount(name: string) {
  const answer = await world.admin('auditor', 'GET', `/participants/${name}/accounts`);
  return (answer.body as Array<{ id: number; ledgerAccountType: string; value: number }>).find(
    (a) => a.ledgerAccountType === 'SETTLEMENT',
  );
}

const errorOf = (answer: Answer) => [
  answer.status,
  answer.body?.errorInformation?.errorCode,
  answer.body?.errorInformation?.errorDescription,
];

describe('trust: DFSPs over mTLS and JWS, operators with maker-checker', () => {
  before(async () => {
    world = await startTrustWorld();
  });
  after(async () => {
    await world?.stop();
  });

  it('holds a funds-in until another operator, an approver, approves it', async () => {
    const account = await settlementAccount('payerfsp');
    assert.equal(account?.value, 0);
    const fundsIn = {
      transferId: '0c3fa63d-b4a0-4a2f-9d2b-16a5bb0e5a3d',
      externalReference: 'trust-test',
      action: 'recordFundsIn',
      reason: 'opening balance',
      amount: { amount: '5000', currency: 'USD' },
    };
    const path = `/participants/payerfsp/accounts/${account?.id}`;
    const made = await world.admin('maker', 'POST', path, fundsIn);
    assert.equal(made.status, 202);
    assert.equal(made.body.state, 'PENDING');
    const approve = `/approvals/${made.body.approvalId}/approve`;
    assert.deepEqual(errorOf(await world.admin('maker', 'POST', approve)), [
      403,
      '3000',
      'Generic client error - the maker of a request cannot also approve it',
    ]);
    assert.equal((await world.admin('auditor', 'POST', approve)).status, 403);
    assert.equal((await settlementAccount('payerfsp'))?.value, 0);
    const decided = await world.admin('checker', 'POST', approve);
    world.adminActions.count += 1;
    assert.deepEqual(
      [decided.status, decided.body.state, decided.body.status],
      [200, 'APPROVED', 202],
    );
    await waitUntil('funds in', async () => (await settlementAccount('payerfsp'))?.value === -5000);
    assert.deepEqual(errorOf(await world.admin('checker', 'POST', approve)), [
      400,
      '3000',
      `Generic client error - approval ${made.body.approvalId} is APPROVED, not PENDING`,
    ]);
  });

  it('refuses a spoofed FSPIOP-Source, and callers without a scheme certificate, changing nothing', async () => {
    const prepare = prepareBody({
      payerFsp: 'payeefsp',
      payeeFsp: 'payerfsp',
      amount: '10',
      currency: 'USD',
      condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM',
    });
    const init = {
      method: 'POST',
      headers: headers('transfers', 'payeefsp', 'payerfsp'),
      body: JSON.stringify(prepare),
    };
    assert.deepEqual(errorOf(await world.fspiop(world.certs.payerfsp, '/transfers', init)), [
      400,
      '3000',
      'Generic client error - FSPIOP-Source payeefsp is not the authenticated participant',
    ]);
    await assert.rejects(world.fspiop(undefined, '/transfers', init));
    const rogue = world.pki.client('payeefsp', world.pki.rogueCa());
    await assert.rejects(world.fspiop(rogue, '/transfers', init));
    assert.deepEqual(await positions(), [0, 0]);
    assert.equal(world.sims.payerfsp.forTransfer(String(prepare['transferId'])).length, 0);
  });

  it('refuses a missing, foreign or broken signature from a DFSP with a registered key', async () => {
    const body = prepareBody({
      payerFsp: 'payerfsp',
      payeeFsp: 'payeefsp',
      amount: '10',
      currency: 'USD',
      condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM',
    });
    const unsigned = {
      method: 'POST',
      headers: headers('transfers', 'payerfsp', 'payeefsp'),
      body: JSON.stringify(body),
    };
    const send = (init: RequestInit) => world.fspiop(world.certs.payerfsp, '/transfers', init);
    assert.deepEqual(errorOf(await send(unsigned)), [
      400,
      '3105',
      'Invalid signature - FSPIOP-Signature is required: payerfsp signs',
    ]);
    const foreign = {
      method: 'POST',
      uri: `${world.fspiopUrl}/transfers`,
      headers: headers('transfers', 'payerfsp', 'payeefsp'),
      body: body as unknown,
    };
    sdkSign(rsaPair().privateKey, foreign);
    const foreignInit = { method: 'POST', headers: foreign.headers, body: String(foreign.body) };
    assert.match(errorOf(await send(foreignInit))[2], /does not verify/);
    const signed = payerSigned('/transfers', 'transfers', body, 'payeefsp');
    const tampered = { ...signed, body: signed.body.replace('"10"', '"1000"') };
    assert.deepEqual(errorOf(await send(tampered)), [
      400,
      '3105',
      'Invalid signature - the signature does not verify with any registered key of the sender',
    ]);
    assert.deepEqual(await positions(), [0, 0]);
    assert.equal(world.sims.payeefsp.forTransfer(String(body['transferId'])).length, 0);
  });

  it('relays an SDK-signed prepare with its signature intact; the hub signs its own answers', async () => {
    const fulfilment = 'UNlJ98hZTY_dsw0cAqw4i_UN3v4utt7CZFB4yfLbVFA';
    const body = prepareBody({
      payerFsp: 'payerfsp',
      payeeFsp: 'payeefsp',
      amount: '25',
      currency: 'USD',
      condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM',
    });
    const transferId = String(body['transferId']);
    const signed = payerSigned('/transfers', 'transfers', body, 'payeefsp');
    assert.equal((await world.fspiop(world.certs.payerfsp, '/transfers', signed)).status, 202);
    const atPayee = await world.sims.payeefsp.waitFor(
      (r) => r.method === 'POST' && r.path === '/transfers' && r.text.includes(transferId),
    );
    assert.equal(atPayee.headers['fspiop-signature'], signed.headers['fspiop-signature']);
    assert.equal(atPayee.text, signed.body);
    sdkValidate(
      { payerfsp: world.payerJws.publicKey },
      { headers: atPayee.headers, body: atPayee.body },
    );

    const fulfilHeaders = headers('transfers', 'payeefsp', 'payerfsp');
    delete fulfilHeaders['accept']; // a PUT callback carries no Accept
    const fulfil = {
      method: 'PUT',
      headers: fulfilHeaders,
      body: JSON.stringify({
        transferState: 'COMMITTED',
        fulfilment,
        completedTimestamp: new Date().toISOString(),
      }),
    };
    const path = `/transfers/${transferId}`;
    assert.equal((await world.fspiop(world.certs.payeefsp, path, fulfil)).status, 200);
    await world.sims.payerfsp.waitFor((r) => r.method === 'PUT' && r.path === path);
    const get = { method: 'GET', headers: headers('transfers', 'payerfsp') };
    assert.equal((await world.fspiop(world.certs.payerfsp, path, get)).status, 202);
    const fromHub = await world.sims.payerfsp.waitFor(
      (r) => r.method === 'PUT' && r.path === path && r.headers['fspiop-source'] === 'Hub',
    );
    sdkValidate({ Hub: world.hubJws.publicKey }, { headers: fromHub.headers, body: fromHub.body });
    const bound = JSON.parse(fromHub.headers['fspiop-signature'] ?? '{}').protectedHeader;
    const kid = JSON.parse(Buffer.from(bound, 'base64url').toString()).kid;
    assert.equal(kid, await keyThumbprint(world.hubJws.privateKey));
    assert.deepEqual(await positions(), [25, -25]);
  });

  it('keeps a party registered to its DFSP when another DFSP registers it', async () => {
    const path = `/participants/MSISDN/${MSISDN}`;
    const own = {
      method: 'POST',
      headers: headers('participants', 'payeefsp'),
      body: JSON.stringify({ fspId: 'payeefsp', currency: 'USD' }),
    };
    assert.equal((await world.fspiop(world.certs.payeefsp, path, own)).status, 202);
    await world.sims.payeefsp.waitFor((r) => r.method === 'PUT' && r.path === path);
    const takeOver = payerSigned(path, 'participants', { fspId: 'payerfsp', currency: 'USD' });
    assert.equal((await world.fspiop(world.certs.payerfsp, path, takeOver)).status, 202);
    const refused = await world.sims.payerfsp.waitFor((r) => r.path === `${path}/error`);
    assert.deepEqual(refused.body, {
      errorInformation: {
        errorCode: '3003',
        errorDescription: 'Add Party information error - the party is registered to another DFSP',
      },
    });
    const onBehalf = payerSigned(path, 'participants', { fspId: 'payeefsp', currency: 'USD' });
    assert.deepEqual(errorOf(await world.fspiop(world.certs.payerfsp, path, onBehalf)), [
      400,
      '3000',
      'Generic client error - fspId payeefsp is not the sender payerfsp',
    ]);
    const lookup = { method: 'GET', headers: headers('participants', 'payerfsp') };
    assert.equal(
      (await world.fspiop(world.certs.payerfsp, `${path}?currency=USD`, lookup)).status,
      202,
    );
    const owner = await world.sims.payerfsp.waitFor((r) => r.method === 'PUT' && r.path === path);
    assert.deepEqual(owner.body, { fspId: 'payeefsp' });
  });

  it('records every Admin action, refused ones included, in the audit record', async () => {
    assert.equal((await world.admin('nobody', 'POST', '/participants', { name: 'x' })).status, 401);
    assert.equal(
      (await world.admin('auditor', 'POST', '/participants', { name: 'x' })).status,
      403,
    );
    const made = world.adminActions.count;
    const audit = await world.admin('auditor', 'GET', '/audit?limit=1000');
    assert.equal(audit.status, 200);
    assert.equal(audit.body.length, made);
    const [auditorRefused, unauthenticated] = audit.body;
    assert.deepEqual(
      [
        auditorRefused.operator,
        auditorRefused.status,
        unauthenticated.operator,
        unauthenticated.status,
      ],
      ['auditor', 403, 'unauthenticated', 401],
    );
    assert.equal(unauthenticated.request, '{"name":"x"}');
    const executed = audit.body.filter((e: { approvalId: string | null }) => e.approvalId !== null);
    assert.ok(executed.every((e: { operator: string }) => e.operator === 'maker'));
    const fundsIn = executed.find((e: { request: string }) => e.request?.includes('recordFundsIn'));
    assert.deepEqual([fundsIn.status, fundsIn.outcome], [202, 'ok']);
  });

  it('leaves the money invariants intact', async () => {
    const snapshots = await waitQuiescent(world.databaseUrl);
    assert.deepEqual(snapshotViolations(snapshots), []);
    assert.deepEqual(await poisonMessages(world.databaseUrl), []);
  });
});
