import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Callback } from '../../actors/callback.ts';
import { type DeliveryOutcome, NotifierCore } from '../../runtime/notifier/core.ts';
import { backoffMs, DEFAULT_RETRY_POLICY, judgeAttempt } from '../../runtime/notifier/retry.ts';

import {
  core,
  counted,
  dfsp,
  directoryOf,
  put,
  SILENT,
  scripted,
  status,
} from './notifier-fixtures.ts';

describe('retry policy', () => {
  it('delivers on 2xx, retries network errors, 5xx, 408 and 429, refuses 3xx, 4xx and 501', () => {
    assert.equal(judgeAttempt(status(200)), 'delivered');
    assert.equal(judgeAttempt(status(202)), 'delivered');
    assert.equal(judgeAttempt({ kind: 'network', error: 'ECONNREFUSED' }), 'retry');
    assert.equal(judgeAttempt(status(500)), 'retry');
    assert.equal(judgeAttempt(status(503)), 'retry');
    // A proxy's request timeout and the receiver's rate limit say "not now", not "never".
    assert.equal(judgeAttempt(status(408)), 'retry');
    assert.equal(judgeAttempt(status(429)), 'retry');
    assert.equal(judgeAttempt(status(501)), 'refused');
    assert.equal(judgeAttempt(status(400)), 'refused');
    assert.equal(judgeAttempt(status(404)), 'refused');
    assert.equal(judgeAttempt(status(302)), 'refused');
  });

  it('backs off exponentially with equal jitter, capped at backoffMaxMs', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, backoffBaseMs: 100, backoffMaxMs: 1_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((retry) => backoffMs(retry, policy, () => 0)),
      [50, 100, 200, 400, 500, 500],
    );
    assert.equal(
      backoffMs(3, policy, () => 0.999_999),
      400,
    );
    assert.equal(
      backoffMs(3, policy, () => 0.5),
      300,
    );
  });
});

describe('NotifierCore.deliver', () => {
  it('retries a 503 and delivers once on the following 200', async () => {
    const transport = scripted([status(503), status(200)]);
    const before = await counted('delivered', 'payerfsp');
    assert.deepEqual(await core(transport).deliver(put('payerfsp')), {
      kind: 'delivered',
      status: 200,
      attempts: 2,
    });
    assert.equal(transport.requests.length, 2);
    assert.deepEqual(transport.requests[0], transport.requests[1]);
    assert.equal(transport.requests[0]?.url, 'http://payerfsp.test/transfers/t-1');
    assert.equal(await counted('delivered', 'payerfsp'), before + 1);
  });

  it('retries a network error', async () => {
    const transport = scripted([{ kind: 'network', error: 'ECONNRESET' }, status(200)]);
    const outcome = await core(transport).deliver(put('payerfsp'));
    assert.deepEqual(outcome, { kind: 'delivered', status: 200, attempts: 2 });
  });

  it('does not retry a 4xx', async () => {
    const transport = scripted([status(400), status(200)]);
    const outcome = await core(transport).deliver(put('payerfsp'));
    assert.deepEqual(outcome, { kind: 'refused', status: 400, attempts: 1 });
    assert.equal(transport.requests.length, 1);
  });

  it('drops a callback to the hub without sending anything', async () => {
    const transport = scripted([status(200)]);
    assert.deepEqual(await core(transport).deliver(put('Hub')), { kind: 'to_hub' });
    assert.equal(transport.requests.length, 0);
  });

  it('counts a missing participant and a missing endpoint without sending anything', async () => {
    const transport = scripted([status(200)]);
    const notifier = core(transport);
    const before = await counted('no_endpoint', 'payerfsp');
    assert.deepEqual(await notifier.deliver(put('ghostfsp')), { kind: 'no_participant' });
    const post: Callback = {
      ...put('payerfsp'),
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
    };
    assert.deepEqual(await notifier.deliver(post), { kind: 'no_endpoint' });
    assert.equal(transport.requests.length, 0);
    assert.equal(await counted('no_endpoint', 'payerfsp'), before + 1);
  });

  it('reports a body that cannot be rendered instead of throwing', async () => {
    const transport = scripted([status(200)]);
    const outcome = await core(transport).deliver({ ...put('payerfsp'), body: { amount: 5n } });
    assert.equal(outcome.kind, 'invalid_body');
    assert.equal(transport.requests.length, 0);
  });

  it('sends the hub-originated request it rendered', async () => {
    const transport = scripted([status(200)]);
    await core(transport).deliver(put('payerfsp'));
    assert.deepEqual(transport.requests[0], {
      method: 'PUT',
      url: 'http://payerfsp.test/transfers/t-1',
      headers: {
        'content-type': 'application/vnd.interoperability.transfers+json;version=1.0',
        date: 'Thu, 01 Jan 2026 00:00:00 GMT',
        'fspiop-source': 'Hub',
        'fspiop-destination': 'payerfsp',
        'fspiop-uri': '/transfers/t-1',
        'fspiop-http-method': 'PUT',
        'content-length': '29',
      },
      body: '{"transferState":"COMMITTED"}',
    });
  });

  it('ends a pending retry as interrupted when stopped', async () => {
    const transport = scripted([status(503)]);
    const notifier = new NotifierCore({
      directory: directoryOf([dfsp('payerfsp')]),
      hub: { hubName: 'Hub' },
      transport,
      retry: { horizonMs: 600_000, backoffBaseMs: 60_000, backoffMaxMs: 60_000 },
      log: SILENT,
    });
    const outcomes: DeliveryOutcome[] = [];
    assert.equal(
      notifier.submit(put('payerfsp'), (o) => outcomes.push(o)),
      true,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await notifier.stop();
    assert.ok(Date.now() - started < 1_000);
    assert.deepEqual(outcomes, [{ kind: 'interrupted', attempts: 1 }]);
  });
});
