import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ActorRef } from '../../actors/actor.ts';
import type { Callback } from '../../actors/callback.ts';
import type { ForwardFailed } from '../../actors/contracts/forward-failure.ts';
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
const VERSION_REFUSAL = JSON.stringify({
  errorInformation: { errorCode: '3001', errorDescription: 'Unacceptable version requested' },
});

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
  const reports: Array<{ to: ActorRef; command: unknown; messageId: string | undefined }> = [];
  let busFailedOnce = false;

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
        if (body.includes('unacceptable')) {
          res.writeHead(406, { 'content-type': 'application/json' }).end(VERSION_REFUSAL);
          return;
        }
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
      bus: {
        send: async (to, command, options) => {
          // The bus is down for the first report of `handed-back`: its callback is nak'ed.
          if (to.key === 'handed-back' && !busFailedOnce) {
            busFailedOnce = true;
            throw new Error('bus down');
          }
          reports.push({ to, command, messageId: options?.messageId });
        },
        request: () => Promise.reject(new Error('the notifier only sends')),
      },
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

  it("reports a refused relayed prepare with the payee's error to its transfer, then acks it", async () => {
    received.length = 0;
    await publish({
      to: 'payeefsp',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
      params: { transferId: 'unacceptable' },
      method: 'POST',
      path: '/transfers',
      resource: 'transfers',
      relay: { headers: { 'fspiop-source': 'payerfsp' }, body: '{"transferId":"unacceptable"}' },
      onFailure: { actor: { type: 'transfer', key: 'unacceptable' }, sender: 'payerfsp' },
      id: 'unacceptable/prepare',
    });
    await until(() => reports.length === 1);
    assert.deepEqual(reports, [
      {
        to: { type: 'transfer', key: 'unacceptable' },
        messageId: 'forward-failed/unacceptable/prepare',
        command: {
          kind: 'ForwardFailed',
          sender: 'payerfsp',
          receiver: 'payeefsp',
          callbackId: 'unacceptable/prepare',
          params: { transferId: 'unacceptable' },
          endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
          failure: {
            kind: 'refused',
            status: 406,
            error: JSON.parse(VERSION_REFUSAL).errorInformation,
          },
          possiblyDelivered: false,
        },
      },
    ]);
    await until(async () => (await pendingAcks()).ackPending === 0);
  });

  it('reports a refusal of a redelivered prepare as possibly delivered', async () => {
    // Its first delivery got the 406 but could not report it; the message came back, and the
    // payee may have taken that earlier attempt for all this notifier knows.
    reports.length = 0;
    await publish({
      to: 'payeefsp',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
      params: { transferId: 'handed-back' },
      method: 'POST',
      path: '/transfers',
      resource: 'transfers',
      relay: { headers: { 'fspiop-source': 'payerfsp' }, body: '{"unacceptable":"handed-back"}' },
      onFailure: { actor: { type: 'transfer', key: 'handed-back' }, sender: 'payerfsp' },
      id: 'handed-back/prepare',
    });
    await until(() => reports.length === 1);
    const [report] = reports as Array<{ command: ForwardFailed }>;
    assert.equal(busFailedOnce, true);
    assert.deepEqual(
      [report?.command.failure.kind, report?.command.possiblyDelivered],
      ['refused', true],
    );
    await until(async () => (await pendingAcks()).ackPending === 0);
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
