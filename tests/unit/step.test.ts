// The pure step of the partition loop (runtime/step.ts) over the test counter and tally actors:
// staleness judged per delivery, copies of applied commands skipped, a throwing command parked
// with its requester told, a broken money invariant halting, and what the one write holds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { participantActor } from '../../actors/participant/index.ts';
import { newParticipant } from '../../actors/participant/state.ts';
import { type Cached, WRITTEN_AT_HEADER } from '../../runtime/batch.ts';
import { decodeJson, encodeBytes } from '../../runtime/codec.ts';
import { partitionOf } from '../../runtime/partition.ts';
import type { Delivery } from '../../runtime/ports.ts';
import { actorId } from '../../runtime/snapshot-store.ts';
import { decodeBatch, type StepContext, type StepInput, step } from '../../runtime/step.ts';
import { TEST_ACTORS, TEST_HUB } from '../fixtures/counter-actor.ts';

const PARTITIONS = 4;
const KEY = 'k1';
const PARTITION = partitionOf('counter', KEY, PARTITIONS);

function context(overrides: Partial<StepContext> = {}): StepContext {
  return {
    partition: PARTITION,
    partitions: PARTITIONS,
    actors: new Map(TEST_ACTORS.map((a) => [a.type, a])),
    hub: TEST_HUB,
    haltingTypes: new Set(),
    appliedKeepSeqs: 1000,
    firstCopyWithinMs: 60_000,
    ...overrides,
  };
}

function delivery(seq: number, command: unknown, extra: Partial<Delivery> = {}): Delivery {
  const env = { type: 'counter', key: KEY, nowMs: 1, command, ...(extra as object) };
  return {
    seq,
    subject: `cmd.counter.${PARTITION}.${KEY}`,
    data: encodeBytes(env),
    msgId: undefined,
    traceparent: undefined,
    pending: 0,
    ...extra,
  };
}

function input(overrides: Partial<StepInput> = {}): StepInput {
  return {
    nowMs: 1,
    fence: 7,
    checkpoint: 4,
    publishedThroughSeq: 3,
    states: new Map(),
    applied: new Set(),
    dropped: new Set(),
    ...overrides,
  };
}

const add = (id: number) => ({ kind: 'add', id });
const seenIn = (stateJson: string) => decodeJson<{ seen: number[] }>(stateJson).seen;

