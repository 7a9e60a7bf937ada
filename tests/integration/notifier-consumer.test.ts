// The notifier's consumer over a real nats-server: a DFSP that stalls fills only its own lane
// while others keep flowing, and a consumer created afresh starts one retry horizon back
// instead of replaying all of OUT (issue 9, finding 10); a notifier under NATS_NAMESPACE consumes
// its namespace's OUT.

import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Directory } from '../../runtime/bus.ts';
import { encodeJson } from '../../runtime/codec.ts';
import { configureNamespace } from '../../runtime/names.ts';
import { NOTIFIER_CONSUMER, type Notifier, startNotifier } from '../../runtime/notifier/index.ts';
import { callbackSubject } from '../../runtime/partition.ts';
import { ensureStreams, OUT_STREAM } from '../../runtime/streams.ts';
import { type NatsServer, startNats } from '../helpers/services.ts';
import { waitUntil } from '../helpers/transfer-world.ts';
import { put } from '../unit/notifier-fixtures.ts';

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };
const until = (probe: () => boolean | Promise<boolean>) => waitUntil('the notifier', probe);

/** A DFSP server that records each request's path and answers through `answer`. */
function recordingServer(paths: string[], answer: (res: ServerResponse) => void): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      paths.push(req.url ?? '');
      answer(res);
    });
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Participants by name with a transfers PUT endpoint under their root URL. */
function directoryOf(roots: ReadonlyMap<string, string>): Directory {
  return {
    lookup: <T>(_type: string, key: string) => {
      const root = roots.get(key);
      if (root === undefined) return undefined;
      const endpoints = { FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${root}/transfers/{{transferId}}` };
      return { name: key, isActive: true, currencies: {}, endpoints } as T;
    },
    entries: () => [],
  };
}

describe('notifier with a stalled DFSP', () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  let slow: Server;
  let fast: Server;
  let notifier: Notifier;
  const held: Array<() => void> = [];
  const slowHits: string[] = [];
  const fastHits: string[] = [];

  before(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await ensureStreams(await jetstreamManager(nc), { storage: 'memory' });
    slow = recordingServer(slowHits, (res) => held.push(() => res.writeHead(200).end()));
    fast = recordingServer(fastHits, (res) => res.writeHead(200).end());
    const directory = directoryOf(
      new Map([
        ['slowfsp', await listen(slow)],
        ['fastfsp', await listen(fast)],
      ]),
    );
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
  let directory: Directory;
  let notifier: Notifier | undefined;
  const paths: string[] = [];

  before(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await ensureStreams(await jetstreamManager(nc), { storage: 'memory' });
    dfsp = recordingServer(paths, (res) => res.writeHead(200).end());
    directory = directoryOf(new Map([['payerfsp', await listen(dfsp)]]));
  });

  after(async () => {
    await notifier?.stop();
    await nc?.close();
    await nats?.stop();
    await new Promise((resolve) => dfsp?.close(resolve));
  });

  it('starts one retry horizon back instead of replaying all of OUT', async () => {
    const js = jetstream(nc);
    // Older than the horizon when the consumer is created: no longer owed.
    await js.publish(callbackSubject('payerfsp'), encodeJson(put('payerfsp', 'old')));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await js.publish(callbackSubject('payerfsp'), encodeJson(put('payerfsp', 'new')));
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

  it('restarts on the existing consumer from its own position', async () => {
    await notifier?.stop();
    await jetstream(nc).publish(callbackSubject('payerfsp'), encodeJson(put('payerfsp', 'later')));
    notifier = await startNotifier({
      nc,
      directory,
      hub: { hubName: 'Hub' },
      retryHorizonMs: 60_000,
      log: SILENT,
    });
    await until(() => paths.includes('/transfers/later'));
    assert.deepEqual(paths, ['/transfers/new', '/transfers/later']);
  });

  it('starts and delivers under a namespace', async () => {
    await notifier?.stop();
    notifier = undefined;
    configureNamespace('sw2');
    try {
      await ensureStreams(await jetstreamManager(nc), { storage: 'memory' });
      notifier = await startNotifier({ nc, directory, hub: { hubName: 'Hub' }, log: SILENT });
      await jetstream(nc).publish(callbackSubject('payerfsp'), encodeJson(put('payerfsp', 'ns')));
      await until(() => paths.includes('/transfers/ns'));
      const info = await (await jetstreamManager(nc)).consumers.info('sw2_OUT', NOTIFIER_CONSUMER);
      assert.equal(info.config.filter_subject, 'sw2.out.>');
      assert.deepEqual(paths, ['/transfers/new', '/transfers/later', '/transfers/ns']);
    } finally {
      await notifier?.stop();
      notifier = undefined;
      configureNamespace('');
    }
  });
});
