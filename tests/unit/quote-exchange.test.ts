import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecideContext, Effect } from '../../actors/actor.ts';
import { authorizationActor } from '../../actors/authorization/index.ts';
import type { ForwardFailure } from '../../actors/contracts/forward-failure.ts';
import type { ExchangeCommand, ExchangeState } from '../../actors/quote/exchange-types.ts';
import { quoteActor } from '../../actors/quote/index.ts';
import { transactionRequestActor } from '../../actors/transaction-request/index.ts';

const ctx: DecideContext = {
  actorId: 'q1',
  nowMs: 1_000,
  hub: { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true },
};
const relay = { headers: { 'fspiop-source': 'payer' }, body: '{"quoteId":"q1"}' };
const request: ExchangeCommand = {
  kind: 'RequestExchange',
  requester: 'payer',
  responder: 'payee',
  requestHash: 'h1',
  relay,
  path: '/quotes',
};

function given(commands: ExchangeCommand[], actor = quoteActor): ExchangeState {
  let state = actor.initial;
  for (const command of commands) {
    for (const event of actor.decide(state, command, ctx).events)
      state = actor.evolve(state, event);
  }
  return state;
}

function failed(failure: ForwardFailure, sender = 'payer', receiver = 'payee'): ExchangeCommand {
  return {
    kind: 'ForwardFailed',
    sender,
    receiver,
    callbackId: 'quotes/q1/0',
    params: { ID: 'q1' },
    endpointType: 'FSPIOP_CALLBACK_URL_QUOTES',
    failure,
    possiblyDelivered: false,
  };
}

/** The hub error callback a decision sends, as (to, body). */
function errorSent(decision: { effects: readonly Effect[] }) {
  const effect = decision.effects[0];
  assert.ok(effect?.kind === 'callback');
  assert.equal(effect.callback.method, 'PUT');
  assert.equal(effect.callback.relay, undefined);
  return { to: effect.callback.to, path: effect.callback.path, body: effect.callback.body };
}

describe('Quote actor: a forward the notifier could not deliver', () => {
  const requested = given([request]);

  it("tells the payer with the payee's own error when the payee refused with one", () => {
    const error = { errorCode: '3001', errorDescription: 'Unacceptable version requested' };
    const decision = quoteActor.decide(
      requested,
      failed({ kind: 'refused', status: 406, error }),
      ctx,
    );
    assert.deepEqual(decision.reply, { kind: 'refused', error });
    assert.deepEqual(errorSent(decision), {
      to: 'payer',
      path: '/quotes/q1/error',
      body: { errorInformation: error },
    });
    // The quote stays as it was: an identical resend is forwarded again.
    const state = decision.events.reduce(quoteActor.evolve, requested);
    assert.equal(state.phase, 'requested');
  });

  it('answers a 4xx without an FSPIOP body with 3000 and an unreachable payee with 1001', () => {
    const refused = quoteActor.decide(requested, failed({ kind: 'refused', status: 404 }), ctx);
    assert.deepEqual(errorSent(refused).body, {
      errorInformation: {
        errorCode: '3000',
        errorDescription: 'Generic client error - Request failed with status code 404',
      },
    });
    const down = quoteActor.decide(
      requested,
      failed({ kind: 'unreachable', last: 'ECONNREFUSED' }),
      ctx,
    );
    assert.deepEqual(errorSent(down).body, {
      errorInformation: {
        errorCode: '1001',
        errorDescription: 'Destination communication error - Network error: ECONNREFUSED',
      },
    });
  });

  it('answers a payee without a quotes endpoint with 3201, as the quoting-service does', () => {
    const decision = quoteActor.decide(
      requested,
      failed({ kind: 'unroutable', reason: 'no FSPIOP_CALLBACK_URL_QUOTES endpoint' }),
      ctx,
    );
    assert.deepEqual(errorSent(decision).body, {
      errorInformation: {
        errorCode: '3201',
        errorDescription:
          'Destination FSP Error - No FSPIOP_CALLBACK_URL_QUOTES found for quote q1 party payee',
      },
    });
  });

  it('tells the payee when its answer could not be relayed to the payer', () => {
    const decision = quoteActor.decide(
      requested,
      failed({ kind: 'unreachable', last: 'status 503' }, 'payee', 'payer'),
      ctx,
    );
    assert.equal(errorSent(decision).to, 'payee');
  });

  it('answers a transaction request with the shared rules: 404 is 3200, no endpoint 3201', () => {
    const trx = { ...ctx, actorId: 'tr1' };
    const notFound = transactionRequestActor.decide(
      transactionRequestActor.initial,
      failed({ kind: 'refused', status: 404 }),
      trx,
    );
    assert.deepEqual(errorSent(notFound), {
      to: 'payer',
      path: '/transactionRequests/tr1/error',
      body: {
        errorInformation: {
          errorCode: '3200',
          errorDescription: 'Generic ID not found - The requested resource could not be found',
        },
      },
    });
    const unroutable = transactionRequestActor.decide(
      transactionRequestActor.initial,
      failed({ kind: 'unroutable', reason: 'no FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE endpoint' }),
      trx,
    );
    assert.equal((errorSent(unroutable).body as ErrorBody).errorInformation.errorCode, '3201');
  });
});

