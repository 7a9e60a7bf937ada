// The notifier's consumer over a real nats-server: a DFSP that stalls fills only its own lane
// while others keep flowing, and a consumer created afresh starts one retry horizon back
// instead of replaying all of OUT (issue 9, finding 10).

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Callback } from '../../actors/callback.ts';
import type { Directory } from '../../runtime/bus.ts';
import { encodeJson } from '../../runtime/codec.ts';
import { NOTIFIER_CONSUMER, type Notifier, startNotifier } from '../../runtime/notifier/index.ts';
import { callbackSubject } from '../../runtime/partition.ts';
import { ensureStreams, OUT_STREAM } from '../../runtime/streams.ts';
import { type NatsServer, startNats } from '../helpers/services.ts';
import { waitUntil } from '../helpers/transfer-world.ts';

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };
const until = (probe: () => boolean | Promise<boolean>) => waitUntil('the notifier', probe);

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
