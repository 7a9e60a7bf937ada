// The notifier's retry horizon and its reports of undelivered relayed callbacks (issue 9
// finding 10, issue 19): minutes of retries counted from publication, a deadline for prepares,
// and a ForwardFailed for the owning actor before the callback counts as done.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Callback } from '../../actors/callback.ts';
import { NotifierCore } from '../../runtime/notifier/core.ts';
import { isCallback } from '../../runtime/notifier/decode.ts';
import type { AttemptResult } from '../../runtime/notifier/retry.ts';

import {
  core,
  counted,
  dfsp,
  directoryOf,
  outage,
  put,
  SILENT,
  scripted,
  status,
  T0,
} from './notifier-fixtures.ts';

const relayedPrepare: Callback = {
  ...put('payerfsp'),
  relay: { headers: {}, body: '{}' },
  onFailure: { actor: { type: 'transfer', key: 't-1' }, sender: 'payeefsp' },
};

describe('NotifierCore retry horizon and failure reports', () => {
  it('keeps retrying through a four-minute outage and delivers when the DFSP is back', async () => {
    // Eight failures 30 s apart, then the DFSP answers: a five-retry budget gave up at 5-8 s.
    const down: AttemptResult = { kind: 'network', error: 'ECONNREFUSED' };
    const { notifier, transport } = outage([...Array(8).fill(down), status(200)], 30_000);
    const outcome = await notifier.deliver(put('payerfsp'));
    assert.deepEqual(outcome, { kind: 'delivered', status: 200, attempts: 9 });
    assert.equal(transport.requests.length, 9);
  });

  it('gives up at the retry horizon after publication and reports the last error', async () => {
    const transport = scripted([
      status(500),
      { kind: 'network', error: 'UND_ERR_CONNECT_TIMEOUT' },
    ]);
    let nowMs = T0;
    const send = transport.send.bind(transport);
    transport.send = async (request) => {
      nowMs += 60_000;
      return send(request);
    };
    const notifier = new NotifierCore({
      directory: directoryOf([dfsp('payerfsp')]),
      hub: { hubName: 'Hub' },
      transport,
      retry: { horizonMs: 5 * 60_000, backoffBaseMs: 1, backoffMaxMs: 4 },
      log: SILENT,
      clock: () => nowMs,
      random: () => 0.5,
    });
    const before = await counted('failed', 'payerfsp');
    // Published a minute before this replica took it: four minutes of horizon are left.
    const outcome = await notifier.deliver(put('payerfsp'), { publishedAtMs: T0 - 60_000 });
    assert.deepEqual(outcome, { kind: 'failed', attempts: 4, last: 'UND_ERR_CONNECT_TIMEOUT' });
    assert.equal(transport.requests.length, 4);
    assert.equal(await counted('failed', 'payerfsp'), before + 1);
  });

  it('makes exactly one attempt with a zero horizon', async () => {
    const transport = scripted([status(502)]);
    const outcome = await core(transport, 0).deliver(put('payerfsp'));
    assert.deepEqual(outcome, { kind: 'failed', attempts: 1, last: 'status 502' });
  });

  it('stops retrying a callback at its deliverByMs and reports nothing', async () => {
    const { notifier, transport, reports } = outage([status(503)], 30_000);
    const relayed: Callback = {
      ...put('payerfsp'),
      relay: { headers: {}, body: '{}' },
      onFailure: { actor: { type: 'transfer', key: 't-1' }, sender: 'payeefsp' },
      deliverByMs: T0 + 70_000,
    };
    assert.deepEqual(await notifier.deliver(relayed), { kind: 'expired', attempts: 3 });
    assert.equal(transport.requests.length, 3);
    assert.deepEqual(await notifier.deliver({ ...relayed, deliverByMs: T0 }), {
      kind: 'expired',
      attempts: 0,
    });
    assert.deepEqual(reports, []);
  });

  it("reports a refused relayed callback to its actor with the receiver's error", async () => {
    const error = { errorCode: '3001', errorDescription: 'Unacceptable version requested' };
    const { notifier, reports } = outage([{ kind: 'status', status: 406, error }], 1);
    const relayed: Callback = {
      ...put('payerfsp'),
      relay: { headers: {}, body: '{}' },
      onFailure: { actor: { type: 'transfer', key: 't-1' }, sender: 'payeefsp' },
    };
    const outcome = await notifier.deliver(relayed);
    assert.deepEqual(outcome, { kind: 'refused', status: 406, attempts: 1, error });
    assert.deepEqual(reports, [
      {
        to: { type: 'transfer', key: 't-1' },
        command: {
          kind: 'ForwardFailed',
          sender: 'payeefsp',
          receiver: 'payerfsp',
          callbackId: 'cb-t-1',
          params: { transferId: 't-1' },
          endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
          failure: { kind: 'refused', status: 406, error },
          possiblyDelivered: false,
        },
      },
    ]);
  });

  it('reports a refusal after a lost answer as possibly delivered', async () => {
    // Attempt 1 reached the payee but its answer was lost; attempt 2 is the duplicate's 409.
    const lost: AttemptResult = { kind: 'network', error: 'UND_ERR_HEADERS_TIMEOUT' };
    const { notifier, reports } = outage([lost, status(409)], 1_000);
    const outcome = await notifier.deliver(relayedPrepare);
    assert.deepEqual(outcome, { kind: 'refused', status: 409, attempts: 2 });
    assert.deepEqual(
      reports.map((r) => [r.command.failure, r.command.possiblyDelivered]),
      [[{ kind: 'refused', status: 409 }, true]],
    );
  });

  it('reports any failure of a redelivered callback as possibly delivered', async () => {
    // Another replica may have sent it before handing it back (stopped, or its ack lost).
    const { notifier, reports } = outage([status(400)], 1_000);
    await notifier.deliver(relayedPrepare, { redelivered: true });
    const unroutable = outage([status(200)], 1_000);
    const ghost = { ...relayedPrepare, to: 'ghostfsp' };
    assert.deepEqual(await unroutable.notifier.deliver(ghost, { redelivered: true }), {
      kind: 'no_participant',
    });
    assert.deepEqual(
      [...reports, ...unroutable.reports].map((r) => [
        r.command.failure.kind,
        r.command.possiblyDelivered,
      ]),
      [
        ['refused', true],
        ['unroutable', true],
      ],
    );
  });

  it('reports a first-attempt refusal or a missing participant as not delivered', async () => {
    const { notifier, reports } = outage([status(409)], 1_000);
    await notifier.deliver(relayedPrepare);
    await notifier.deliver({ ...relayedPrepare, to: 'ghostfsp' });
    assert.deepEqual(
      reports.map((r) => [r.command.failure.kind, r.command.possiblyDelivered]),
      [
        ['refused', false],
        ['unroutable', false],
      ],
    );
  });

  it('hands a callback back when its failure cannot be reported', async () => {
    const transport = scripted([status(400)]);
    const notifier = new NotifierCore({
      directory: directoryOf([dfsp('payerfsp')]),
      hub: { hubName: 'Hub' },
      transport,
      log: SILENT,
      reportFailure: async () => {
        throw new Error('bus down');
      },
    });
    const relayed: Callback = {
      ...put('payerfsp'),
      relay: { headers: {}, body: '{}' },
      onFailure: { actor: { type: 'transfer', key: 't-1' }, sender: 'payeefsp' },
    };
    assert.deepEqual(await notifier.deliver(relayed), { kind: 'interrupted', attempts: 1 });
  });
});

describe('isCallback', () => {
  const relayed = {
    ...put('payerfsp'),
    relay: { headers: {}, body: '{}' },
    onFailure: { actor: { type: 'transfer', key: 't-1' }, sender: 'payeefsp' },
    deliverByMs: T0,
  };

  it('accepts a relayed callback with its failure route and deadline', () => {
    assert.equal(isCallback(relayed), true);
  });

  it('refuses a malformed failure route or deadline, which could never be reported', () => {
    assert.equal(isCallback({ ...relayed, onFailure: { actor: 'transfer', sender: 'x' } }), false);
    assert.equal(isCallback({ ...relayed, onFailure: { actor: relayed.onFailure.actor } }), false);
    assert.equal(isCallback({ ...relayed, deliverByMs: '1' }), false);
  });
});
