// Rendering per receiver (gateway/iso20022/render.ts) and the API type a participant keeps
// (actors/participant), with no services: a relayed message between two DFSPs of one API type is
// left exactly as written; across types its body, media types and signature change and the hub
// signs it; the hub's own messages follow the receiver's type; resources outside the binding and
// messages that cannot be put in ISO are told apart. An operator's API type is never replaced by
// a learned one.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Callback } from '../../actors/callback.ts';
import { participantActor, participantDirectoryEntry } from '../../actors/participant/actor.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import type { ParticipantState } from '../../actors/participant/state.ts';
import { fspiopToIso } from '../../gateway/iso20022/messages.ts';
import { renderFor } from '../../gateway/iso20022/render.ts';
import { walletIlpPacket } from '../helpers/ilp-packet.ts';

const HUB = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: false };
const ISO = 'application/vnd.interoperability.iso20022.transfers+json;version=2.0';
const FSPIOP = 'application/vnd.interoperability.transfers+json;version=1.1';
const OPTIONS = { hubName: 'Hub', nowMs: Date.parse('2026-12-05T00:00:00.000Z') };
const CONDITION = 'WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8';
const PREPARE = {
  transferId: '01JBVM14S6SC453EY9XB9GXQB5',
  payerFsp: 'payerfsp',
  payeeFsp: 'payeefsp',
  amount: { currency: 'USD', amount: '5' },
  ilpPacket: walletIlpPacket('payerfsp', 'payeefsp', CONDITION),
  condition: CONDITION,
  expiration: '2030-01-01T00:00:00.000Z',
};

const receiver = (apiType?: 'iso20022' | 'fspiop'): ParticipantDirectoryEntry => ({
  name: 'payeefsp',
  isActive: true,
  currencies: {},
  endpoints: {},
  ...(apiType === undefined ? {} : { apiType }),
});

function relayed(contentType: string, body: unknown): Callback {
  return {
    to: 'payeefsp',
    endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
    params: {},
    method: 'POST',
    path: '/transfers',
    resource: 'transfers',
    id: 'cb-1',
    relay: {
      headers: {
        'content-type': contentType,
        accept: contentType,
        'fspiop-source': 'payerfsp',
        'fspiop-signature': '{"signature":"s","protectedHeader":"h"}',
      },
      body: JSON.stringify(body),
    },
  };
}

function rendered(result: ReturnType<typeof renderFor>) {
  assert.equal(result.kind, 'callback');
  return result as Extract<typeof result, { kind: 'callback' }>;
}

describe('rendering a callback in its receiver API type', () => {
  it('leaves a relay between two DFSPs of the same type exactly as written', () => {
    const iso = relayed(
      ISO,
      fspiopToIso('transfers.post', PREPARE, { msgId: 'm', createdAt: 'c' }),
    );
    const fspiop = relayed(FSPIOP, PREPARE);
    assert.deepEqual(renderFor(iso, receiver('iso20022'), OPTIONS), {
      kind: 'callback',
      callback: iso,
      translated: false,
    });
    for (const entry of [receiver('fspiop'), receiver(), undefined]) {
      assert.deepEqual(rendered(renderFor(fspiop, entry, OPTIONS)).callback, fspiop);
    }
  });

  it('translates an FSPIOP relay for an ISO receiver and drops the sender signature', () => {
    const out = rendered(renderFor(relayed(FSPIOP, PREPARE), receiver('iso20022'), OPTIONS));
    assert.equal(out.translated, true);
    const headers = out.callback.relay?.headers ?? {};
    assert.equal(headers['content-type'], ISO);
    assert.equal(headers['accept'], ISO.replace('version=2.0', 'version=2'));
    assert.equal(headers['fspiop-signature'], undefined);
    assert.equal(headers['fspiop-source'], 'payerfsp');
    const body = JSON.parse(out.callback.relay?.body ?? '{}');
    assert.equal(body.CdtTrfTxInf.PmtId.TxId, PREPARE.transferId);
    assert.equal(body.GrpHdr.CreDtTm, '2026-12-05T00:00:00.000Z');
    const again = rendered(renderFor(relayed(FSPIOP, PREPARE), receiver('iso20022'), OPTIONS));
    assert.equal(JSON.parse(again.callback.relay?.body ?? '{}').GrpHdr.MsgId, body.GrpHdr.MsgId);
  });

  it("renders the hub's own error in ISO for an ISO receiver, as a hub message", () => {
    const error: Callback = {
      to: 'payerfsp',
      endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
      params: {},
      method: 'PUT',
      path: `/transfers/${PREPARE.transferId}/error`,
      resource: 'transfers',
      id: 'cb-2',
      body: { errorInformation: { errorCode: '3303', errorDescription: 'Transfer expired' } },
    };
    const out = rendered(renderFor(error, receiver('iso20022'), OPTIONS));
    assert.deepEqual(
      [out.translated, out.callback.iso, out.callback.version],
      [false, true, '2.0'],
    );
    const body = out.callback.body as { TxInfAndSts: unknown };
    assert.deepEqual(body.TxInfAndSts, {
      StsRsnInf: { Rsn: { Prtry: '3303' }, AddtlInf: 'Transfer expired' },
    });
  });

  it('leaves resources outside the binding alone, and names what cannot be rendered', () => {
    const request = { ...relayed(FSPIOP, {}), resource: 'transactionRequests' as const };
    assert.equal(rendered(renderFor(request, receiver('iso20022'), OPTIONS)).translated, false);
    const broken = relayed(ISO, { GrpHdr: {} });
    const out = renderFor(broken, receiver('fspiop'), OPTIONS);
    assert.equal(out.kind, 'untranslatable');
  });
});

describe('the API type a participant keeps', () => {
  const decide = (
    state: ParticipantState,
    command: Parameters<typeof participantActor.decide>[1],
  ) => participantActor.decide(state, command, { actorId: 'payerfsp', nowMs: 0, hub: HUB });
  const created = (() => {
    const cmd = {
      kind: 'CreateParticipant' as const,
      participantId: 1,
      currency: 'USD',
      isProxy: false,
      accountTypes: ['POSITION' as const, 'SETTLEMENT' as const],
    };
    return decide(participantActor.initial, cmd).events.reduce(
      participantActor.evolve,
      participantActor.initial,
    );
  })();
  const apply = (state: ParticipantState, command: Parameters<typeof decide>[1]) =>
    decide(state, command).events.reduce(participantActor.evolve, state);

  it('learns ISO 20022 when none is set, and an operator choice replaces it', () => {
    const learned = apply(created, { kind: 'SetApiType', apiType: 'iso20022', learned: true });
    assert.deepEqual(learned.phase === 'registered' && learned.apiType, {
      type: 'iso20022',
      learned: true,
    });
    const set = apply(learned, { kind: 'SetApiType', apiType: 'fspiop' });
    assert.deepEqual(set.phase === 'registered' && set.apiType, { type: 'fspiop', learned: false });
  });

  it('never lets a learned type replace one the operator set', () => {
    const set = apply(created, { kind: 'SetApiType', apiType: 'fspiop' });
    const decision = decide(set, { kind: 'SetApiType', apiType: 'iso20022', learned: true });
    assert.deepEqual(decision.events, []);
    assert.equal(participantDirectoryEntry(set)?.apiType, 'fspiop');
  });
});
