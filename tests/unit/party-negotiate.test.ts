// Version negotiation of relayed PUT /parties answers: the PartyLookup actor remembers the
// requester's Accept and relabels the payee's Content-Type version when the requester does not
// read it (fspiop.md §1.4; TTK's payee answers 2.0 to a payer that asked for 1.1).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecideContext } from '../../actors/actor.ts';
import { partyActor } from '../../actors/party/index.ts';
import type { PartyCommand, PartyState } from '../../actors/party/messages.ts';
import { buildHeaders } from '../../runtime/notifier/headers.ts';
import { negotiatedContentType, negotiatedVersion } from '../../schema/fspiop/versions.ts';

const ctx: DecideContext = {
  actorId: 'MSISDN/123',
  nowMs: 0,
  hub: { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true },
};
const party = { partyIdType: 'MSISDN', partyIdentifier: '123' };
const parties = (version: string) =>
  `application/vnd.interoperability.parties+json;version=${version}`;

function run(state: PartyState, command: PartyCommand) {
  const decision = partyActor.decide(state, command, ctx);
  return { decision, state: decision.events.reduce(partyActor.evolve, state) };
}

function lookup(accept: string, owners = ['payee']): PartyCommand {
  return {
    kind: 'ForwardPartyLookup',
    party,
    requester: 'payer',
    owners,
    relay: { headers: { accept, 'fspiop-source': 'payer' } },
    path: '/parties/MSISDN/123',
    deliveryId: 'd1',
  };
}

function answer(contentType: string): PartyCommand {
  return {
    kind: 'RelayPartyAnswer',
    party,
    source: 'payee',
    destination: 'payer',
    isError: false,
    relay: { headers: { 'content-type': contentType, 'fspiop-source': 'payee' }, body: '{}' },
    path: '/parties/MSISDN/123',
    deliveryId: 'd2',
  };
}

describe('party answer version negotiation', () => {
  it('chooses the version a requester reads, preferring the payee version, then 1.0', () => {
    const cases: [string, string | undefined, string][] = [
      ['2.0', parties('1.1'), '1.0'],
      ['2.0', parties('1'), '1.0'],
      ['1.1', parties('1.0'), '1.0'],
      ['1.0', parties('1.1'), '1.0'],
      ['1.1', parties('2'), '2.0'],
      ['2.0', parties('2.0'), '2.0'],
      ['2.0', `${parties('1.0')},${parties('2')}`, '2.0'],
      ['2.0', 'application/vnd.interoperability.parties+json', '2.0'],
      ['2.0', undefined, '2.0'],
    ];
    for (const [version, accept, expected] of cases) {
      assert.equal(negotiatedVersion(version, accept), expected, `${version} for ${accept}`);
    }
  });

  it('rewrites only the version parameter of the Content-Type', () => {
    assert.equal(negotiatedContentType(parties('2.0'), parties('1.1')), parties('1.0'));
    assert.equal(
      negotiatedContentType(
        'application/vnd.interoperability.parties+json; version=2.0',
        parties('1'),
      ),
      'application/vnd.interoperability.parties+json; version=1.0',
    );
  });

  it('relays the answer relabelled for the requester, body and other headers unchanged', () => {
    const looked = run(partyActor.initial, lookup(parties('1.1')));
    assert.deepEqual(looked.decision.events, [
      { type: 'LookupRequested', requester: 'payer', accept: parties('1.1') },
    ]);
    assert.equal(run(looked.state, lookup(parties('1.1'))).decision.events.length, 0);
    const [effect] = run(looked.state, answer(parties('2.0'))).decision.effects;
    assert.ok(effect?.kind === 'callback');
    // What the notifier sends the requester: relabelled 1.0, other headers and body unchanged.
    const sent = buildHeaders(effect.callback, '{}', { hubName: 'Hub', nowMs: 0 });
    assert.deepEqual(
      { 'content-type': sent['content-type'], 'fspiop-source': sent['fspiop-source'] },
      { 'content-type': parties('1.0'), 'fspiop-source': 'payee' },
    );
    assert.equal(effect.callback.relay?.body, '{}');
  });

  it('remembers nothing for a lookup answered 3204', () => {
    assert.deepEqual(run(partyActor.initial, lookup(parties('1'), [])).decision.events, []);
  });
});
