// The switch under hostile input, end to end over HTTP against a real NATS and PostgreSQL (or an
// already running switch: FUZZ_TARGET=http://127.0.0.1:3000 FUZZ_ADMIN_TARGET=http://...:3001).
// The NUL-byte lookup that once stalled a partition is refused at the edge; oversized bodies get
// their answer before the connection closes; and a seeded campaign of FUZZ_N mutated requests
// (printed FUZZ_SEED replays it) gets an answer for every request within a bound, no 5xx but the
// documented overload answers, no position moved, and a transfer still commits in every partition.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  commitInEveryPartition,
  type FuzzTarget,
  positions,
  runCampaign,
  type Stage,
  stageCampaign,
} from '../helpers/fuzz-campaign.ts';
import { rawRequest } from '../helpers/fuzz-http.ts';
import {
  freshDatabase,
  type NatsServer,
  startNats,
  type TestDatabase,
} from '../helpers/services.ts';
import { type RunningSwitch, startSwitch } from '../helpers/switch.ts';
import { waitUntil } from '../helpers/transfer-world.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? randomInt(2 ** 31));
const COUNT = Number(process.env['FUZZ_N'] ?? 1000);
const TARGET = process.env['FUZZ_TARGET'];
const REQUEST_TIMEOUT_MS = 3000;
/** Every answer within the switch's request timeout plus a generous margin for a loaded CI box. */
const ANSWER_BOUND_MS = Number(process.env['FUZZ_ANSWER_MS'] ?? 20_000);

console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_N=${COUNT}${TARGET ? ` FUZZ_TARGET=${TARGET}` : ''}`);

function targetFromEnv(fspiopUrl: string): FuzzTarget {
  const url = new URL(fspiopUrl);
  const adminUrl =
    process.env['FUZZ_ADMIN_TARGET'] ?? `${url.protocol}//${url.hostname}:${Number(url.port) + 1}`;
  return {
    fspiopUrl,
    adminUrl,
    partitions: Number(process.env['FUZZ_PARTITIONS'] ?? 16),
    hubName: process.env['FUZZ_HUB_NAME'] ?? 'Hub',
    currency: 'USD',
  };
}

function headersFor(resource: string, stage: Stage): Array<[string, string]> {
  const media = `application/vnd.interoperability.${resource}+json;version=1.1`;
  return [
    ['content-type', media],
    ['accept', media],
    ['date', new Date().toUTCString()],
    ['fspiop-source', stage.cast.payer],
    ['fspiop-destination', stage.cast.payee],
  ];
}

describe('the switch under hostile input', () => {
  let nats: NatsServer | undefined;
  let db: TestDatabase | undefined;
  let running: RunningSwitch | undefined;
  let target: FuzzTarget;
  let stage: Stage;

  before(async () => {
    if (TARGET) {
      target = targetFromEnv(TARGET);
    } else {
      [nats, db] = await Promise.all([startNats(), freshDatabase()]);
      running = await startSwitch({
        natsUrl: nats.url,
        databaseUrl: db.url,
        env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), PARTITIONS: '8' },
      });
      target = { ...targetFromEnv(running.fspiopUrl), adminUrl: running.adminUrl, partitions: 8 };
    }
    stage = await stageCampaign(target, SEED);
  });

  after(async () => {
    await stage?.stop();
    await running?.stop();
    await nats?.stop();
    await db?.drop();
  });

  it('refuses GET /parties/MSISDN/2352830786/%00 at the edge, naming the SubId', async () => {
    const answer = await rawRequest(
      new URL(target.fspiopUrl),
      {
        method: 'GET',
        path: '/parties/MSISDN/2352830786/%00',
        headers: headersFor('parties', stage),
      },
      ANSWER_BOUND_MS,
    );
    assert.deepEqual(answer.kind === 'answer' ? [answer.status, JSON.parse(answer.body)] : answer, [
      400,
      {
        errorInformation: {
          errorCode: '3101',
          errorDescription: 'Malformed syntax - /params/SubId must not contain control characters',
        },
      },
    ]);
  });

  it('answers a 6 MiB POST /transfers and a 200,000-character field before closing', async () => {
    const big = Buffer.from(
      JSON.stringify({ transferId: 'x', ilpPacket: 'A'.repeat(6 * 1024 * 1024) }),
    );
    const field = Buffer.from(JSON.stringify({ quoteId: 'x', note: 'n'.repeat(200_000) }));
    const cases = [
      { path: '/transfers', resource: 'transfers', body: big },
      { path: '/quotes', resource: 'quotes', body: field },
    ];
    for (const { path, resource, body } of cases) {
      const headers = headersFor(resource, stage);
      const answer = await rawRequest(
        new URL(target.fspiopUrl),
        { method: 'POST', path, headers, body },
        ANSWER_BOUND_MS,
      );
      assert.equal(answer.kind, 'answer', JSON.stringify(answer));
      if (answer.kind !== 'answer') continue;
      assert.equal(answer.status, 400);
      assert.equal(JSON.parse(answer.body).errorInformation.errorCode, '3104');
    }
  });

  it(`answers ${COUNT} mutated requests, moves no position, and every partition commits`, async () => {
    const before = await positions(target);
    const report = await runCampaign(target, stage, {
      seed: SEED,
      count: COUNT,
      concurrency: Number(process.env['FUZZ_CONCURRENCY'] ?? 8),
      answerBoundMs: ANSWER_BOUND_MS,
    });
    console.log(
      `fuzz: ${JSON.stringify({ seed: SEED, ...report, violations: report.violations.length })}`,
    );
    for (const finding of report.violations.slice(0, 20))
      console.log(`fuzz finding: ${JSON.stringify(finding)}`);
    assert.deepEqual(report.violations, []);
    // Fuzzed prepares that were accepted expire unfulfilled: positions come back once they do.
    await waitUntil(
      'positions back',
      async () => JSON.stringify(await positions(target)) === JSON.stringify(before),
      30_000,
    ).catch(() => undefined);
    assert.deepEqual(await positions(target), before);
    assert.deepEqual(await commitInEveryPartition(target, stage), []);
  });
});
