// Partition hashing must be stable forever (every publisher and worker must agree) and spread
// keys evenly; subjects must be valid NATS tokens whatever the key holds.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  callbackSubject,
  commandSubject,
  eventSubject,
  fnv1a32,
  partitionFilter,
  partitionOf,
  subjectToken,
} from '../../runtime/partition.ts';

describe('partition hashing', () => {
  it('is FNV-1a 32 with fixed known values', () => {
    assert.equal(fnv1a32(''), 2166136261);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('participant/payerfsp'), 1880417209);
    assert.equal(fnv1a32('transfer/b51ec534-ee48-4575-b6a9-ead2955b8069'), 103762836);
  });

  it('routes a key to the same partition every time', () => {
    assert.equal(partitionOf('participant', 'payerfsp', 128), 57);
    assert.equal(partitionOf('participant', 'payerfsp', 128), 57);
  });

  it('spreads 64,000 keys over 64 partitions within 10% of the mean', () => {
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) counts[partitionOf('transfer', `tx-${i}`, 64)]!++;
    for (const count of counts) assert.ok(count > 900 && count < 1100, `count ${count}`);
  });
});

describe('subjects', () => {
  it('carries plain keys verbatim and others base64url-encoded behind ~', () => {
    assert.equal(subjectToken('payerfsp'), 'payerfsp');
    assert.equal(subjectToken('a.b'), '~YS5i');
    assert.equal(commandSubject('party', 'MSISDN/123.4', 16), 'cmd.party.3.~TVNJU0ROLzEyMy40');
    assert.equal(eventSubject('transfer', 'x y'), 'evt.transfer.~eCB5');
    assert.equal(callbackSubject('payeefsp'), 'out.payeefsp');
    assert.equal(partitionFilter(5), 'cmd.*.5.>');
  });
});
