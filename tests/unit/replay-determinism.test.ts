// Actor determinism, the guarantee `mkondo replay` rests on (ops/replay/engine.ts DETERMINISM):
// an actor reads only its state, the envelope (command and stamped nowMs), its key and the hub
// settings. Checked two ways: the source of actors/ reaches for no clock, randomness, timer,
// environment or I/O; and a small switch run through the replay engine (prepare, fulfil, reject,
// expiry, funds in) gives byte-identical states and outputs when the wall clock, Math.random and
// process.env change under it, and when every actor is reloaded from its snapshot encoding
// between commands (a worker restart, a cache eviction, JSONB's key order).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ACTORS } from '../../actors/index.ts';
import { canonicalJson } from '../../ops/replay/canonical.ts';
import { ReplayEngine } from '../../ops/replay/engine.ts';
import { encodeBytes } from '../../runtime/codec.ts';
import type { Envelope } from '../../runtime/envelope.ts';
import { commandSubject } from '../../runtime/partition.ts';
import { FUNDED_PARTICIPANT } from './participant-fixtures.ts';
import { FULFIL_RELAY, FULFILMENT, HUB, prepare } from './transfer-fixtures.ts';

const PARTITIONS = 4;
const NOW = 1_780_000_000_000;
const ACTORS_DIR = new URL('../../actors/', import.meta.url).pathname;

