// The codec keeps bigint money exact through JSON, bytes and back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBytes, decodeJson, encodeBytes, encodeJson } from '../../runtime/codec.ts';

describe('codec', () => {
  it('round-trips bigints beyond 2^53 exactly', () => {
    const value = { amountMinor: 123456789012345678901234n, list: [1n, -5n], name: 'x' };
    assert.equal(
      encodeJson(value),
      '{"amountMinor":{"$bigint":"123456789012345678901234"},"list":[{"$bigint":"1"},' +
        '{"$bigint":"-5"}],"name":"x"}',
    );
    assert.deepEqual(decodeJson(encodeJson(value)), value);
    assert.deepEqual(decodeBytes(encodeBytes(value)), value);
  });

  it('leaves an object with other keys beside $bigint alone', () => {
    assert.deepEqual(decodeJson('{"$bigint":"1","x":2}'), { $bigint: '1', x: 2 });
  });
});
