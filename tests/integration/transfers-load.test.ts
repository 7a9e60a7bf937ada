// Mixed load end to end (issue 4, "Tests"): 2,000 transfers among 4 DFSPs with seeded random
// payees, amounts, payee rejections and expiries, at most 50 in flight, while the worker process
// is SIGKILLed and restarted twice along the way (split layout). Afterwards every transfer has
// exactly one final state in the DB, every payer got exactly one final callback per transfer,
// positions equal a model computed here, and the DESIGN.md §7 invariants hold. SEED=<n> replays.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { decodeJson, encodeJson } from '../../runtime/codec.ts';
import type { DfspSim, PayeeBehaviour, Received } from '../helpers/dfsp-sim.ts';
import { fspiop, type IlpPair, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { checkInvariants, readSnapshots, type Snapshots } from '../helpers/invariants.ts';
import { positionOf } from '../helpers/onboard.ts';
import { explainOf, replayOf } from '../helpers/replay.ts';
import { startWorld, trail, type World, waitUntil } from '../helpers/transfer-world.ts';

const DFSPS = ['dfsp1', 'dfsp2', 'dfsp3', 'dfsp4'];
const TRANSFERS = 2000;
const IN_FLIGHT_MAX = 50;
/** The worker is SIGKILLed and restarted when these many transfers have been sent. */
const RESTART_AFTER = [700, 1400];
const SEED = Number(process.env['SEED'] ?? Date.now() % 2 ** 31);

type Outcome = 'commit' | 'reject' | 'expire';
type Planned = {
  readonly id: string;
  readonly payer: string;
  readonly payee: string;
  readonly cents: number;
  readonly outcome: Outcome;
  readonly pair: IlpPair;
};

/** mulberry32: a small seeded PRNG, so a failing run replays with the same SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function plan(seed: number): Planned[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  return Array.from({ length: TRANSFERS }, (_, i) => {
    const payer = pick(DFSPS);
    const payee = pick(DFSPS.filter((d) => d !== payer));
    const roll = next();
    const outcome: Outcome = roll < 0.8 ? 'commit' : roll < 0.95 ? 'reject' : 'expire';
    const bytes = Buffer.alloc(32);
    for (let b = 0; b < 32; b++) bytes[b] = Math.floor(next() * 256);
    const hex = (seed * TRANSFERS + i).toString(16).padStart(12, '0').slice(-12);
    return {
      id: `00000000-0000-4000-8000-${hex}`,
      payer,
      payee,
      cents: 1 + Math.floor(next() * 10_000),
      outcome,
      pair: ilpPair(bytes),
    };
  });
}

const planned = plan(SEED);
const byId = new Map(planned.map((p) => [p.id, p]));
let world: World;

function payeeAnswer(body: Record<string, unknown>): PayeeBehaviour {
  const p = byId.get(String(body['transferId']));
  if (p === undefined || p.outcome === 'expire') return { kind: 'none' };
  if (p.outcome === 'reject') {
    return { kind: 'reject', errorCode: '5104', errorDescription: 'Payee rejected' };
  }
  return { kind: 'fulfil', fulfilment: p.pair.fulfilment };
}

const finalFor = (id: string) => (r: Received) =>
  r.method === 'PUT' && (r.path === `/transfers/${id}` || r.path === `/transfers/${id}/error`);

/** FSPIOP Amount text of whole cents: no trailing zeros in the fraction. */
function amountText(cents: number): string {
  const fraction = String(cents % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  const units = String(Math.floor(cents / 100));
  return fraction === '' ? units : `${units}.${fraction}`;
}

async function send(p: Planned): Promise<void> {
  const body = prepareBody({
    transferId: p.id,
    payerFsp: p.payer,
    payeeFsp: p.payee,
    amount: amountText(p.cents),
    currency: 'USD',
    condition: p.pair.condition,
    expiresInMs: p.outcome === 'expire' ? 2000 : 120_000,
  });
  const answer = await fspiop(world.switch.fspiopUrl, {
    method: 'POST',
    path: '/transfers',
    source: p.payer,
    destination: p.payee,
    body,
  });
  assert.equal(answer.status, 202, `POST ${p.id}: ${JSON.stringify(answer.body)}`);
  await world.sims[p.payer]?.waitFor(finalFor(p.id), 90_000);
}

/** Sends every planned transfer, at most IN_FLIGHT_MAX awaiting their final callback. */
async function drive(onSent: (count: number) => void): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < planned.length) {
      const p = planned[next++] as Planned;
      onSent(next);
      await send(p);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT_MAX }, lane));
}

