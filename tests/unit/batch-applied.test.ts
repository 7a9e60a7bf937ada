// withoutApplied (runtime/batch.ts): which decoded commands a batch applies when some are copies
// of outbox rows the partition applied before, or appear twice in the same batch.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { AnyActor } from '../../actors/actor.ts';
import { type Decoded, outboxMsgId, withoutApplied } from '../../runtime/batch.ts';

function decoded(seq: number, msgId?: string): Decoded {
  const headers = natsHeaders();
  if (msgId !== undefined) headers.set('Nats-Msg-Id', msgId);
  const msg = { seq, headers } as unknown as JsMsg;
  const env = { type: 'tally', key: 'all', nowMs: 0, command: { kind: 'count' } };
  return { seq, msg, env, def: {} as AnyActor, id: `tally\u0000all`, msgId: outboxMsgId(msg) };
}

describe('withoutApplied', () => {
  it('skips copies applied before or earlier in the batch, and records the rest', () => {
    const items = [
      decoded(10, '3-1'),
      decoded(11, '4-1'),
      decoded(12),
      decoded(13, '4-1'),
      decoded(14, 'timer-transfer-x-5'),
    ];
    const result = withoutApplied(items, new Set(['3-1']));
    assert.deepEqual(
      result.items.map((i) => i.seq),
      [11, 12, 14],
    );
    assert.deepEqual(result.applied, [{ msgId: '4-1', seq: 11 }]);
    assert.equal(result.skipped, 2);
  });

  it('treats only outbox ids (<source seq>-<index>) as re-publishable', () => {
    assert.equal(outboxMsgId(decoded(1, '12-0').msg), '12-0');
    assert.equal(outboxMsgId(decoded(1, 'timer-transfer-x-5').msg), undefined);
    assert.equal(outboxMsgId(decoded(1).msg), undefined);
  });
});