/** What actors/ must not mention: each one is an input replay could not reproduce. */
const FORBIDDEN = [
  /\bDate\.now\b/,
  /\bnew Date\(\s*\)/,
  /\bMath\.random\b/,
  /\bperformance\./,
  /\bprocess\./,
  /\brandomUUID\b|\brandomBytes\b|\bgetRandomValues\b/,
  /\bset(Timeout|Interval|Immediate)\b/,
  /\bfetch\(/,
  /\bglobalThis\b/,
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

type Run = { outputs: string[]; states: string[] };

/** A switch in memory: the engine applies each command; its CMD outputs are fed back in. */
function runSwitch(options: { restartEveryCommand: boolean }): Run {
  const checkpoints = new Map(Array.from({ length: PARTITIONS }, (_, p) => [p, 1e15]));
  const engine = new ReplayEngine(
    {
      partitions: PARTITIONS,
      actors: new Map(ACTORS.map((a) => [a.type, a])),
      hub: HUB,
      haltingTypes: new Set(['participant', 'transfer']),
      appliedKeepSeqs: 1_000_000,
      firstCopyWithinMs: 60_000,
    },
    { checkpoints, parkedSeqs: new Set() },
  );
  const queue: Array<{ subject: string; data: Uint8Array; msgId: string | undefined }> = [];
  const send = (type: string, key: string, command: unknown, nowMs = NOW) => {
    const env: Envelope = { type, key, nowMs, command };
    queue.push({
      subject: commandSubject(type, key, PARTITIONS),
      data: encodeBytes(env),
      msgId: undefined,
    });
  };
  const outputs: string[] = [];
  let seq = 0;
  const drain = () => {
    while (queue.length > 0) {
      const next = queue.shift()!;
      const applied = engine.apply({ ...next, seq: ++seq, traceparent: undefined, pending: 0 });
      assert.equal(applied.kind, 'applied', `command ${seq}`);
      if (applied.kind !== 'applied') return;
      assert.deepEqual(applied.parked, [], `command ${seq} parked`);
      for (const row of applied.outbox) {
        if (row.subject.startsWith('$KV.')) continue;
        outputs.push(`${row.msgId} ${row.subject} ${canonicalJson(JSON.parse(row.payload))}`);
        if (row.subject.startsWith('cmd.')) {
          const data = new TextEncoder().encode(row.payload);
          queue.push({ subject: row.subject, data, msgId: row.msgId });
        }
      }
      if (options.restartEveryCommand) engine.restart();
    }
  };
  for (const [name, id] of [
    ['payerfsp', 5],
    ['payeefsp', 6],
  ] as const) {
    for (const command of FUNDED_PARTICIPANT) {
      const renumbered = { ...command } as Record<string, unknown>;
      if ('participantId' in renumbered) renumbered['participantId'] = id;
      if ('accountId' in renumbered) renumbered['accountId'] = id * 100 + 2;
      send('participant', name, renumbered);
    }
  }
  drain();
  const transfer = (id: string, nowMs: number) =>
    send('transfer', id, prepare({ transferId: id }), nowMs);
  transfer('t-commit', NOW);
  transfer('t-reject', NOW + 1);
  transfer('t-expire', NOW + 2);
  drain();
  send(
    'transfer',
    't-commit',
    {
      kind: 'FulfilTransfer',
      transferId: 't-commit',
      source: 'payeefsp',
      destination: 'payerfsp',
      requestHash: 'fulfil-hash',
      version: '1.1',
      transferState: 'COMMITTED',
      fulfilment: FULFILMENT,
      relay: FULFIL_RELAY,
    },
    NOW + 10,
  );
  send(
    'transfer',
    't-reject',
    {
      kind: 'RejectTransfer',
      transferId: 't-reject',
      source: 'payeefsp',
      requestHash: 'reject-hash',
      errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected' },
      relay: FULFIL_RELAY,
    },
    NOW + 11,
  );
  drain();
  const timer = ACTORS.find((a) => a.type === 'transfer')?.nextTimer;
  const expiring = timer?.(engine.stateOf('transfer', 't-expire'));
  assert.ok(expiring, 'the reserved transfer has an expiry timer');
  send('transfer', 't-expire', expiring.command, expiring.atMs + 5);
  drain();
  const states = engine
    .persisted()
    .map((a) => `${a.type}/${a.key} v${a.version} t${a.timerAtMs} ${canonicalJson(a.state)}`)
    .sort();
  return { outputs, states };
}

function withHostileWorld<T>(work: () => T): T {
  const now = Date.now;
  const random = Math.random;
  const env = { ...process.env };
  Date.now = () => 4_102_444_800_000;
  Math.random = () => 0.999;
  process.env['HUB_NAME'] = 'SomeoneElse';
  process.env['TZ'] = 'Pacific/Kiritimati';
  try {
    return work();
  } finally {
    Date.now = now;
    Math.random = random;
    process.env = env;
  }
}

describe('actor determinism (what replay relies on)', () => {
  it('actors/ reach for no clock, randomness, timer, environment or I/O', () => {
    const found: string[] = [];
    for (const file of sources(ACTORS_DIR)) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of FORBIDDEN) {
        if (pattern.test(text)) found.push(`${file.slice(ACTORS_DIR.length)}: ${pattern}`);
      }
      for (const [, from] of text.matchAll(/from '([^']+)'/g)) {
        const allowed = from!.startsWith('.') || from === 'node:crypto';
        if (!allowed) found.push(`${file.slice(ACTORS_DIR.length)} imports ${from}`);
      }
      if (/from 'node:crypto'/.test(text) && /\b(randomUUID|randomBytes|randomInt)\b/.test(text)) {
        found.push(`${file.slice(ACTORS_DIR.length)}: node:crypto beyond hashing`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('a run commits, rejects, expires and funds, and ends with every reservation released', () => {
    const run = runSwitch({ restartEveryCommand: false });
    const transfers = run.states.filter((s) => s.startsWith('transfer/t-'));
    assert.deepEqual(
      transfers.map((s) => s.match(/"phase":"(\w+)"/)?.[1]),
      ['committed', 'aborted', 'aborted'], // t-commit, t-expire, t-reject
    );
    const payer = run.states.find((s) => s.startsWith('participant/payerfsp'));
    assert.match(payer ?? '', /"reservations":\{\}/);
    assert.ok(
      run.outputs.some((o) => o.includes('out.payeefsp')),
      'the payee hears the prepare',
    );
  });

  it('gives the same states and outputs whatever the clock, Math.random and process.env say', () => {
    const calm = runSwitch({ restartEveryCommand: false });
    const hostile = withHostileWorld(() => runSwitch({ restartEveryCommand: false }));
    assert.deepEqual(hostile.states, calm.states);
    assert.deepEqual(hostile.outputs, calm.outputs);
  });

  it('gives the same states and outputs when every actor is reloaded between commands', () => {
    const cached = runSwitch({ restartEveryCommand: false });
    const reloaded = runSwitch({ restartEveryCommand: true });
    assert.deepEqual(reloaded.states, cached.states);
    assert.deepEqual(reloaded.outputs, cached.outputs);
  });
});
