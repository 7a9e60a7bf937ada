// A settlement world for end-to-end tests: one mkondo on real NATS and PostgreSQL, DFSPs that
// fulfil every prepare they receive, helpers to add a currency under its own settlement model, to
// send a committed transfer, and to drive the Settlement API (/v2 on the Admin port).

import assert from 'node:assert/strict';
import { fspiop, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { checkInvariants } from '../helpers/invariants.ts';

export { walletIlpPacket } from '../helpers/ilp-packet.ts';

import { DfspSim } from '../helpers/dfsp-sim.ts';
import { accountsOf, adminExpect, fundsIn, onboardDfsp } from '../helpers/onboard.ts';
import { startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

const fulfilments = new Map<string, string>();

function fulfilAll(body: Record<string, unknown>) {
  const fulfilment = fulfilments.get(String(body['condition']));
  return fulfilment === undefined
    ? ({ kind: 'none' } as const)
    : ({ kind: 'fulfil', fulfilment } as const);
}

export async function startSettlementWorld(names: readonly string[]): Promise<World> {
  return startWorld({
    dfsps: names.map((name) => ({
      name,
      netDebitCap: '100000',
      fundsIn: '100000',
      onPrepare: fulfilAll,
    })),
  });
}

/**
 * Onboards more DFSPs (fulfilling every prepare) into a running world, in its currency; the
 * world answered includes them, and stops their simulators with the rest.
 */
export async function addDfsps(world: World, names: readonly string[]): Promise<World> {
  const sims = { ...world.sims };
  for (const name of names) {
    const sim = new DfspSim({ name, switchUrl: world.switch.fspiopUrl, onPrepare: fulfilAll });
    sims[name] = sim;
    await sim.start();
    const adminUrl = world.switch.adminUrl;
    const setup = { name, netDebitCap: '100000', fundsIn: '100000', currency: world.currency };
    await onboardDfsp({ ...setup, adminUrl, endpointBase: sim.url });
  }
  const stop = async () => {
    await Promise.all(names.map((name) => sims[name]?.stop()));
    await world.stop();
  };
  return { ...world, sims, names: [...world.names, ...names], stop };
}

export type ModelPlan = {
  readonly name: string;
  readonly currency?: string;
  readonly delay?: 'DEFERRED' | 'IMMEDIATE';
  readonly granularity?: 'NET' | 'GROSS';
  readonly ledgerAccountType?: string;
  readonly settlementAccountType?: string;
  readonly autoPositionReset?: boolean;
  readonly requireLiquidityCheck?: boolean;
};

export async function createModel(world: World, plan: ModelPlan): Promise<void> {
  const gross = plan.granularity === 'GROSS';
  await adminExpect(world.switch.adminUrl, 201, 'POST', '/settlementModels', {
    name: plan.name,
    settlementGranularity: plan.granularity ?? 'NET',
    settlementInterchange: gross ? 'BILATERAL' : 'MULTILATERAL',
    settlementDelay: plan.delay ?? 'DEFERRED',
    ...(plan.currency === undefined ? {} : { currency: plan.currency }),
    requireLiquidityCheck: plan.requireLiquidityCheck ?? true,
    ledgerAccountType: plan.ledgerAccountType ?? 'POSITION',
    autoPositionReset: plan.autoPositionReset ?? !gross,
    settlementAccountType: plan.settlementAccountType ?? 'SETTLEMENT',
  });
}

/** Hub accounts, a model of its own, and every DFSP funded in `currency`. */
export async function addCurrency(
  world: World,
  currency: string,
  model: ModelPlan,
  dfsps: readonly string[],
): Promise<void> {
  const url = world.switch.adminUrl;
  for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
    await adminExpect(url, 201, 'POST', `/participants/${world.hubName}/accounts`, {
      type,
      currency,
    });
  }
  await createModel(world, { ...model, currency });
  for (const name of dfsps) {
    await adminExpect(url, 201, 'POST', '/participants', { name, currency });
    await adminExpect(url, 201, 'POST', `/participants/${name}/initialPositionAndLimits`, {
      currency,
      limit: { type: 'NET_DEBIT_CAP', value: 100000 },
      initialPosition: 0,
    });
    await fundsIn(url, name, currency, '100000');
  }
}

/** Sends one transfer and waits until the payer heard COMMITTED. */
export async function transfer(
  world: World,
  terms: { payer: string; payee: string; amount: string; currency: string; ilpPacket?: string },
): Promise<string> {
  const pair = ilpPair();
  fulfilments.set(pair.condition, pair.fulfilment);
  const body = prepareBody({
    payerFsp: terms.payer,
    payeeFsp: terms.payee,
    amount: terms.amount,
    currency: terms.currency,
    condition: pair.condition,
  });
  if (terms.ilpPacket !== undefined) body['ilpPacket'] = terms.ilpPacket;
  const id = String(body['transferId']);
  const answer = await fspiop(world.switch.fspiopUrl, {
    method: 'POST',
    path: '/transfers',
    source: terms.payer,
    destination: terms.payee,
    body,
  });
  assert.equal(answer.status, 202);
  const sim = world.sims[terms.payer];
  assert.ok(sim);
  await waitUntil(
    `transfer ${id} committed`,
    () =>
      sim.received.some(
        (r) =>
          r.method === 'PUT' &&
          r.path === `/transfers/${id}` &&
          (r.body as { transferState?: string }).transferState === 'COMMITTED',
      ),
    30_000,
  );
  return id;
}

export type WindowAnswer = {
  readonly id: number;
  readonly settlementWindowId: number;
  readonly state: string;
  readonly content: readonly { ledgerAccountType: string; currencyId: string; state: string }[];
};

export type AccountAnswer = {
  readonly id: number;
  readonly state: string;
  readonly netSettlementAmount: { readonly amount: number; readonly currency: string };
  readonly errorInformation?: { readonly errorCode: string; readonly errorDescription: string };
};

export type SettlementAnswer = {
  readonly id: number;
  readonly state: string;
  readonly settlementWindows: readonly WindowAnswer[];
  readonly participants: readonly { id: number; accounts: readonly AccountAnswer[] }[];
  readonly errorInformation?: { readonly errorCode: string; readonly errorDescription: string };
};

/** One Settlement API call that must answer `status`; the body typed by the caller. */
export async function settlementApi<T = SettlementAnswer>(
  world: World,
  status: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  return (await adminExpect(world.switch.adminUrl, status, method, `/v2${path}`, body)) as T;
}

export async function openWindowId(world: World): Promise<number> {
  const open = await settlementApi<WindowAnswer[]>(
    world,
    200,
    'GET',
    '/settlementWindows?state=OPEN',
  );
  assert.equal(open.length, 1);
  return open[0]?.settlementWindowId ?? 0;
}

export async function closeOpenWindow(world: World): Promise<number> {
  const id = await openWindowId(world);
  const next = await settlementApi<WindowAnswer>(world, 200, 'POST', `/settlementWindows/${id}`, {
    state: 'CLOSED',
    reason: 'end of day',
  });
  assert.equal(next.state, 'OPEN');
  assert.equal(next.settlementWindowId, id + 1);
  return id;
}

/** Account values of a participant in a currency, by ledger account type, as numbers. */
export async function balances(world: World, name: string, currency: string) {
  const out: Record<string, number> = {};
  for (const a of await accountsOf(world.switch.adminUrl, name)) {
    if (a.currency === currency) out[a.ledgerAccountType] = a.value;
  }
  return out;
}

/** Steps every account of the settlement to `state`, one PUT per account as TTK does. */
export async function stepAll(
  world: World,
  settlementId: number,
  state: string,
): Promise<SettlementAnswer> {
  const settlement = await settlementApi(world, 200, 'GET', `/settlements/${settlementId}`);
  let last = settlement;
  for (const p of settlement.participants) {
    for (const a of p.accounts) {
      last = await settlementApi(world, 200, 'PUT', `/settlements/${settlementId}`, {
        participants: [{ id: p.id, accounts: [{ id: a.id, state, reason: `to ${state}` }] }],
      });
      const stepped = accountIn(last, p.id, a.id);
      assert.equal(stepped.errorInformation, undefined, JSON.stringify(stepped));
      assert.equal(stepped.state, state);
    }
  }
  return last;
}

export function accountIn(s: SettlementAnswer, participantId: number, accountId: number) {
  const account = s.participants
    .find((p) => p.id === participantId)
    ?.accounts.find((a) => a.id === accountId);
  assert.ok(account, `account ${accountId} of ${participantId} in settlement ${s.id}`);
  return account;
}

/** `<participantId>/<currency>` -> [account state, net amount]; asserts the nets sum to zero. */
export function netsOf(settlement: SettlementAnswer): Record<string, [string, number]> {
  const rows = settlement.participants.flatMap((p) =>
    p.accounts.map((a): [string, [string, number]] => [
      `${p.id}/${a.netSettlementAmount.currency}`,
      [a.state, a.netSettlementAmount.amount],
    ]),
  );
  assert.equal(
    rows.reduce((sum, [, [, amount]]) => sum + amount, 0),
    0,
  );
  return Object.fromEntries(rows);
}

/** Participant ids by name; account ids are participantId * 100 + sequence. */
export async function participantIds(world: World, names: readonly string[]) {
  const ids: Record<string, number> = {};
  for (const name of names) {
    const [first] = await accountsOf(world.switch.adminUrl, name);
    ids[name] = Math.floor((first?.id ?? 0) / 100);
  }
  return ids;
}

/** DESIGN.md §7 invariants for each currency, once nothing is in flight. */
export async function invariantsHold(world: World, currencies: readonly string[]) {
  for (const currency of currencies) {
    const { databaseUrl, names } = world;
    const check = {
      databaseUrl,
      adminUrl: world.switch.adminUrl,
      names,
      currency,
      opsUrl: world.switch.opsUrl,
    };
    assert.deepEqual(await checkInvariants(check), []);
  }
}

/**
 * Asserts the participant's account values in `currency` (only the types given), polling first:
 * a payer hears COMMITTED once the transfer's commit is durable, and the postings it causes on
 * the payer's and payee's accounts land a moment later.
 */
export async function expectBalances(
  world: World,
  name: string,
  currency: string,
  expected: Readonly<Record<string, number>>,
): Promise<void> {
  const pick = async () => {
    const all = await balances(world, name, currency);
    return Object.fromEntries(Object.keys(expected).map((type) => [type, all[type]]));
  };
  await waitUntil(`${name} ${currency} balances`, async () => {
    const now = await pick();
    return Object.entries(expected).every(([type, value]) => now[type] === value);
  }).catch(() => undefined);
  assert.deepEqual(await pick(), expected);
}
