import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecideContext } from '../../actors/actor.ts';
import { ownersOf, partyActor } from '../../actors/party/index.ts';
import type { PartyCommand, PartyState } from '../../actors/party/messages.ts';
import { partyKey } from '../../actors/party/messages.ts';

const ctx: DecideContext = {
  actorId: 'MSISDN/123',
  nowMs: 0,
  hub: { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true },
};
const party = { partyIdType: 'MSISDN', partyIdentifier: '123' };

function given(commands: PartyCommand[]): PartyState {
  let state = partyActor.initial;
  for (const command of commands) {
    for (const event of partyActor.decide(state, command, ctx).events)
      state = partyActor.evolve(state, event);
  }
  return state;
}

describe('PartyLookup actor (built-in oracle)', () => {
  it('keys a SubId apart from the bare identifier', () => {
    assert.equal(partyKey(party), 'MSISDN/123');
    assert.equal(partyKey({ ...party, partySubIdOrType: '30' }), 'MSISDN/123/30');
  });

  it('registers an owner per currency and answers the requester', () => {
    const answer = { requester: 'payeefsp', deliveryId: 'd1' };
    const register: PartyCommand = {
      kind: 'RegisterParty',
      party,
      fspId: 'payeefsp',
      currency: 'USD',
      answer,
    };
    const decision = partyActor.decide(partyActor.initial, register, ctx);
    assert.deepEqual(decision.events, [
      { type: 'PartyRegistered', entry: { fspId: 'payeefsp', currency: 'USD' } },
    ]);
    const effect = decision.effects[0];
    assert.ok(effect?.kind === 'callback');
    assert.deepEqual(effect.callback, {
      to: 'payeefsp',
      endpointType: 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT',
      params: { partyIdType: 'MSISDN', partyIdentifier: '123' },
      method: 'PUT',
      path: '/participants/MSISDN/123',
      resource: 'participants',
      body: { fspId: 'payeefsp' },
      id: 'participants/d1',
    });
    const state = given([register]);
    assert.deepEqual(ownersOf(state, 'USD'), ['payeefsp']);
    assert.deepEqual(ownersOf(state, 'EUR'), []);
    assert.deepEqual(ownersOf(state), ['payeefsp']);
  });

  it('moves the party when another DFSP registers the same currency slot', () => {
    const state = given([
      { kind: 'RegisterParty', party, fspId: 'a' },
      { kind: 'RegisterParty', party, fspId: 'b' },
    ]);
    assert.deepEqual(state.entries, [{ fspId: 'b' }]);
  });

  it('forwards a lookup to each owner, or answers 3204 when nobody owns the party', () => {
    const lookup: PartyCommand = {
      kind: 'ForwardPartyLookup',
      party,
      requester: 'payer',
      owners: ['payee'],
      relay: { headers: { 'fspiop-source': 'payer' } },
      path: '/parties/MSISDN/123',
      deliveryId: 'd2',
    };
    const forward = partyActor.decide(partyActor.initial, lookup, ctx).effects[0];
    assert.ok(forward?.kind === 'callback');
    assert.equal(forward.callback.to, 'payee');
    assert.equal(forward.callback.endpointType, 'FSPIOP_CALLBACK_URL_PARTIES_GET');
    assert.equal(forward.callback.relay?.headers['fspiop-destination'], undefined);
    assert.equal(forward.callback.to, 'payee');
    const none = partyActor.decide(partyActor.initial, { ...lookup, owners: [] }, ctx).effects[0];
    assert.ok(none?.kind === 'callback');
    assert.equal(none.callback.to, 'payer');
    assert.equal(none.callback.path, '/parties/MSISDN/123/error');
    assert.equal(
      (none.callback.body as { errorInformation: { errorCode: string } }).errorInformation
        .errorCode,
      '3204',
    );
  });

  it('refuses to deregister a party the DFSP does not own (3040)', () => {
    const decision = partyActor.decide(
      partyActor.initial,
      { kind: 'DeregisterParty', party, fspId: 'x' },
      ctx,
    );
    assert.ok(decision.reply.kind === 'refused');
    assert.equal(decision.reply.error.errorCode, '3040');
    assert.deepEqual(decision.events, []);
  });
});
