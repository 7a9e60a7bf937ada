// A fuzz campaign against a running switch, over HTTP only, so it runs the same against the one
// a test starts and against `make run` (FUZZ_TARGET): onboard a payer, a payee and a sacrificial
// participant with simulated DFSPs, take every position, send FUZZ_N mutated requests drawn
// from FUZZ_SEED, judge each answer, then check that positions are back where they were and a
// valid transfer still commits in every partition.

import { randomUUID } from 'node:crypto';
import { partitionOf } from '../../runtime/partition.ts';
import { DfspSim } from './dfsp-sim.ts';
import { fspiop, ilpPair, prepareBody } from './fspiop-client.ts';
import { rawRequest } from './fuzz-http.ts';
import { mutate } from './fuzz-mutate.ts';
import { seededRng } from './fuzz-random.ts';
import { baseRequest, type FuzzCast, type FuzzRequest } from './fuzz-routes.ts';
import { admin, onboardDfsp } from './onboard.ts';

export type FuzzTarget = {
  readonly fspiopUrl: string;
  readonly adminUrl: string;
  readonly partitions: number;
  readonly hubName: string;
  readonly currency: string;
};

export type FuzzOptions = {
  readonly seed: number;
  readonly count: number;
  readonly concurrency: number;
  /** Every request must be answered within this many ms. */
  readonly answerBoundMs: number;
};

export type FuzzFinding = {
  readonly index: number;
  readonly request: string;
  readonly mutations: readonly string[];
  readonly answer: string;
};

export type FuzzReport = {
  readonly sent: number;
  /** `status code` → count, e.g. `400 3101`, `202 -`, `431 bare` (refused by Node's parser). */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly violations: readonly FuzzFinding[];
  readonly slowestMs: number;
};

export type Stage = {
  readonly cast: FuzzCast;
  readonly sims: readonly DfspSim[];
  /** Transfer ids the payee fulfils (the verification transfers); all others expire. */
  readonly fulfilling: Map<string, string>;
  stop(): Promise<void>;
};

/** Hub accounts and a default model may already exist on a shared switch: 201 or 400 are fine. */
async function ensureHub(target: FuzzTarget): Promise<void> {
  for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
    await admin(target.adminUrl, 'POST', `/participants/${target.hubName}/accounts`, {
      type,
      currency: target.currency,
    });
  }
  const { DEFAULT_SETTLEMENT_MODEL } = await import('../../ops/onboarding.ts');
  await admin(target.adminUrl, 'POST', '/settlementModels', DEFAULT_SETTLEMENT_MODEL);
}

export async function stageCampaign(target: FuzzTarget, seed: number): Promise<Stage> {
  const tag = `${seed.toString(36).padStart(7, '0')}${Date.now().toString(36).slice(-5)}`;
  const fulfilling = new Map<string, string>();
  const onPrepare = (body: Record<string, unknown>) => {
    const fulfilment = fulfilling.get(String(body['transferId']));
    return fulfilment ? { kind: 'fulfil' as const, fulfilment } : { kind: 'none' as const };
  };
  const names = { payer: `fz${tag}a`, payee: `fz${tag}b`, sacrificial: `fz${tag}x` };
  const roles = [names.payer, names.payee, names.sacrificial];
  const sims = roles.map((name) => new DfspSim({ name, switchUrl: target.fspiopUrl, onPrepare }));
  await Promise.all(sims.map((sim) => sim.start()));
  await ensureHub(target);
  for (const [index, sim] of sims.entries()) {
    await onboardDfsp({
      adminUrl: target.adminUrl,
      name: roles[index] ?? '',
      currency: target.currency,
      netDebitCap: '1000000',
      fundsIn: '1000000',
      endpointBase: sim.url,
    });
  }
  const cast: FuzzCast = {
    ...names,
    model: `fz${tag}m`,
    currency: target.currency,
    nowMs: Date.now,
  };
  return {
    cast,
    sims,
    fulfilling,
    stop: async () => {
      await Promise.all(sims.map((sim) => sim.stop()));
    },
  };
}

