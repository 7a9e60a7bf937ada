// Envelopes survive the codec and are recognised only when well-formed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBytes, encodeBytes } from '../../runtime/codec.ts';
import { type Envelope, isEnvelope } from '../../runtime/envelope.ts';

describe('envelope', () => {
  it('round-trips through the codec with a bigint in the command', () => {
    const envelope: Envelope = {
      type: 'participant',
      key: 'payerfsp',
      nowMs: 1_700_000_000_000,
      command: { kind: 'ReserveFunds', amountMinor: 1000000n },
      replyTo: '_INBOX.abc',
    };
    const decoded = decodeBytes(encodeBytes(envelope));
    assert.equal(isEnvelope(decoded), true);
    assert.deepEqual(decoded, envelope);
  });

  it('rejects values that are not envelopes', () => {
    assert.equal(isEnvelope(null), false);
    assert.equal(isEnvelope({ type: 't', key: 'k', nowMs: '1', command: {} }), false);
    assert.equal(isEnvelope({ type: 't', key: 'k', nowMs: 1 }), false);
    assert.equal(isEnvelope({ type: 't', key: 'k', nowMs: 1, command: 0, replyTo: 3 }), false);
  });
});
