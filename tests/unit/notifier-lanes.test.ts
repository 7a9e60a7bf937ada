import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Callback } from '../../actors/callback.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import type { Directory } from '../../runtime/bus.ts';
import { type DeliveryOutcome, NotifierCore } from '../../runtime/notifier/core.ts';
import { Lanes } from '../../runtime/notifier/lanes.ts';
import { createHttpTransport } from '../../runtime/notifier/transport.ts';

const SILENT = { debug() {}, warn() {}, error() {} };

type Dfsp = { server: Server; base: string; hits: string[]; held: ServerResponse[] };

async function dfspServer(stall: boolean): Promise<Dfsp> {
  const hits: string[] = [];
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      hits.push(req.url ?? '');
      if (stall) held.push(res);
      else res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}`, hits, held };
}

function entry(name: string, base: string): ParticipantDirectoryEntry {
  return {
    name,
    isActive: true,
    currencies: {},
    endpoints: { FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${base}/transfers/{{transferId}}` },
  };
}

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

async function until(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('per-DFSP lanes over real sockets', () => {
  let slow: Dfsp;
  let fast: Dfsp;
  before(async () => {
    slow = await dfspServer(true);
    fast = await dfspServer(false);
  });
  after(async () => {
    for (const res of slow.held) res.destroy();
    slow.server.closeAllConnections();
    await new Promise((resolve) => slow.server.close(resolve));
    await new Promise((resolve) => fast.server.close(resolve));
  });

  it('delivers to a healthy DFSP while a stalled one holds its whole lane', async () => {
    const directory: Directory = {
      lookup: <T>(_type: string, key: string) =>
        (key === 'slowfsp' ? entry('slowfsp', slow.base) : entry('fastfsp', fast.base)) as T,
      entries: () => [],
    };
    const transport = createHttpTransport({ requestTimeoutMs: 30_000, connectionsPerOrigin: 2 });
    const notifier = new NotifierCore({
      directory,
      hub: { hubName: 'Hub' },
      transport,
      perDfspInFlightMax: 2,
      perDfspQueueMax: 3,
      retry: { horizonMs: 0 },
      log: SILENT,
    });
    const done: Array<[string, DeliveryOutcome]> = [];
    const submit = (c: Callback) => notifier.submit(c, (o) => done.push([c.id, o]));

    const slowAccepted = [1, 2, 3, 4, 5, 6].map((n) => submit(put('slowfsp', `s${n}`)));
    for (const n of [1, 2, 3]) assert.equal(submit(put('fastfsp', `f${n}`)), true);
    // Two running and three waiting fill the slow lane: the sixth is refused, not buffered.
    assert.deepEqual(slowAccepted, [true, true, true, true, true, false]);

    await until(() => done.length === 3);
    assert.deepEqual(
      done.map(([id, o]) => [id, o.kind]),
      [
        ['f1', 'delivered'],
        ['f2', 'delivered'],
        ['f3', 'delivered'],
      ],
    );
    assert.deepEqual(fast.hits.sort(), ['/transfers/f1', '/transfers/f2', '/transfers/f3']);
    await until(() => slow.hits.length === 2);
    assert.deepEqual(notifier.status()['slowfsp'], { inFlight: 2, queued: 3 });

    // Release the stalled DFSP: its queue drains in order, two at a time.
    const release = setInterval(() => {
      for (const res of slow.held.splice(0)) res.writeHead(200).end();
    }, 5);
    await notifier.idle();
    clearInterval(release);
    assert.deepEqual(
      done
        .slice(3)
        .map(([id, o]) => [id, o.kind])
        .sort(),
      ['s1', 's2', 's3', 's4', 's5'].map((id) => [id, 'delivered']),
    );
    assert.deepEqual(slow.hits.slice(2).sort(), [
      '/transfers/s3',
      '/transfers/s4',
      '/transfers/s5',
    ]);
    await notifier.stop();
    await transport.close();
  });
});

describe('Lanes', () => {
  it('runs at most inFlightMax tasks of one key and starts queued ones in order', async () => {
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    let running = 0;
    let peak = 0;
    const lanes = new Lanes<string>({
      inFlightMax: 2,
      queueMax: 10,
      run: (_key, item) => {
        started.push(item);
        running += 1;
        peak = Math.max(peak, running);
        return new Promise<void>((resolve) =>
          gates.set(item, () => {
            running -= 1;
            resolve();
          }),
        );
      },
      onError: () => {},
    });
    for (const item of ['a', 'b', 'c', 'd']) assert.equal(lanes.offer('k', item), true);
    assert.deepEqual(started, ['a', 'b']);
    gates.get('b')?.();
    await until(() => started.length === 3);
    gates.get('a')?.();
    await until(() => started.length === 4);
    assert.deepEqual(started, ['a', 'b', 'c', 'd']);
    gates.get('c')?.();
    gates.get('d')?.();
    await lanes.idle();
    assert.equal(peak, 2);
    assert.deepEqual(lanes.status(), {});
  });

  it('reports a failing task and keeps the lane going', async () => {
    const errors: string[] = [];
    const ran: string[] = [];
    const lanes = new Lanes<string>({
      inFlightMax: 1,
      queueMax: 1,
      run: async (_key, item) => {
        ran.push(item);
        if (item === 'bad') throw new Error('boom');
      },
      onError: (_key, item) => errors.push(item),
    });
    lanes.offer('k', 'bad');
    lanes.offer('k', 'good');
    await lanes.idle();
    assert.deepEqual(ran, ['bad', 'good']);
    assert.deepEqual(errors, ['bad']);
  });
});
