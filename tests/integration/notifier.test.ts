import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Callback } from '../../actors/callback.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import type { Directory } from '../../runtime/bus.ts';
import { encodeJson } from '../../runtime/codec.ts';
import { NOTIFIER_CONSUMER, type Notifier, startNotifier } from '../../runtime/notifier/index.ts';
import { callbackSubject } from '../../runtime/partition.ts';
import { ensureStreams, OUT_STREAM } from '../../runtime/streams.ts';
import { freePort, type NatsServer, startNats } from '../helpers/services.ts';

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };
const TRANSFER_ID = '01JBVM14S6SC453EY9XB9GXQB5';

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('notifier over a real nats-server', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let dfsp: Server;
  let notifier: Notifier;
  const received: Received[] = [];
  const entries = new Map<string, ParticipantDirectoryEntry>();

  before(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await ensureStreams(await jetstreamManager(nc), { storage: 'memory' });
    dfsp = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(req.url?.includes('refuse') ? 400 : 200).end();
      });
    });
    await new Promise<void>((resolve) => dfsp.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(dfsp.address() as AddressInfo).port}`;
    const deadBase = `http://127.0.0.1:${await freePort()}`;
    const endpoints = (root: string) => ({
      FSPIOP_CALLBACK_URL_TRANSFER_POST: `${root}/transfers`,
      FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${root}/transfers/{{transferId}}`,
      FSPIOP_CALLBACK_URL_TRANSFER_ERROR: `${root}/transfers/{{transferId}}/error`,
      FSPIOP_CALLBACK_URL_QUOTES: root,
    });
    for (const [name, root] of [
      ['payerfsp', base],
      ['payeefsp', base],
      ['deadfsp', deadBase],
    ] as const) {
      entries.set(name, { name, isActive: true, currencies: {}, endpoints: endpoints(root) });
    }
    const directory: Directory = {
      lookup: <T>(_type: string, key: string) => entries.get(key) as T | undefined,
      entries: () => [],
    };
    notifier = await startNotifier({
      nc,
      directory,
      hub: { hubName: 'Hub' },
      retryHorizonMs: 500,
      http: { connectTimeoutMs: 500, requestTimeoutMs: 2_000 },
      log: SILENT,
    });
  });

  after(async () => {
    await notifier?.stop();
    await nc?.close();
    await nats?.stop();
    await new Promise((resolve) => dfsp?.close(resolve));
  });

  async function publish(callback: Callback | string): Promise<void> {
    const to = typeof callback === 'string' ? 'payerfsp' : callback.to;
    const payload = typeof callback === 'string' ? callback : encodeJson(callback);
    await jetstream(nc).publish(callbackSubject(to), payload);
  }

  async function pendingAcks(): Promise<{ ackPending: number; pending: number }> {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.consumers.info(OUT_STREAM, NOTIFIER_CONSUMER);
    return { ackPending: info.num_ack_pending, pending: info.num_pending };
  }

  it('relays a POST /transfers to the payee with the payer headers and exact body', async () => {
    const body = `{"transferId":"${TRANSFER_ID}", "amount":{"amount":"10","currency":"XXX"}}`;
    await publish({
      to: 'payeefsp',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
      params: { transferId: TRANSFER_ID },
      method: 'POST',
      path: '/transfers',
      resource: 'transfers',
      relay: {
        headers: {
          'content-type': 'application/vnd.interoperability.transfers+json;version=1.1',
          accept: 'application/vnd.interoperability.transfers+json;version=1',
          date: 'Tue, 19 May 2026 08:12:31 GMT',
          'fspiop-source': 'payerfsp',
          'fspiop-destination': 'payeefsp',
          'fspiop-signature': '{"signature":"s","protectedHeader":"p"}',
          host: 'switch:3000',
        },
        body,
      },
      id: 'cb-post',
    });
    await until(() => received.length === 1);
    const request = received[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/transfers');
    assert.equal(request.body, body);
    // A ULID id in a 1.1 message travels as 1.1: Content-Type and Accept as the payer wrote them.
    assert.equal(
      request.headers['content-type'],
      'application/vnd.interoperability.transfers+json;version=1.1',
    );
    assert.equal(
      request.headers['accept'],
      'application/vnd.interoperability.transfers+json;version=1',
    );
    // ml-api-adapter's createCallbackHeaders names this hop on every forwarded transfer message.
    assert.equal(request.headers['fspiop-uri'], '/transfers');
    assert.equal(request.headers['fspiop-http-method'], 'POST');
    assert.equal(request.headers['date'], 'Tue, 19 May 2026 08:12:31 GMT');
    assert.equal(request.headers['fspiop-source'], 'payerfsp');
    assert.equal(request.headers['fspiop-destination'], 'payeefsp');
    assert.equal(request.headers['fspiop-signature'], '{"signature":"s","protectedHeader":"p"}');
    assert.equal(request.headers['content-length'], String(Buffer.byteLength(body)));
    assert.notEqual(request.headers['host'], 'switch:3000');
  });

  it('delivers a hub-originated PUT error with the §1.6 headers and acks it', async () => {
    received.length = 0;
    await publish({
      to: 'payerfsp',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
      params: { transferId: TRANSFER_ID },
      method: 'PUT',
      path: `/transfers/${TRANSFER_ID}/error`,
      resource: 'transfers',
      body: { errorInformation: { errorCode: '3303', errorDescription: 'Transfer expired' } },
      id: 'cb-error',
    });
    await until(() => received.length === 1);
    const request = received[0]!;
    const body = '{"errorInformation":{"errorCode":"3303","errorDescription":"Transfer expired"}}';
    assert.equal(request.method, 'PUT');
    assert.equal(request.url, `/transfers/${TRANSFER_ID}/error`);
    assert.equal(request.body, body);
    assert.equal(
      request.headers['content-type'],
      'application/vnd.interoperability.transfers+json;version=1.0',
    );
    assert.equal(request.headers['accept'], undefined);
    assert.equal(request.headers['fspiop-source'], 'Hub');
    assert.equal(request.headers['fspiop-destination'], 'payerfsp');
    assert.equal(request.headers['fspiop-uri'], `/transfers/${TRANSFER_ID}/error`);
    assert.equal(request.headers['fspiop-http-method'], 'PUT');
    assert.equal(request.headers['fspiop-signature'], undefined);
    assert.equal(request.headers['content-length'], String(body.length));
    assert.match(
      String(request.headers['date']),
      /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
    );
    await until(async () => (await pendingAcks()).ackPending === 0);
  });

  it('appends the path to a base-URL endpoint (quotes)', async () => {
    received.length = 0;
    await publish({
      to: 'payerfsp',
      endpointType: 'FSPIOP_CALLBACK_URL_QUOTES',
      params: {},
      method: 'PUT',
      path: '/quotes/q-1/error',
      resource: 'quotes',
      version: '1.1',
      body: {
        errorInformation: { errorCode: '3100', errorDescription: 'Generic validation error' },
      },
      id: 'cb-quote',
    });
    await until(() => received.length === 1);
    assert.equal(received[0]?.url, '/quotes/q-1/error');
    assert.equal(
      received[0]?.headers['content-type'],
      'application/vnd.interoperability.quotes+json;version=1.1',
    );
  });

  it('acks the undeliverable (dead DFSP, 4xx, no endpoint, hub, poison) and goes on', async () => {
    received.length = 0;
    const hubPut: Callback = {
      to: 'payerfsp',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
      params: { transferId: 'refuse' },
      method: 'PUT',
      path: '/transfers/refuse',
      resource: 'transfers',
      body: { transferState: 'ABORTED' },
      id: 'cb-refuse',
    };
    await publish({ ...hubPut, to: 'deadfsp', id: 'cb-dead' });
    await publish(hubPut);
    await publish({ ...hubPut, to: 'nobodyfsp', id: 'cb-nobody' });
    await publish({ ...hubPut, to: 'Hub', id: 'cb-hub' });
    await publish('{"not":"a callback"}');
    await publish({ ...hubPut, params: { transferId: 'after' }, id: 'cb-after' });
    await until(() => received.length === 2);
    assert.deepEqual(received.map((r) => r.url).sort(), ['/transfers/after', '/transfers/refuse']);
    await until(async () => {
      const { ackPending, pending } = await pendingAcks();
      return ackPending === 0 && pending === 0;
    });
    assert.deepEqual(notifier.status(), { consuming: true, held: 0, lanes: {} });
  });
});

describe('notifier with a stalled DFSP', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let slow: Server;
  let fast: Server;
  let notifier: Notifier;
  const held: Array<() => void> = [];
  const slowHits: string[] = [];
  const fastHits: string[] = [];

  async function listen(server: Server): Promise<string> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  before(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await ensureStreams(await jetstreamManager(nc), { storage: 'memory' });
    slow = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        slowHits.push(req.url ?? '');
        held.push(() => res.writeHead(200).end());
      });
    });
    fast = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        fastHits.push(req.url ?? '');
        res.writeHead(200).end();
      });
    });
    const roots = new Map([
      ['slowfsp', await listen(slow)],
      ['fastfsp', await listen(fast)],
    ]);
    const directory: Directory = {
      lookup: <T>(_type: string, key: string) => {
        const root = roots.get(key);
        if (root === undefined) return undefined;
        const endpoints = { FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${root}/transfers/{{transferId}}` };
        return { name: key, isActive: true, currencies: {}, endpoints } as T;
      },
      entries: () => [],
    };
    notifier = await startNotifier({
      nc,
      directory,
      hub: { hubName: 'Hub' },
      perDfspInFlightMax: 1,
      perDfspQueueMax: 0,
      deferMs: 50,
      retryHorizonMs: 0,
      log: SILENT,
    });
  });

  after(async () => {
    await notifier?.stop();
    await nc?.close();
    await nats?.stop();
    slow?.closeAllConnections();
    await new Promise((resolve) => slow?.close(resolve));
    await new Promise((resolve) => fast?.close(resolve));
  });

  function put(to: string, transferId: string): Callback {
    return {
      to,
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
      params: { transferId },
      method: 'PUT',
      path: `/transfers/${transferId}`,
      resource: 'transfers',
      body: { transferState: 'COMMITTED' },
      id: transferId,
    };
  }

  it('delivers to others, defers the overflow and delivers each callback once', async () => {
    const js = jetstream(nc);
    for (const id of ['s1', 's2', 's3']) {
      await js.publish(callbackSubject('slowfsp'), encodeJson(put('slowfsp', id)));
    }
    await until(() => slowHits.length === 1);
    for (const id of ['f1', 'f2']) {
      await js.publish(callbackSubject('fastfsp'), encodeJson(put('fastfsp', id)));
    }
    await until(() => fastHits.length === 2);
    assert.deepEqual(fastHits, ['/transfers/f1', '/transfers/f2']);
    assert.deepEqual(slowHits, ['/transfers/s1']);

    const release = setInterval(() => {
      for (const answer of held.splice(0)) answer();
    }, 10);
    await until(async () => {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.consumers.info(OUT_STREAM, NOTIFIER_CONSUMER);
      return slowHits.length === 3 && info.num_ack_pending === 0 && info.num_pending === 0;
    });
    clearInterval(release);
    assert.deepEqual([...slowHits].sort(), ['/transfers/s1', '/transfers/s2', '/transfers/s3']);
    assert.equal(fastHits.length, 2);
  });
});