describe('FSPIOP transfers under mixed load with worker restarts', { timeout: 300_000 }, () => {
  before(async () => {
    console.log(`transfers-load SEED=${SEED}`);
    world = await startWorld({
      layout: 'split',
      dfsps: DFSPS.map((name) => ({
        name,
        netDebitCap: '10000000',
        fundsIn: '10000000',
        onPrepare: payeeAnswer,
      })),
    });
  });

  after(async () => {
    await world?.stop();
  });

  it('ends every transfer exactly once and keeps the money right', async () => {
    const startedMs = Date.now();
    const restarts: Promise<void>[] = [];
    let sent = 0;
    await drive((count) => {
      sent = count;
      if (!RESTART_AFTER.includes(count)) return;
      const killedMs = Date.now();
      const restarted = restarts.at(-1) ?? Promise.resolve();
      const restart = restarted.then(async () => {
        await world.switch.restartWorker();
        const tookMs = Date.now() - killedMs;
        console.log(`transfers-load: worker restarted in ${tookMs} ms, ${sent} sent by then`);
      });
      restarts.push(restart);
    });
    await Promise.all(restarts);
    assert.equal(restarts.length, RESTART_AFTER.length);
    console.log(`transfers-load: ${TRANSFERS} transfers in ${Date.now() - startedMs} ms`);

    const violations = await checkInvariants({
      databaseUrl: world.databaseUrl,
      adminUrl: world.switch.adminUrl,
      opsUrl: world.switch.opsUrl,
      names: world.names,
      currency: world.currency,
    });
    assert.deepEqual(violations, []);

    assert.deepEqual(wrongFinalStates(await readSnapshots(world.databaseUrl)), []);
    assert.deepEqual(wrongTrails().slice(0, 10), []);
    assert.deepEqual(await positionsAgainstModel(), { ok: true });
  });

  it('replays the run, crashes included, to the same database and explains every position', async () => {
    const report = await replayOf(world);
    console.log(
      `transfers-load: replay of ${report.commands} commands, ${report.actors} actors, ` +
        `${report.outputsMatched} outputs in ${report.tookMs} ms`,
    );
    assert.deepEqual(report.differences.slice(0, 10), []);
    assert.ok(report.commands > TRANSFERS * 4, `${report.commands} commands replayed`);

    for (const name of world.names) {
      const explained = await explainOf(world, name, 'USD');
      const wrong = explained.accounts.filter((a) => !a.ok);
      assert.deepEqual(wrong, [], `${name}: the movements do not sum to the balances`);
      const position = explained.accounts.find((a) => a.ledgerAccountType === 'POSITION');
      if (DFSPS.includes(name)) {
        const cents = Math.round((await positionOf(world.switch.adminUrl, name, 'USD')) * 100);
        assert.equal(position?.sumMinor, BigInt(cents) * 100n, `${name} position history`);
      }
    }

    const victim = planned[0] as Planned;
    await corruptTransfer(victim.id);
    const corrupted = await replayOf(world);
    assert.deepEqual(
      corrupted.differences.map((d) => `${d.kind} ${d.subject}: ${d.detail.split(':')[0]}`),
      [`snapshot transfer/${victim.id}: state differs at $.terms.amountMinor`],
    );
  });
});

/** Adds one minor unit to a transfer's amount behind the switch's back. */
async function corruptTransfer(id: string): Promise<void> {
  const client = new pg.Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string }>(
      `select state::text as state from actor_snapshots where type = 'transfer' and key = $1`,
      [id],
    );
    const state = decodeJson<{ terms: { amountMinor: bigint } }>(rows[0]?.state ?? '{}');
    const terms = { ...state.terms, amountMinor: state.terms.amountMinor + 1n };
    const changed = encodeJson({ ...state, terms });
    await client.query(
      `update actor_snapshots set state = $2::jsonb where type = 'transfer' and key = $1`,
      [id, changed],
    );
  } finally {
    await client.end();
  }
}

function wrongFinalStates(snapshots: Snapshots): string[] {
  return planned.flatMap((p) => {
    const state = snapshots.transfers.get(p.id);
    const expected = p.outcome === 'commit' ? 'committed' : 'aborted';
    return state?.phase === expected ? [] : [`${p.id} ${p.outcome}: ${state?.phase}`];
  });
}

/**
 * What payer and payee must have received for each transfer: exactly one final callback to the
 * payer; the payee gets the POST once, then the hub's COMMITTED or 3303. An expiring transfer
 * may expire before its reservation (e.g. while the worker restarts) and never reach the payee,
 * or be reserved and then expire before the notifier could deliver its POST (a prepare is not
 * delivered past its expiration), in which case the payee hears only the 3303.
 */
function wrongTrails(): string[] {
  return planned.flatMap((p) => {
    const payer = trail(world.sims[p.payer] as DfspSim, p.id);
    // The notifier runs several callbacks per DFSP at once, so a POST forwarded just before
    // the expiry may arrive after the 3303: only that pair is compared without order.
    const received = trail(world.sims[p.payee] as DfspSim, p.id);
    const payee = p.outcome === 'expire' ? received.sort() : received;
    const expected = {
      commit: [['PUT COMMITTED'], ['POST', 'PUT COMMITTED']],
      reject: [['PUT error 5104'], ['POST']],
      expire: [['PUT error 3303'], expiredTrail(payee)],
    }[p.outcome];
    const ok = isDeepStrictEqual([payer, payee], expected);
    return ok ? [] : [`${p.id} ${p.outcome}: payer ${payer.join(',')}; payee ${payee.join(',')}`];
  });
}

/** The payee's trail of an expired transfer when it is one of the three legitimate ones. */
function expiredTrail(payee: readonly string[]): readonly string[] {
  const legitimate = [[], ['PUT error 3303'], ['POST', 'PUT error 3303'].sort()];
  return legitimate.find((t) => isDeepStrictEqual(t, payee)) ?? ['POST', 'PUT error 3303'];
}

/** Each DFSP's position (in cents) against the model: committed amounts out minus in. */
async function positionsAgainstModel() {
  const model = new Map(DFSPS.map((d) => [d, 0]));
  for (const p of planned.filter((t) => t.outcome === 'commit')) {
    model.set(p.payer, (model.get(p.payer) ?? 0) + p.cents);
    model.set(p.payee, (model.get(p.payee) ?? 0) - p.cents);
  }
  const adminUrl = world.switch.adminUrl;
  const read = async () =>
    Promise.all(DFSPS.map(async (d) => Math.round((await positionOf(adminUrl, d, 'USD')) * 100)));
  const expected = DFSPS.map((d) => model.get(d) ?? 0);
  await waitUntil('model positions', async () =>
    (await read()).every((v, i) => v === expected[i]),
  ).catch(() => undefined);
  const actual = await read();
  return isDeepStrictEqual(actual, expected) ? { ok: true } : { expected, actual };
}
