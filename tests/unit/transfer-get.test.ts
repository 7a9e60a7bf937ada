import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordHubTransfer } from '../../actors/transfer/messages.ts';
import { ctx, EXPIRES, ID, NOW, PREPARED, RESERVED, when } from './transfer-fixtures.ts';

const get = (source: string) => ({ kind: 'GetTransfer' as const, transferId: ID, source });
const body = (effects: readonly unknown[]) =>
  (effects[0] as { callback: { to: string; body: unknown } }).callback;

describe('Transfer actor: GET', () => {
  it('answers the payer and the payee with the current state', () => {
    for (const source of ['payerfsp', 'payeefsp']) {
      const result = when([PREPARED, RESERVED], get(source));
      assert.deepEqual(body(result.effects), {
        to: source,
        params: { transferId: ID },
        resource: 'transfers',
        id: `${ID}/get/${source}/${NOW}`,
        endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
        method: 'PUT',
        path: `/transfers/${ID}`,
        body: { transferState: 'RESERVED' },
      });
    }
  });

  it('reports why an aborted transfer aborted as a cause extension', () => {
    const expired = when([PREPARED, RESERVED], { kind: 'ExpireTransfer' }, ctx(EXPIRES)).events;
    const result = when([PREPARED, RESERVED, ...expired], get('payerfsp'));
    assert.deepEqual(body(result.effects).body, {
      transferState: 'ABORTED',
      completedTimestamp: '2026-05-28T20:27:40.000Z',
      extensionList: { extension: [{ key: 'cause', value: '3303: Transfer expired' }] },
    });
  });

  it('answers 3000 to an outsider and 3208 for an unknown id', () => {
    const outsider = body(when([PREPARED], get('other')).effects);
    assert.deepEqual(
      [outsider.to, outsider.body],
      [
        'other',
        {
          errorInformation: {
            errorCode: '3000',
            errorDescription: 'Generic client error',
          },
        },
      ],
    );
    const unknown = body(when([], get('payerfsp')).effects);
    assert.deepEqual(unknown.body, {
      errorInformation: {
        errorCode: '3208',
        errorDescription:
          'Transfer ID not found - Provided Transfer ID was not found on the server.',
      },
    });
  });
});

describe('Transfer actor: hub transfers', () => {
  const record = (state: RecordHubTransfer['state']): RecordHubTransfer => ({
    kind: 'RecordHubTransfer',
    transferId: ID,
    payerFsp: 'Hub',
    payeeFsp: 'dfsp1',
    amount: { amount: '100.5', currency: 'USD' },
    state,
  });

  it('records funds in as COMMITTED so GET answers it', () => {
    const recorded = when([], record('COMMITTED'));
    assert.equal(recorded.state.phase, 'committed');
    const answer = body(when(recorded.events, get('dfsp1')).effects);
    assert.deepEqual(answer.body, {
      transferState: 'COMMITTED',
      completedTimestamp: '2026-05-28T20:26:40.000Z',
    });
  });

  it('moves a reserved funds-out to ABORTED and ignores repeats', () => {
    const reserved = when([], record('RESERVED')).events;
    const aborted = when(reserved, record('ABORTED'));
    assert.equal(aborted.state.phase, 'aborted');
    const again = when([...reserved, ...aborted.events], record('ABORTED'));
    assert.deepEqual([again.events, again.effects], [[], []]);
  });

  it('does not let a DFSP fulfil a hub transfer', () => {
    const reserved = when([], record('RESERVED')).events;
    const result = when(reserved, {
      kind: 'FulfilTransfer',
      transferId: ID,
      source: 'dfsp1',
      requestHash: 'h',
      version: '1.1',
      transferState: 'COMMITTED',
      relay: { headers: {}, body: '{}' },
    });
    assert.deepEqual(result.events, []);
    assert.equal(result.reply.kind, 'rejected');
  });
});