describe('the step', () => {
  it('judges staleness per delivery: a redelivered [5,6,1,2] applies 5 and 6', () => {
    const ctx = context();
    const deliveries = [
      delivery(5, add(5)),
      delivery(6, add(6)),
      delivery(1, add(1)),
      delivery(2, add(2)),
    ];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input());
    assert.equal(out.write?.fromSeq, 4);
    assert.equal(out.write?.lastSeq, 6);
    assert.equal(out.ackThroughSeq, 6);
    assert.deepEqual(
      out.write?.snapshots.map((s) => [s.key, s.baseVersion, s.version]),
      [[KEY, 0, 2]],
    );
    assert.deepEqual(seenIn(out.write!.snapshots[0]!.stateJson), [5, 6]);
    assert.equal(out.appliedCount, 2);
  });

  it('starts from the pinned state and writes nothing for a batch wholly at or below it', () => {
    const ctx = context();
    const pinned: Cached = { state: { seen: [1, 2], expired: 0 }, version: 2, dirJson: undefined };
    const states = new Map([[actorId('counter', KEY), pinned]]);
    const out = step(ctx, decodeBatch(ctx, 4, [delivery(7, add(7))]), input({ states }));
    assert.deepEqual(seenIn(out.write!.snapshots[0]!.stateJson), [1, 2, 7]);
    assert.equal(out.write!.snapshots[0]!.baseVersion, 2);
    const stale = step(ctx, decodeBatch(ctx, 4, [delivery(3, add(3))]), input({ states }));
    assert.equal(stale.write, undefined);
    assert.equal(stale.ackThroughSeq, 3);
  });

  it('skips copies applied before or earlier in the batch, and records the rest', () => {
    const ctx = context();
    const deliveries = [
      delivery(10, add(10), { msgId: '3-1' }),
      delivery(11, add(11), { msgId: '4-1' }),
      delivery(12, add(12)),
      delivery(13, add(13), { msgId: '4-1' }),
      delivery(14, add(14), { msgId: 'timer-counter-k1-5' }),
    ];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input({ applied: new Set(['3-1']) }));
    assert.deepEqual(seenIn(out.write!.snapshots[0]!.stateJson), [11, 12, 14]);
    assert.deepEqual(out.write?.applied, [{ msgId: '4-1', seq: 11 }]);
    assert.equal(out.skipped, 2);
    assert.equal(out.write?.lastSeq, 14);
  });

  it('parks a copy published before the applied-commands horizon instead of applying it', () => {
    const ctx = context({ appliedKeepSeqs: 100 });
    const deliveries = [
      delivery(500, add(1), { msgId: '350-0' }),
      delivery(501, add(2), { msgId: '450-0' }),
    ];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input());
    assert.deepEqual(seenIn(out.write!.snapshots[0]!.stateJson), [2]);
    assert.deepEqual(
      out.parked.map((p) => [p.seq, p.status, p.reason]),
      [[500, 'parked', 'late copy: published before the applied-commands horizon']],
    );
  });

  it('applies a first copy that lags its source by more than the horizon', () => {
    // Sim seed 361: every worker paused, the stream moved on; the source partition then applied
    // command 350 and published its send within seconds. The copy is the only stored one.
    const ctx = context({ appliedKeepSeqs: 100 });
    const stamp = { storedAtMs: 90_000, writtenAtMs: 40_000 };
    const deliveries = [delivery(500, add(1), { msgId: '350-0', ...stamp })];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input());
    assert.deepEqual(seenIn(out.write!.snapshots[0]!.stateJson), [1]);
    assert.deepEqual(out.parked, []);
    assert.deepEqual(out.write?.applied, [{ msgId: '350-0', seq: 500 }]);
  });

  it('parks a copy stored long after its write that lags its source by the horizon', () => {
    // A re-publish from the outbox minutes later: an earlier copy's record may be pruned.
    const ctx = context({ appliedKeepSeqs: 100 });
    const deliveries = [
      delivery(500, add(1), { msgId: '350-0', storedAtMs: 100_001, writtenAtMs: 40_000 }),
      delivery(501, add(2), { msgId: '450-0', storedAtMs: 100_001, writtenAtMs: 40_000 }),
    ];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input());
    assert.deepEqual(seenIn(out.write!.snapshots[0]!.stateJson), [2]);
    assert.deepEqual(
      out.parked.map((p) => [p.seq, p.reason]),
      [[500, 'late copy: published before the applied-commands horizon']],
    );
  });

  it('skips an applied copy however soon after its write it was stored', () => {
    const ctx = context({ appliedKeepSeqs: 100 });
    const stamp = { storedAtMs: 41_000, writtenAtMs: 40_000 };
    const deliveries = [delivery(500, add(1), { msgId: '350-0', ...stamp })];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input({ applied: new Set(['350-0']) }));
    assert.equal(out.appliedCount, 0);
    assert.equal(out.skipped, 1);
  });

  it('stamps the commands it sends with the time of its write, and nothing else', () => {
    const ctx = context();
    const out = step(ctx, decodeBatch(ctx, 4, [delivery(5, add(5))]), input({ nowMs: 1234 }));
    const sent = out.publish.filter((row) => row.subject.startsWith('cmd.'));
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.headers?.[WRITTEN_AT_HEADER], '1234');
    for (const row of out.publish.filter((r) => !r.subject.startsWith('cmd.'))) {
      assert.equal(row.headers?.[WRITTEN_AT_HEADER], undefined);
    }
  });

  it('parks a command whose actor throws, tells its requester, and goes on in order', () => {
    const ctx = context();
    const deliveries = [
      delivery(5, add(5)),
      delivery(6, { kind: 'boom' }, { replyTo: '_INBOX.x' } as never),
      delivery(7, add(7), { replyTo: '_INBOX.y' } as never),
    ];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input());
    assert.deepEqual(seenIn(out.write!.snapshots[0]!.stateJson), [5, 7]);
    assert.deepEqual(
      out.parked.map((p) => [p.seq, p.status, p.actor, p.reason]),
      [[6, 'parked', 'counter/k1', 'counter threw: InvariantError: boom']],
    );
    assert.deepEqual(out.replies, [
      {
        subject: '_INBOX.x',
        payload: '{"mkondoCommandFailed":{"reason":"counter threw: InvariantError: boom"}}',
      },
      { subject: '_INBOX.y', payload: '{"count":2}' },
    ]);
    assert.equal(out.write?.lastSeq, 7);
    assert.deepEqual(out.write?.poison, out.parked);
  });

  it('halts on a broken invariant of a halting type: writes and acks only what came before', () => {
    const ctx = context({ haltingTypes: new Set(['counter']) });
    const deliveries = [delivery(5, add(5)), delivery(6, { kind: 'boom' }), delivery(7, add(7))];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input());
    assert.equal(out.halt?.seq, 6);
    assert.equal(out.halt?.row.status, 'halted');
    assert.equal(out.write?.lastSeq, 5);
    assert.equal(out.ackThroughSeq, 5);
    assert.deepEqual(seenIn(out.write!.snapshots[0]!.stateJson), [5]);
    const first = step(ctx, decodeBatch(ctx, 4, deliveries.slice(1)), input());
    assert.equal(first.write, undefined);
    assert.equal(first.ackThroughSeq, 0);
  });

  it('parks what an operator dropped, and what does not decode or belongs elsewhere', () => {
    const ctx = context({ haltingTypes: new Set(['counter']) });
    const other = { type: 'counter', key: 'elsewhere-0', nowMs: 1, command: add(1) };
    assert.notEqual(partitionOf('counter', 'elsewhere-0', PARTITIONS), PARTITION);
    const deliveries = [
      delivery(5, { kind: 'boom' }),
      { ...delivery(6, add(6)), data: new TextEncoder().encode('{"no":\u0000') },
      { ...delivery(7, add(7)), data: encodeBytes(other) },
    ];
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input({ dropped: new Set([5]) }));
    assert.deepEqual(
      out.parked.map((p) => [p.seq, p.status, p.reason]),
      [
        [5, 'dropped', 'dropped by an operator'],
        [6, 'parked', 'undecodable'],
        [7, 'parked', 'key does not belong to this partition'],
      ],
    );
    assert.equal(out.parked[1]!.payload, '{"no":\\u0000');
    assert.equal(out.write?.lastSeq, 7);
  });
});

