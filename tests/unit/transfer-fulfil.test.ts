import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FulfilTransfer, RejectTransfer } from '../../actors/transfer/messages.ts';
import {
  BAD_FULFILMENT,
  ctx,
  EXPIRES,
  FULFIL_RELAY,
  FULFILMENT,
  ID,
  NOW,
  PREPARED,
  RESERVED,
  when,
} from './transfer-fixtures.ts';

const TS = '2026-05-28T20:26:39.000Z';

function fulfil(overrides: Partial<FulfilTransfer> = {}): FulfilTransfer {
  return {
    kind: 'FulfilTransfer',
    transferId: ID,
    source: 'payeefsp',
    destination: 'payerfsp',
    requestHash: 'hash-fulfil',
    version: '1.1',
    transferState: 'COMMITTED',
    fulfilment: FULFILMENT,
    completedTimestamp: TS,
    relay: FULFIL_RELAY,
    ...overrides,
  };
}

const reject: RejectTransfer = {
  kind: 'RejectTransfer',
  transferId: ID,
  source: 'payeefsp',
  requestHash: 'hash-error',
  errorInformation: { errorCode: '5101', errorDescription: 'Payee transaction limit reached' },
  relay: { headers: { 'fspiop-source': 'payeefsp' }, body: '{"errorInformation":{}}' },
};

const send = (key: string, command: unknown) => ({
  kind: 'send',
  to: { type: 'participant', key },
  command,
});
const release = send('payerfsp', { kind: 'ReleaseReservation', transferId: ID });

function callback(
  to: string,
  method: string,
  endpoint: string,
  suffix: string,
  id: string,
  content: object,
) {
  return {
    kind: 'callback',
    callback: {
      to,
      params: { transferId: ID },
      resource: 'transfers',
      id: `${ID}/${id}`,
      endpointType: `FSPIOP_CALLBACK_URL_TRANSFER_${endpoint}`,
      method,
      path: `/transfers/${ID}${suffix}`,
      ...content,
    },
  };
}
const err = (to: string, code: string, description: string, id: string) =>
  callback(to, 'PUT', 'ERROR', '/error', id, {
    body: { errorInformation: { errorCode: code, errorDescription: description } },
  });