describe('Transaction request actor', () => {
  it('relays a changed answer (RECEIVED, then REJECTED) where a quote answers 3106', () => {
    const trx = { ...ctx, actorId: 'tr1' };
    const answer = (state: string, answerHash: string): ExchangeCommand => ({
      kind: 'AnswerExchange',
      source: 'payer',
      destination: 'payee',
      isError: false,
      answerHash,
      relay: {
        headers: { 'fspiop-source': 'payer' },
        body: `{"transactionRequestState":"${state}"}`,
      },
      path: '/transactionRequests/tr1',
    });
    let state = transactionRequestActor.initial;
    for (const command of [
      { ...request, path: '/transactionRequests' },
      answer('RECEIVED', 'a1'),
    ]) {
      const decision = transactionRequestActor.decide(state, command, trx);
      state = decision.events.reduce(transactionRequestActor.evolve, state);
    }
    const rejected = transactionRequestActor.decide(state, answer('REJECTED', 'a2'), trx);
    assert.deepEqual(rejected.reply, { kind: 'resent' });
    const effect = rejected.effects[0];
    assert.ok(effect?.kind === 'callback');
    assert.equal(effect.callback.to, 'payee');
    assert.equal(effect.callback.relay?.body, '{"transactionRequestState":"REJECTED"}');
  });
});

type ErrorBody = { errorInformation: { errorCode: string } };

describe('Quote actor', () => {
  it('forwards a new quote to the payee with the original headers and body', () => {
    const decision = quoteActor.decide(quoteActor.initial, request, ctx);
    assert.deepEqual(decision.reply, { kind: 'accepted' });
    assert.deepEqual(decision.effects, [
      {
        kind: 'callback',
        callback: {
          endpointType: 'FSPIOP_CALLBACK_URL_QUOTES',
          resource: 'quotes',
          params: { ID: 'q1' },
          to: 'payee',
          method: 'POST',
          path: '/quotes',
          relay,
          id: 'quotes/q1/0',
          onFailure: { actor: { type: 'quote', key: 'q1' }, sender: 'payer' },
        },
      },
    ]);
  });

  it('answers a refused quote (3201) with a hub error to the payer and remembers it', () => {
    const refusal = { errorCode: '3201', errorDescription: 'Destination FSP Error - x' };
    const decision = quoteActor.decide(quoteActor.initial, { ...request, refusal }, ctx);
    assert.deepEqual(decision.reply, { kind: 'refused', error: refusal });
    const effect = decision.effects[0];
    assert.ok(effect?.kind === 'callback');
    assert.equal(effect.callback.to, 'payer');
    assert.equal(effect.callback.path, '/quotes/q1/error');
    assert.deepEqual(effect.callback.body, { errorInformation: refusal });
    const state = given([{ ...request, refusal }]);
    const resend = quoteActor.decide(state, request, ctx);
    assert.deepEqual(resend.reply, { kind: 'refused', error: refusal });
  });

  it('re-forwards an identical resend and refuses a modified one with 3106', () => {
    const state = given([request]);
    const same = quoteActor.decide(state, request, ctx);
    assert.deepEqual(same.reply, { kind: 'resent' });
    assert.equal(same.effects.length, 1);
    const modified = quoteActor.decide(state, { ...request, requestHash: 'h2' }, ctx);
    assert.equal(modified.reply.kind, 'refused');
    assert.ok(modified.reply.kind === 'refused');
    assert.equal(modified.reply.error.errorCode, '3106');
    const effect = modified.effects[0];
    assert.ok(effect?.kind === 'callback');
    assert.equal(effect.callback.to, 'payer');
    assert.equal(effect.callback.path, '/quotes/q1/error');
  });

  it('relays the answer to the payer and serves a later GET from the stored answer', () => {
    const answer: ExchangeCommand = {
      kind: 'AnswerExchange',
      source: 'payee',
      destination: 'payer',
      isError: false,
      answerHash: 'a1',
      relay: { headers: { 'fspiop-source': 'payee' }, body: '{"transferAmount":{}}' },
      path: '/quotes/q1',
    };
    const state = given([request, answer]);
    assert.equal(state.phase, 'answered');
    const query: ExchangeCommand = {
      kind: 'QueryExchange',
      requester: 'payer',
      relay,
      path: '/quotes/q1',
    };
    const decision = quoteActor.decide(state, query, ctx);
    assert.deepEqual(decision.reply, { kind: 'resent' });
    const effect = decision.effects[0];
    assert.ok(effect?.kind === 'callback');
    assert.equal(effect.callback.to, 'payer');
    assert.equal(effect.callback.method, 'PUT');
    assert.equal(effect.callback.relay?.body, '{"transferAmount":{}}');
    const modified = quoteActor.decide(state, { ...answer, answerHash: 'a2' }, ctx);
    assert.ok(modified.reply.kind === 'refused');
    assert.equal(modified.reply.error.errorCode, '3106');
  });

  it('answers a GET of an unknown quote without destination with 3205', () => {
    const query: ExchangeCommand = {
      kind: 'QueryExchange',
      requester: 'payer',
      relay,
      path: '/quotes/q1',
    };
    const decision = quoteActor.decide(quoteActor.initial, query, ctx);
    assert.ok(decision.reply.kind === 'refused');
    assert.equal(decision.reply.error.errorCode, '3205');
  });

  it('opens a new authorization round when the GET parameters change', () => {
    const get = { ...request, relay: { headers: {} }, path: '/authorizations/q1?retriesLeft=2' };
    const state = given([get], authorizationActor);
    const retry = authorizationActor.decide(state, { ...get, requestHash: 'h2' }, ctx);
    assert.deepEqual(retry.reply, { kind: 'accepted' });
    const effect = retry.effects[0];
    assert.ok(effect?.kind === 'callback');
    assert.equal(effect.callback.method, 'GET');
    assert.equal(effect.callback.endpointType, 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE');
  });
});
