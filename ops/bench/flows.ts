// The two kinds of flow the load generator starts. A transfer flow is POST /transfers and waits
// for the payer's final callback. A full flow is Mojaloop's unit of work: GET /parties ->
// PUT /parties, POST /quotes -> PUT /quotes/{id}, then the transfer with the quote's condition
// and transferId = transactionId. Each step starts from the callback of the one before.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  conditionFor,
  errorCodeOf,
  fspiopHeaders,
  type Money,
  prepareBody,
  quoteBody,
} from './fspiop.ts';
import type { PayerHooks } from './simulator.ts';
import type { FspiopSender } from './switch-client.ts';
import type { Flow, Tracker } from './tracker.ts';

/** Transfers expire this long after they are sent; past it the switch answers 3303. */
const EXPIRATION_MS = 60_000;

export type Pair = { readonly payer: string; readonly payee: string };

/** Starts one flow that is due at dueMs; onDone runs once it has its outcome. */
export type Starter = (dueMs: number, measured: boolean, onDone?: () => void) => void;

export type FlowContext = {
  readonly client: FspiopSender;
  readonly tracker: Tracker;
  readonly amount: Money;
};

function failureCode(status: number, body: string): string {
  if (status === 0) return 'network';
  const code = errorCodeOf(body);
  return code === 'no-errorCode' || code === 'unparsable' ? `http-${status}` : code;
}

function newFlow(pair: Pair, dueMs: number, measured: boolean, onDone?: () => void): Flow {
  return {
    transferId: randomUUID(),
    payer: pair.payer,
    payee: pair.payee,
    dueMs,
    measured,
    prepareAccepted: false,
    finals: 0,
    ...(onDone === undefined ? {} : { onDone }),
  };
}

function sendPrepare(ctx: FlowContext, flow: Flow, condition: string): void {
  const headers = fspiopHeaders('transfers', 'POST', flow.payer, flow.payee);
  const body = prepareBody({
    transferId: flow.transferId,
    payerFsp: flow.payer,
    payeeFsp: flow.payee,
    amount: ctx.amount,
    condition,
    expirationMs: Date.now() + EXPIRATION_MS,
  });
  void ctx.client.send('POST', '/transfers', headers, body).then((result) => {
    if (result.status === 202) ctx.tracker.prepareAccepted(flow);
    else ctx.tracker.fail(flow, failureCode(result.status, result.body), performance.now());
  });
}

/** Scenario a and c: a transfer between the pair pickPair() chooses. */
export function transferStarter(ctx: FlowContext, pickPair: () => Pair): Starter {
  return (dueMs, measured, onDone) => {
    const flow = newFlow(pickPair(), dueMs, measured, onDone);
    ctx.tracker.start(flow);
    sendPrepare(ctx, flow, conditionFor(flow.transferId));
  };
}

export type PartyPool = { readonly idType: string; readonly ids: readonly string[] };

/** Scenario b: lookup -> quote -> transfer, to parties of pool (all owned by pair.payee). */
export class FullFlows implements PayerHooks {
  private readonly lookups = new Map<string, Flow[]>();
  private readonly quotes = new Map<string, Flow>();
  private next = 0;

  constructor(
    private readonly ctx: FlowContext,
    private readonly pair: Pair,
    private readonly pool: PartyPool,
    private readonly payerMsisdn: string,
  ) {}

  readonly starter: Starter = (dueMs, measured, onDone) => {
    const flow = newFlow(this.pair, dueMs, measured, onDone);
    this.ctx.tracker.start(flow);
    const id = this.pool.ids[this.next++ % this.pool.ids.length]!;
    const partyPath = `${this.pool.idType}/${id}`;
    const key = `${flow.payer}|${partyPath}`;
    const waiting = this.lookups.get(key);
    if (waiting) waiting.push(flow);
    else this.lookups.set(key, [flow]);
    const headers = fspiopHeaders('parties', 'GET', flow.payer);
    void this.ctx.client.send('GET', `/parties/${partyPath}`, headers).then((result) => {
      if (result.status === 202) return;
      this.dropLookup(key, flow);
      this.ctx.tracker.fail(flow, failureCode(result.status, result.body), performance.now());
    });
  };

  private dropLookup(key: string, flow: Flow): void {
    const waiting = this.lookups.get(key) ?? [];
    const index = waiting.indexOf(flow);
    if (index >= 0) waiting.splice(index, 1);
  }

  party(payer: string, partyPath: string, body: string | undefined, code: string): void {
    // Identical lookups in flight are answered in order; every answer carries the same party.
    const flow = this.lookups.get(`${payer}|${partyPath}`)?.shift();
    if (flow === undefined) return;
    if (body === undefined) {
      this.ctx.tracker.fail(flow, code, performance.now());
      return;
    }
    const [idType = 'MSISDN', id = ''] = partyPath.split('/');
    const quoteId = randomUUID();
    this.quotes.set(quoteId, flow);
    const headers = fspiopHeaders('quotes', 'POST', flow.payer, flow.payee);
    const request = quoteBody({
      quoteId,
      transactionId: flow.transferId,
      payer: { idType: 'MSISDN', id: this.payerMsisdn, fspId: flow.payer },
      payee: { idType, id, fspId: flow.payee },
      amount: this.ctx.amount,
    });
    void this.ctx.client.send('POST', '/quotes', headers, request).then((result) => {
      if (result.status === 202) return;
      this.quotes.delete(quoteId);
      this.ctx.tracker.fail(flow, failureCode(result.status, result.body), performance.now());
    });
  }

  quote(_payer: string, quoteId: string, body: string | undefined, code: string): void {
    const flow = this.quotes.get(quoteId);
    if (flow === undefined) return;
    this.quotes.delete(quoteId);
    if (body === undefined) {
      this.ctx.tracker.fail(flow, code, performance.now());
      return;
    }
    const condition = (JSON.parse(body) as { condition?: string }).condition ?? '';
    sendPrepare(this.ctx, flow, condition);
  }
}

/** Payer hooks for scenarios without lookups or quotes. */
export const NO_HOOKS: PayerHooks = { party: () => {}, quote: () => {} };