describe('Transfer actor: fulfil', () => {
  it('commits, moves positions and relays the payee PUT to the payer', () => {
    const result = when([PREPARED, RESERVED], fulfil());
    assert.deepEqual(result.events, [
      {
        type: 'TransferCommitted',
        completedTimestamp: TS,
        fulfilHash: 'hash-fulfil',
        fulfilment: FULFILMENT,
      },
    ]);
    const committed = {
      transferState: 'COMMITTED',
      completedTimestamp: TS,
      fulfilment: FULFILMENT,
    };
    assert.deepEqual(result.effects, [
      send('payerfsp', { kind: 'CommitReservation', transferId: ID }),
      send('payeefsp', {
        kind: 'CreditPosition',
        transferId: ID,
        currency: 'USD',
        amountMinor: 1_000_000n,
      }),
      callback('payerfsp', 'PUT', 'PUT', '', 'fulfil', { relay: FULFIL_RELAY }),
      callback('payeefsp', 'PUT', 'PUT', '', `fulfil/${NOW}/payee`, { body: committed }),
    ]);
    assert.equal(result.state.phase, 'committed');
  });

  it('sends no hub copy to the payee when confirmToPayee is off', () => {
    const result = when([PREPARED, RESERVED], fulfil(), ctx(NOW, { confirmToPayee: false }));
    assert.equal(result.effects.length, 3);
  });

  it('answers RESERVED with a hub PUT COMMITTED to the payer and a PATCH to the payee', () => {
    const result = when([PREPARED, RESERVED], fulfil({ transferState: 'RESERVED' }));
    // Both are the hub's own: no version of their own, the notifier labels them with the hub's.
    assert.deepEqual(result.effects.slice(2), [
      callback('payerfsp', 'PUT', 'PUT', '', `fulfil/${NOW}/payer`, {
        body: { transferState: 'COMMITTED', completedTimestamp: TS, fulfilment: FULFILMENT },
      }),
      callback('payeefsp', 'PATCH', 'PUT', '', `fulfil/${NOW}/patch`, {
        body: { completedTimestamp: TS, transferState: 'COMMITTED' },
      }),
    ]);
  });

  it('stamps completedTimestamp from the command clock when the payee omitted it', () => {
    const { completedTimestamp: _omit, ...rest } = fulfil();
    const result = when([PREPARED, RESERVED], { ...rest });
    assert.equal(
      result.state.phase === 'committed' && result.state.completedTimestamp,
      '2026-05-28T20:26:40.000Z',
    );
  });

  for (const [title, fulfilment] of [
    ['invalid', BAD_FULFILMENT],
    ['missing', undefined],
  ] as const) {
    it(`aborts with 3100 to both and releases the reservation for a ${title} fulfilment`, () => {
      const command = fulfil(fulfilment === undefined ? {} : { fulfilment });
      const { fulfilment: _drop, ...withoutFulfilment } = command;
      const result = when([PREPARED, RESERVED], fulfilment ? command : withoutFulfilment);
      const description = 'Generic validation error - invalid fulfilment';
      assert.deepEqual(result.effects, [
        err('payerfsp', '3100', description, `fulfil/${NOW}/payer`),
        err('payeefsp', '3100', description, `fulfil/${NOW}/payee`),
        release,
      ]);
      assert.equal(result.state.phase === 'aborted' && result.state.reason, 'ABORTED_ERROR');
    });
  }

  it('PATCHes ABORTED, and only that, to a payee that answered RESERVED with an invalid fulfilment', () => {
    const result = when(
      [PREPARED, RESERVED],
      fulfil({ transferState: 'RESERVED', fulfilment: BAD_FULFILMENT }),
    );
    assert.deepEqual(result.effects, [
      err(
        'payerfsp',
        '3100',
        'Generic validation error - invalid fulfilment',
        `fulfil/${NOW}/payer`,
      ),
      callback('payeefsp', 'PATCH', 'PUT', '', `fulfil/${NOW}/patch`, {
        body: { completedTimestamp: '2026-05-28T20:26:40.000Z', transferState: 'ABORTED' },
      }),
      release,
    ]);
  });

  // The reference tells the payee nothing of a PUT with the wrong headers (TTK bug #2697 tests).
  it('aborts with 3100 to the payer only when the PUT does not come from the payee', () => {
    const result = when([PREPARED, RESERVED], fulfil({ source: 'payerfsp' }));
    const description =
      'Generic validation error - FSPIOP-Source does not match payee fsp on the Fulfil callback response';
    assert.deepEqual(result.effects, [
      err('payerfsp', '3100', description, `fulfil/${NOW}/payer`),
      release,
    ]);
  });

  it('ignores ABORTED in a PUT and RESERVED in a 1.0 PUT', () => {
    for (const command of [
      fulfil({ transferState: 'ABORTED' }),
      fulfil({ transferState: 'RESERVED', version: '1.0' }),
    ]) {
      const result = when([PREPARED, RESERVED], command);
      assert.deepEqual([result.events, result.effects, result.reply.kind], [[], [], 'ignored']);
    }
  });

  it('resends COMMITTED to the payee for a duplicate fulfil, and 3106 if modified', () => {
    const committed = when([PREPARED, RESERVED], fulfil()).events;
    const same = when([PREPARED, RESERVED, ...committed], fulfil());
    assert.deepEqual(same.effects, [
      callback('payeefsp', 'PUT', 'PUT', '', `fulfil/${NOW}/duplicate`, {
        body: { transferState: 'COMMITTED', completedTimestamp: TS, fulfilment: FULFILMENT },
      }),
    ]);
    const modified = when([PREPARED, RESERVED, ...committed], fulfil({ requestHash: 'x' }));
    assert.deepEqual(modified.effects, [
      err('payeefsp', '3106', 'Modified request', `fulfil/${NOW}/modified`),
    ]);
  });

  it("answers a refused fulfil in the hub's version, not the one the payee wrote", () => {
    const committed = when([PREPARED, RESERVED], fulfil()).events;
    const headers = {
      ...FULFIL_RELAY.headers,
      'content-type': 'application/vnd.interoperability.transfers+json;version=1.1',
    };
    const modified = when(
      [PREPARED, RESERVED, ...committed],
      fulfil({ requestHash: 'x', relay: { ...FULFIL_RELAY, headers } }),
    );
    const [effect] = modified.effects;
    assert.equal(effect?.kind, 'callback');
    assert.equal(effect.kind === 'callback' && effect.callback.path, `/transfers/${ID}/error`);
    assert.equal(effect.kind === 'callback' && effect.callback.version, undefined);
  });

  it('aborts with 3303 to both when the fulfil arrives after expiration', () => {
    const result = when([PREPARED, RESERVED], fulfil(), ctx(EXPIRES));
    assert.deepEqual(result.effects, [
      err('payerfsp', '3303', 'Transfer expired', `fulfil/${EXPIRES}/payer`),
      err('payeefsp', '3303', 'Transfer expired', `fulfil/${EXPIRES}/payee`),
      release,
    ]);
  });

  it('refuses a fulfil for an unknown, unreserved or expired transfer', () => {
    const unknown = when([], fulfil());
    assert.deepEqual(unknown.effects, [
      err('payeefsp', '3208', 'Transfer ID not found', `fulfil/${NOW}`),
    ]);
    const received = when([PREPARED], fulfil());
    assert.deepEqual(received.effects, [
      err(
        'payeefsp',
        '3100',
        'Generic validation error - non-RESERVED transfer state',
        `fulfil/${NOW}`,
      ),
    ]);
    const expired = when([PREPARED, RESERVED], { kind: 'ExpireTransfer' }, ctx(EXPIRES)).events;
    const late = when([PREPARED, RESERVED, ...expired], fulfil());
    assert.deepEqual(late.effects, [err('payeefsp', '3303', 'Transfer expired', `fulfil/${NOW}`)]);
  });
});

