// A forwarded message the notifier could not deliver becomes an error for its sender
// (actors/contracts/forward-failure.ts): the PartyLookup actor answers as the
// account-lookup-service does, the Transfer actor aborts a prepare the payee definitely did not
// take and holds one it may have to its expiry.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecideContext } from '../../actors/actor.ts';
import type { ForwardFailed, ForwardFailure } from '../../actors/contracts/forward-failure.ts';
import { partyActor } from '../../actors/party/index.ts';
import type { PartyCommand } from '../../actors/party/messages.ts';
import { ctx, EXPIRES, ID, NOW, PREPARED, RELEASE, RESERVED, when } from './transfer-fixtures.ts';

const partyCtx: DecideContext = {
  actorId: 'MSISDN/123',
  nowMs: 0,
  hub: { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true },
};
const party = { partyIdType: 'MSISDN', partyIdentifier: '123' };

function failed(failure: ForwardFailure, fields: Partial<ForwardFailed> = {}): ForwardFailed {
  return {
    kind: 'ForwardFailed',
    sender: 'payerfsp',
    receiver: 'payeefsp',
    callbackId: `${ID}/prepare`,
    params: { transferId: ID },
    endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
    failure,
    possiblyDelivered: false,
    ...fields,
  };
}

describe('PartyLookup actor: a lookup the notifier could not deliver', () => {
  const lookup: PartyCommand = {
    kind: 'ForwardPartyLookup',
    party,
    requester: 'payerfsp',
    owners: ['payeefsp'],
    relay: { headers: { 'fspiop-source': 'payerfsp' } },
    path: '/parties/MSISDN/123',
    deliveryId: 'd1',
  };

  it('names itself and the requester on the forwarded GET', () => {
    const [effect] = partyActor.decide(partyActor.initial, lookup, partyCtx).effects;
    assert.ok(effect?.kind === 'callback');
    assert.deepEqual(effect.callback.onFailure, {
      actor: { type: 'party', key: 'MSISDN/123' },
      sender: 'payerfsp',
    });
  });

  const cases: Array<[string, ForwardFailure, string, string]> = [
    [
      'a refusal with an FSPIOP error',
      {
        kind: 'refused',
        status: 406,
        error: { errorCode: '3001', errorDescription: 'Unacceptable version requested' },
      },
      '3001',
      'Unacceptable version requested',
    ],
    [
      'a 404 without one',
      { kind: 'refused', status: 404 },
      '3200',
      'Generic ID not found - The requested resource could not be found',
    ],
    [
      'an owner without a parties endpoint',
      { kind: 'unroutable', reason: 'no FSPIOP_CALLBACK_URL_PARTIES_GET endpoint' },
      '1001',
      'Destination communication error - no FSPIOP_CALLBACK_URL_PARTIES_GET endpoint for DFSP payeefsp',
    ],
    [
      'an owner that is down',
      { kind: 'unreachable', last: 'ECONNREFUSED' },
      '1001',
      'Destination communication error - Failed to send HTTP request to host',
    ],
  ];
  for (const [title, failure, errorCode, errorDescription] of cases) {
    it(`answers the requester with PUT /parties/…/error ${errorCode} for ${title}`, () => {
      const params = { partyIdType: 'MSISDN', partyIdentifier: '123' };
      const command = failed(failure, { callbackId: 'parties/d1/payeefsp', params });
      const decision = partyActor.decide(partyActor.initial, command, partyCtx);
      assert.deepEqual(decision.events, []);
      assert.deepEqual(decision.effects, [
        {
          kind: 'callback',
          callback: {
            to: 'payerfsp',
            endpointType: 'FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR',
            params,
            method: 'PUT',
            path: '/parties/MSISDN/123/error',
            resource: 'parties',
            body: { errorInformation: { errorCode, errorDescription } },
            id: 'parties/failed/parties/d1/payeefsp/error',
          },
        },
      ]);
    });
  }
});

describe('Transfer actor: a prepare the notifier could not deliver', () => {
  it('aborts, releases and tells the payer at once when the payee refused the prepare', () => {
    const error = { errorCode: '3001', errorDescription: 'Unacceptable version requested' };
    const result = when([PREPARED, RESERVED], failed({ kind: 'refused', status: 406, error }));
    assert.deepEqual(result.effects, [
      {
        kind: 'callback',
        callback: {
          to: 'payerfsp',
          params: { transferId: ID },
          resource: 'transfers',
          id: `${ID}/prepare/undelivered`,
          endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
          method: 'PUT',
          path: `/transfers/${ID}/error`,
          body: { errorInformation: error },
        },
      },
      RELEASE,
    ]);
    assert.equal(result.state.phase === 'aborted' && result.state.reason, 'ABORTED_ERROR');
    assert.deepEqual(result.reply, { kind: 'rejected', error });
  });

  it('aborts with 1001 when the payee has no FSPIOP_CALLBACK_URL_TRANSFER_POST', () => {
    const reason = 'no FSPIOP_CALLBACK_URL_TRANSFER_POST endpoint';
    const result = when([PREPARED, RESERVED], failed({ kind: 'unroutable', reason }));
    assert.deepEqual(result.reply, {
      kind: 'rejected',
      error: {
        errorCode: '1001',
        errorDescription: `Destination communication error - ${reason} for DFSP payeefsp`,
      },
    });
    assert.deepEqual(result.effects[1], RELEASE);
  });

  it('holds the reservation to expiry when the payee may hold the prepare', () => {
    const result = when([PREPARED, RESERVED], failed({ kind: 'unreachable', last: 'status 503' }));
    assert.deepEqual([result.events, result.effects], [[], []]);
    assert.equal(result.state.phase, 'reserved');
    const expired = when([PREPARED, RESERVED], { kind: 'ExpireTransfer' }, ctx(EXPIRES));
    assert.equal(expired.state.phase === 'aborted' && expired.state.reason, 'EXPIRED_RESERVED');
  });

  it('holds the reservation to expiry when a refusal may follow an attempt that arrived', () => {
    // The payee's 409 for a duplicate: its first copy may be credited and fulfilled.
    const duplicate = failed({ kind: 'refused', status: 409 }, { possiblyDelivered: true });
    const unknown = failed({ kind: 'unroutable', reason: 'no endpoints found' });
    // A ForwardFailed from a notifier that predates the field: not known to be definite.
    const { possiblyDelivered: _, ...legacy } = unknown;
    for (const command of [duplicate, legacy as ForwardFailed]) {
      const result = when([PREPARED, RESERVED], command);
      assert.deepEqual([result.events, result.effects, result.reply.kind], [[], [], 'ignored']);
      assert.equal(result.state.phase, 'reserved');
    }
  });

  it('ignores a failure of another callback, or of a transfer no longer reserved', () => {
    const other = when(
      [PREPARED, RESERVED],
      failed({ kind: 'refused', status: 400 }, { callbackId: `${ID}/fulfil` }),
    );
    assert.deepEqual([other.events, other.effects, other.reply.kind], [[], [], 'ignored']);
    const aborted = when([PREPARED, RESERVED], failed({ kind: 'refused', status: 400 })).events;
    const again = when([PREPARED, RESERVED, ...aborted], failed({ kind: 'refused', status: 400 }));
    assert.deepEqual([again.events, again.effects, again.reply.kind], [[], [], 'ignored']);
    assert.ok(NOW < EXPIRES);
  });
});