describe('notifier consumer created afresh', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let dfsp: Server;
  let notifier: Notifier | undefined;
  const paths: string[] = [];

  before(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await ensureStreams(await jetstreamManager(nc), { storage: 'memory' });
    dfsp = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        paths.push(req.url ?? '');
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => dfsp.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    await notifier?.stop();
    await nc?.close();
    await nats?.stop();
    await new Promise((resolve) => dfsp?.close(resolve));
  });

  it('starts one retry horizon back instead of replaying all of OUT', async () => {
    const root = `http://127.0.0.1:${(dfsp.address() as AddressInfo).port}`;
    const entry = {
      name: 'payerfsp',
      isActive: true,
      currencies: {},
      endpoints: { FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${root}/transfers/{{transferId}}` },
    };
    const directory: Directory = {
      lookup: <T>(_type: string, key: string) => (key === 'payerfsp' ? entry : undefined) as T,
      entries: () => [],
    };
    const put = (transferId: string): Callback => ({
      to: 'payerfsp',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
      params: { transferId },
      method: 'PUT',
      path: `/transfers/${transferId}`,
      resource: 'transfers',
      body: { transferState: 'COMMITTED' },
      id: transferId,
    });
    const js = jetstream(nc);
    // Older than the horizon when the consumer is created: no longer owed.
    await js.publish(callbackSubject('payerfsp'), encodeJson(put('old')));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await js.publish(callbackSubject('payerfsp'), encodeJson(put('new')));
    notifier = await startNotifier({
      nc,
      directory,
      hub: { hubName: 'Hub' },
      retryHorizonMs: 2_000,
      log: SILENT,
    });
    await until(() => paths.includes('/transfers/new'));
    const info = await (await jetstreamManager(nc)).consumers.info(OUT_STREAM, NOTIFIER_CONSUMER);
    assert.equal(info.num_pending, 0);
    assert.deepEqual(paths, ['/transfers/new']);
  });
});