describe('Transfer actor: payee rejection', () => {
  it('aborts, relays the payee error to the payer and releases the reservation', () => {
    const result = when([PREPARED, RESERVED], reject);
    assert.deepEqual(result.effects, [
      callback('payerfsp', 'PUT', 'ERROR', '/error', 'reject', { relay: reject.relay }),
      release,
    ]);
    assert.equal(result.state.phase === 'aborted' && result.state.error.errorCode, '5101');
  });

  it('resends ABORTED for a duplicate rejection and 3106 when modified', () => {
    const aborted = when([PREPARED, RESERVED], reject).events;
    const same = when([PREPARED, RESERVED, ...aborted], reject);
    assert.equal(same.effects.length, 1);
    const body = (same.effects[0] as { callback: { body: { transferState: string } } }).callback
      .body;
    assert.equal(body.transferState, 'ABORTED');
    const modified = when([PREPARED, RESERVED, ...aborted], { ...reject, requestHash: 'x' });
    assert.deepEqual(modified.effects, [
      err('payeefsp', '3106', 'Modified request', `reject/${NOW}/modified`),
    ]);
  });

  it('refuses a rejection from anyone but the payee, and for an unknown transfer', () => {
    const outsider = when([PREPARED, RESERVED], { ...reject, source: 'other' });
    assert.deepEqual(outsider.effects, [
      err(
        'other',
        '3100',
        'Generic validation error - FSPIOP-Source does not match payee fsp',
        `reject/${NOW}`,
      ),
    ]);
    assert.equal(outsider.state.phase, 'reserved');
    const unknown = when([], reject);
    assert.deepEqual(unknown.effects, [
      err('payeefsp', '3208', 'Transfer ID not found', `reject/${NOW}`),
    ]);
  });
});
