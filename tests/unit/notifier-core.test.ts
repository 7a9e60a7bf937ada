import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActorRef } from '../../actors/actor.ts';
import type { Callback } from '../../actors/callback.ts';
import type { ForwardFailed } from '../../actors/contracts/forward-failure.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import type { Directory } from '../../runtime/bus.ts';
import { type DeliveryOutcome, NotifierCore } from '../../runtime/notifier/core.ts';
import { notifierMetrics } from '../../runtime/notifier/metrics.ts';
import {
  type AttemptResult,
  backoffMs,
  DEFAULT_RETRY_POLICY,
  judgeAttempt,
} from '../../runtime/notifier/retry.ts';
import type { HttpRequest, Transport } from '../../runtime/notifier/transport.ts';

const SILENT = { debug() {}, warn() {}, error() {} };

function directoryOf(entries: ParticipantDirectoryEntry[]): Directory {
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    lookup: <T>(type: string, key: string) =>
      (type === 'participant' ? byName.get(key) : undefined) as T | undefined,
    entries: () => [],
  };
}

function dfsp(name: string): ParticipantDirectoryEntry {
  return {
    name,
    isActive: true,
    currencies: {},
    endpoints: { FSPIOP_CALLBACK_URL_TRANSFER_PUT: `http://${name}.test/transfers/{{transferId}}` },
  };
}

/** Answers with the scripted results in order, then with the last one. */
function scripted(results: AttemptResult[]): Transport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async send(request) {
      requests.push(request);
      return results[Math.min(requests.length, results.length) - 1]!;
    },
    async close() {},
  };
}

function put(to: string, transferId = 't-1'): Callback {
  return {
    to,
    endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
    params: { transferId },
    method: 'PUT',
    path: `/transfers/${transferId}`,
    resource: 'transfers',
    body: { transferState: 'COMMITTED' },
    id: `cb-${transferId}`,
  };
}

const T0 = Date.UTC(2026, 0, 1);

function core(transport: Transport, horizonMs = 60_000, names = ['payerfsp', 'Hub']): NotifierCore {
  return new NotifierCore({
    directory: directoryOf(names.map(dfsp)),
    hub: { hubName: 'Hub' },
    transport,
    retry: { horizonMs, backoffBaseMs: 1, backoffMaxMs: 4 },
    log: SILENT,
    clock: () => T0,
    random: () => 0.5,
  });
}

/**
 * A DFSP whose every attempt takes `attemptMs` of a simulated clock and answers with `results`
 * in order (then the last one), so that minutes of outage run in milliseconds.
 */
function outage(results: AttemptResult[], attemptMs: number) {
  let nowMs = T0;
  const transport = scripted(results);
  const send = transport.send.bind(transport);
  transport.send = async (request) => {
    nowMs += attemptMs;
    return send(request);
  };
  const reports: Array<{ to: ActorRef; command: ForwardFailed }> = [];
  const notifier = new NotifierCore({
    directory: directoryOf([dfsp('payerfsp')]),
    hub: { hubName: 'Hub' },
    transport,
    retry: { horizonMs: 10 * 60_000, backoffBaseMs: 1, backoffMaxMs: 4 },
    log: SILENT,
    clock: () => nowMs,
    random: () => 0.5,
    reportFailure: async (to, command) => {
      reports.push({ to, command });
    },
  });
  return { notifier, transport, reports };
}

const status = (code: number): AttemptResult => ({ kind: 'status', status: code });

async function counted(outcome: string, dfspName: string): Promise<number> {
  const values = (await notifierMetrics.callbacks.get()).values;
  const found = values.find(
    (v) => v.labels['outcome'] === outcome && v.labels['dfsp'] === dfspName,
  );
  return found?.value ?? 0;
}

describe('retry policy', () => {
  it('delivers on 2xx, retries network errors and 5xx, and refuses 3xx, 4xx and 501', () => {
    assert.equal(judgeAttempt(status(200)), 'delivered');
    assert.equal(judgeAttempt(status(202)), 'delivered');
    assert.equal(judgeAttempt({ kind: 'network', error: 'ECONNREFUSED' }), 'retry');
    assert.equal(judgeAttempt(status(500)), 'retry');
    assert.equal(judgeAttempt(status(503)), 'retry');
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
    const outcome = await notifier.deliver(put('payerfsp'), T0 - 60_000);
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
        },
      },
    ]);
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