function judge(answer: Awaited<ReturnType<typeof rawRequest>>): { outcome: string; bad?: string } {
  if (answer.kind === 'none') return { outcome: 'none', bad: `no answer: ${answer.reason}` };
  let code = 'bare';
  try {
    code =
      (JSON.parse(answer.body) as { errorInformation?: { errorCode?: string } }).errorInformation
        ?.errorCode ?? (answer.status < 300 ? '-' : 'bare');
  } catch {
    code = answer.status < 300 ? '-' : 'bare';
  }
  const outcome = `${answer.status} ${code}`;
  // The documented overload answers: 503/2003 (at capacity) and 500/2004 (timed out).
  const overload = outcome === '503 2003' || outcome === '500 2004';
  if (answer.status >= 500 && !overload)
    return { outcome, bad: `${outcome} ${answer.body.slice(0, 200)}` };
  return { outcome };
}

export async function runCampaign(
  target: FuzzTarget,
  stage: Stage,
  options: FuzzOptions,
): Promise<FuzzReport> {
  const rng = seededRng(options.seed);
  const outcomes: Record<string, number> = {};
  const violations: FuzzFinding[] = [];
  let next = 0;
  let slowestMs = 0;
  const worker = async () => {
    while (next < options.count) {
      const index = next++;
      const request: FuzzRequest = mutate(baseRequest(rng, stage.cast), rng);
      const base = new URL(request.api === 'fspiop' ? target.fspiopUrl : target.adminUrl);
      const answer = await rawRequest(base, request, options.answerBoundMs);
      slowestMs = Math.max(slowestMs, answer.ms);
      const { outcome, bad } = judge(answer);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (bad) {
        violations.push({
          index,
          request: request.label,
          mutations: request.mutations,
          answer: bad,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { sent: options.count, outcomes, violations, slowestMs };
}

/** The POSITION value per participant and currency, as the Admin API shows them. */
export async function positions(target: FuzzTarget): Promise<Record<string, number>> {
  const list = (await admin(target.adminUrl, 'GET', '/participants')).body as Array<{
    name: string;
  }>;
  const values: Record<string, number> = {};
  for (const { name } of list) {
    const answer = await admin(target.adminUrl, 'GET', `/participants/${name}/positions`);
    for (const p of answer.body as Array<{ currency: string; value: number }>) {
      values[`${name} ${p.currency}`] = p.value;
    }
  }
  return values;
}

/** One transfer per partition from payer to payee, fulfilled; resolves with those not committed. */
export async function commitInEveryPartition(
  target: FuzzTarget,
  stage: Stage,
  timeoutMs = 30_000,
): Promise<number[]> {
  const ids = new Map<number, string>();
  while (ids.size < target.partitions) {
    const id = randomUUID();
    ids.set(partitionOf('transfer', id, target.partitions), id);
  }
  const [payerSim] = stage.sims;
  const pending = [...ids.entries()].map(async ([partition, transferId]) => {
    const pair = ilpPair();
    stage.fulfilling.set(transferId, pair.fulfilment);
    const { payer, payee, currency } = stage.cast;
    const body = prepareBody({
      payerFsp: payer,
      payeeFsp: payee,
      amount: '1',
      currency,
      condition: pair.condition,
      transferId,
    });
    const posted = await fspiop(target.fspiopUrl, {
      method: 'POST',
      path: '/transfers',
      source: payer,
      destination: payee,
      body,
    });
    if (posted.status !== 202) return partition;
    const committed = await payerSim
      ?.waitFor(
        (r) =>
          r.method === 'PUT' &&
          r.path.endsWith(`/transfers/${transferId}`) &&
          (r.body as { transferState?: string })?.transferState === 'COMMITTED',
        timeoutMs,
      )
      .then(
        () => true,
        () => false,
      );
    return committed ? undefined : partition;
  });
  return (await Promise.all(pending)).filter((p): p is number => p !== undefined);
}
