// One transfer, one trace (issue 16, "Tracing end to end"): the switch runs with
// OTEL_EXPORTER_OTLP_ENDPOINT pointing at an OTLP/HTTP receiver in this test, the payer sends
// POST /transfers with a W3C traceparent, and the payee continues that trace in its PUT, as a
// DFSP that propagates trace context does. The receiver must get one trace holding the HTTP
// request spans, a span per actor turn (transfer and both participants) and a span per callback
// delivery (the POST to the payee, the PUT to the payer), each a child of a span of the trace.

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Received } from '../helpers/dfsp-sim.ts';
import { fspiop, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { freePort } from '../helpers/services.ts';
import { startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

type ExportedSpan = {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
};

const spans: ExportedSpan[] = [];
let receiver: Server;
let world: World;

/** An OTLP/HTTP JSON trace receiver: keeps every span it is sent. */
async function startReceiver(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      try {
        collect(JSON.parse(body));
      } catch {
        // not JSON: not ours to judge here; the assertions will miss its spans
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: OtlpValue }>;
};

function collect(payload: {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
}) {
  for (const rs of payload.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const attributes: Record<string, unknown> = {};
        for (const a of s.attributes ?? []) {
          attributes[a.key] = a.value.stringValue ?? a.value.intValue ?? a.value.boolValue;
        }
        const { traceId, spanId, name } = s;
        spans.push({ traceId, spanId, parentSpanId: s.parentSpanId ?? '', name, attributes });
      }
    }
  }
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PAYER_SPAN = '00f067aa0ba902b7';
const PAYEE_SPAN = '53995c3f42cd8ad8';
const TRANSFER_ID = '00000000-0000-4000-8000-00000000a001';
const pair = ilpPair();

describe('tracing a transfer end to end', { timeout: 120_000 }, () => {
  before(async () => {
    const port = await freePort();
    receiver = await startReceiver(port);
    world = await startWorld({
      dfsps: ['payerfsp', 'payeefsp'].map((name) => ({
        name,
        netDebitCap: '10000',
        fundsIn: '10000',
      })),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'mkondo-under-test',
      },
    });
  });

  after(async () => {
    await world?.stop();
    receiver?.close();
  });

  it('puts the HTTP requests, every actor turn and every callback in one trace', async () => {
    const prepare = await fspiop(world.switch.fspiopUrl, {
      method: 'POST',
      path: '/transfers',
      source: 'payerfsp',
      destination: 'payeefsp',
      headers: { traceparent: `00-${TRACE_ID}-${PAYER_SPAN}-01` },
      body: prepareBody({
        transferId: TRANSFER_ID,
        payerFsp: 'payerfsp',
        payeeFsp: 'payeefsp',
        amount: '10',
        currency: 'USD',
        condition: pair.condition,
        expiresInMs: 60_000,
      }),
    });
    assert.equal(prepare.status, 202);
    const isPost = (r: Received) => r.method === 'POST' && r.path === '/transfers';
    await world.sims['payeefsp']?.waitFor(isPost, 20_000);
    const fulfil = await fspiop(world.switch.fspiopUrl, {
      method: 'PUT',
      path: `/transfers/${TRANSFER_ID}`,
      source: 'payeefsp',
      destination: 'payerfsp',
      headers: { traceparent: `00-${TRACE_ID}-${PAYEE_SPAN}-01` },
      body: {
        transferState: 'COMMITTED',
        fulfilment: pair.fulfilment,
        completedTimestamp: new Date().toISOString(),
      },
    });
    assert.equal(fulfil.status, 200);
    const isPut = (r: Received) => r.method === 'PUT' && r.path === `/transfers/${TRANSFER_ID}`;
    await world.sims['payerfsp']?.waitFor(isPut, 20_000);

    const trace = () => spans.filter((s) => s.traceId === TRACE_ID);
    const wanted = [
      'fspiop POST',
      'fspiop PUT',
      'actor transfer',
      'actor participant',
      'callback POST transfers',
      'callback PUT transfers',
    ];
    const names = () => new Set(trace().map((s) => s.name));
    const turns = (name: string) => trace().filter((s) => s.name === name).length;
    // Spans reach the receiver in export batches: the participant's commit and credit turns may
    // come after the first one.
    await waitUntil(
      'the spans of the transfer',
      () => wanted.every((n) => names().has(n)) && turns('actor participant') >= 3,
      20_000,
    ).catch(() => undefined);
    assert.deepEqual(
      wanted.filter((n) => !names().has(n)),
      [],
      [...names()].join(', '),
    );

    const ids = new Set([PAYER_SPAN, PAYEE_SPAN, ...trace().map((s) => s.spanId)]);
    const orphans = trace().filter((s) => !ids.has(s.parentSpanId));
    assert.deepEqual(
      orphans.map((s) => s.name),
      [],
    );
    const byName = (name: string) => trace().filter((s) => s.name === name);
    assert.equal(byName('fspiop POST')[0]?.parentSpanId, PAYER_SPAN);
    assert.equal(byName('fspiop PUT')[0]?.parentSpanId, PAYEE_SPAN);
    const participants = byName('actor participant').map((s) => s.attributes['mkondo.stream_seq']);
    assert.ok(participants.length >= 3, `reserve, commit, credit: ${participants.length} turns`);
    const posted = byName('callback POST transfers')[0];
    assert.equal(posted?.attributes['mkondo.dfsp'], 'payeefsp');
    assert.equal(posted?.attributes['mkondo.outcome'], 'delivered');
    const put = byName('callback PUT transfers').map((s) => s.attributes['mkondo.dfsp']);
    assert.ok(put.includes('payerfsp'), `PUT callbacks to ${put.join(', ')}`);
  });
});