describe('the step with the participant actor', () => {
  it('halts when a payee without a position account is credited, writing nothing', () => {
    const ctx: StepContext = {
      ...context(),
      partition: partitionOf('participant', 'payeefsp', PARTITIONS),
      actors: new Map([[participantActor.type, participantActor]]),
      haltingTypes: new Set(['participant', 'transfer']),
    };
    const payee = newParticipant({
      name: 'payeefsp',
      participantId: 7,
      isProxy: false,
      createdAtMs: 0,
    });
    const credit = { kind: 'CreditPosition', transferId: 't1', currency: 'USD', amountMinor: 100n };
    const env = { type: 'participant', key: 'payeefsp', nowMs: 5, command: credit };
    const deliveries = [{ ...delivery(5, credit), data: encodeBytes(env) }];
    const states = new Map([
      [actorId('participant', 'payeefsp'), { state: payee, version: 3, dirJson: undefined }],
    ]);
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input({ states }));
    assert.equal(out.write, undefined);
    assert.equal(out.ackThroughSeq, 0);
    assert.deepEqual(
      [out.halt?.seq, out.halt?.row.actor, out.halt?.row.reason],
      [
        5,
        'participant/payeefsp',
        'participant threw: InvariantError: payee payeefsp has no USD position account',
      ],
    );
  });

  it('halts on a command kind it does not know, even one carrying a bigint', () => {
    // A newer worker's command during a rolling deploy: an unknown kind must halt, not park.
    const ctx: StepContext = {
      ...context(),
      partition: partitionOf('participant', 'payeefsp', PARTITIONS),
      actors: new Map([[participantActor.type, participantActor]]),
      haltingTypes: new Set(['participant', 'transfer']),
    };
    const payee = newParticipant({
      name: 'payeefsp',
      participantId: 7,
      isProxy: false,
      createdAtMs: 0,
    });
    const command = { kind: 'CreditPositionV2', transferId: 't1', amountMinor: 100n };
    const env = { type: 'participant', key: 'payeefsp', nowMs: 5, command };
    const deliveries = [{ ...delivery(5, command), data: encodeBytes(env) }];
    const states = new Map([
      [actorId('participant', 'payeefsp'), { state: payee, version: 3, dirJson: undefined }],
    ]);
    const out = step(ctx, decodeBatch(ctx, 4, deliveries), input({ states }));
    assert.equal(out.write, undefined);
    assert.deepEqual(
      [out.halt?.seq, out.halt?.row.actor, out.halt?.row.reason],
      [
        5,
        'participant/payeefsp',
        'participant threw: InvariantError: unexpected variant: kind CreditPositionV2',
      ],
    );
  });
});
