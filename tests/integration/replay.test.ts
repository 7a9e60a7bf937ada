// `mkondo replay` against a real switch (issue 16): after committed, rejected and expired
// transfers the replay of the CMD stream rebuilds every snapshot and every output exactly, while
// the switch keeps running; a snapshot changed behind the switch's back, and an outbox row, are
// reported as differences; and the command line exits 1 on them.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrate, openDatabase } from '../../runtime/db.ts';
import type { Received } from '../helpers/dfsp-sim.ts';
import { fspiop, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { conservationGauge, waitQuiescent } from '../helpers/invariants.ts';
import { positionOf } from '../helpers/onboard.ts';
import { explainOf, replayOf } from '../helpers/replay.ts';
import { freshDatabase } from '../helpers/services.ts';
import { startWorld, type World } from '../helpers/transfer-world.ts';

let world: World;
const pair = ilpPair();
const outcomes = new Map<string, 'fulfil' | 'reject' | 'none'>();

async function transfer(id: string, outcome: 'fulfil' | 'reject' | 'none'): Promise<void> {
  outcomes.set(id, outcome);
  const body = prepareBody({
    transferId: id,
    payerFsp: 'payerfsp',
    payeeFsp: 'payeefsp',
    amount: '12.5',
    currency: 'USD',
    condition: pair.condition,
    expiresInMs: outcome === 'none' ? 1500 : 60_000,
  });
  const answer = await fspiop(world.switch.fspiopUrl, {
    method: 'POST',
    path: '/transfers',
    source: 'payerfsp',
    destination: 'payeefsp',
    body,
  });
  assert.equal(answer.status, 202);
  const final = (r: Received) => r.method === 'PUT' && r.path.startsWith(`/transfers/${id}`);
  await world.sims['payerfsp']?.waitFor(final, 20_000);
}

/**
 * Runs the mkondo CLI; answers its exit status and output. Asynchronously: a blocked event
 * loop would leave this process's idle HTTP connections to the switch stale.
 */
async function mkondo(args: readonly string[], env: Record<string, string>) {
  const run = promisify(execFile);
  const options = { env: { PATH: process.env['PATH'], LOG_LEVEL: 'warn', ...env } };
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'ops/cli.ts', ...args],
      options,
    );
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { status: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe('mkondo replay', { timeout: 120_000 }, () => {
  before(async () => {
    world = await startWorld({
      dfsps: ['payerfsp', 'payeefsp'].map((name) => ({
        name,
        netDebitCap: '100000',
        fundsIn: '100000',
        onPrepare: (b: Record<string, unknown>) => {
          const outcome = outcomes.get(String(b['transferId']));
          if (outcome === 'fulfil') return { kind: 'fulfil', fulfilment: pair.fulfilment };
          if (outcome === 'reject') {
            return { kind: 'reject', errorCode: '5104', errorDescription: 'no' };
          }
          return { kind: 'none' };
        },
      })),
    });
    const ids = Array.from({ length: 9 }, (_, i) => `00000000-0000-4000-8000-00000000010${i}`);
    const kinds = ['fulfil', 'reject', 'none'] as const;
    await Promise.all(ids.map((id, i) => transfer(id, kinds[i % 3]!)));
    await waitQuiescent(world.databaseUrl);
  });

  after(async () => {
    await world?.stop();
  });

  it('finds no difference on a clean run, with the switch running', async () => {
    const report = await replayOf(world);
    assert.deepEqual(report.differences, []);
    assert.equal(report.impossible, undefined);
    assert.ok(report.commands > 40, `${report.commands} commands`);
    assert.ok(report.actors >= 12, `${report.actors} actors`);
    assert.ok(report.outputsMatched > 40, `${report.outputsMatched} outputs`);
  });

  it('reports a snapshot changed in the database, naming the actor and the field', async () => {
    await sql(`update actor_snapshots set state = jsonb_set(state, '{isActive}', 'false')
                where type = 'participant' and key = 'payeefsp'`);
    const report = await replayOf(world);
    assert.deepEqual(
      report.differences.map((d) => [d.kind, d.subject, d.detail]),
      [
        [
          'snapshot',
          'participant/payeefsp',
          'state differs at $.isActive: database false, replay true',
        ],
      ],
    );
    const cli = await mkondo(['replay'], {
      NATS_URL: world.natsUrl,
      DATABASE_URL: world.databaseUrl,
      PARTITIONS: '8',
      HUB_NAME: 'Hub',
    });
    assert.equal(cli.status, 1, cli.stderr);
    assert.match(cli.stdout, /^replay: \d+ commands of 8 partitions/);
    assert.match(cli.stdout, /snapshot\tparticipant\/payeefsp\tstate differs at \$\.isActive/);
    await sql(`update actor_snapshots set state = jsonb_set(state, '{isActive}', 'true')
                where type = 'participant' and key = 'payeefsp'`);
  });

  it('reports an outbox row that no command produced', async () => {
    // Above every published_seq, so the worker's prune leaves it; nothing re-publishes it
    // before a takeover.
    await sql(`insert into outbox (partition, source_seq, idx, subject, msg_id, payload)
               values (0, 999999999, 0, 'evt.participant.ghost', '999999999-0', '{}')`);
    const report = await replayOf(world);
    assert.deepEqual(
      report.differences.map((d) => [d.kind, d.subject]),
      [['outbox', 'EVT|999999999-0']],
    );
    await sql(`delete from outbox where msg_id = '999999999-0'`);
  });

  it('explains the payer position: each movement, its cause, and a sum equal to the balance', async () => {
    const explained = await explainOf(world, 'payerfsp', 'USD');
    const position = explained.movements.filter((m) => m.ledgerAccountType === 'POSITION');
    const kinds = position.map((m) => m.command).sort();
    const count = (kind: string) => kinds.filter((k) => k === kind).length;
    assert.equal(count('ReserveFunds'), 9);
    assert.equal(count('CommitReservation'), 3);
    assert.equal(count('ReleaseReservation'), 6);
    const reserve = position.find((m) => m.command === 'ReserveFunds');
    assert.equal(reserve?.reservedDeltaMinor, 125_000n);
    assert.equal(reserve?.postedDeltaMinor, 0n);
    assert.match(reserve?.cause ?? '', /^transfer 00000000-0000-4000-8000-00000000010\d$/);
    for (const m of position.slice(1)) {
      const previous = position[position.indexOf(m) - 1]!;
      assert.equal(m.valueBeforeMinor, previous.valueAfterMinor);
    }
    assert.ok(
      explained.accounts.every((a) => a.ok),
      JSON.stringify(explained.accounts, replacer),
    );
    const positionAccount = explained.accounts.find((a) => a.ledgerAccountType === 'POSITION');
    assert.equal(positionAccount?.sumMinor, 375_000n);
    assert.equal(await positionOf(world.switch.adminUrl, 'payerfsp', 'USD'), 37.5);
    const settlement = explained.movements.filter((m) => m.ledgerAccountType === 'SETTLEMENT');
    assert.deepEqual(
      settlement.map((m) => [m.command, m.postedDeltaMinor]),
      [['RecordFundsIn', -1_000_000_000n]],
    );
  });

  it('read conservation 0, positions against caps and transfers by state', async () => {
    assert.equal(await conservationGauge(world.switch.opsUrl, 'USD'), 0);
    const text = await (await fetch(`${world.switch.opsUrl}/metrics`)).text();
    const line = (name: string) => text.split('\n').find((l) => l.startsWith(name));
    assert.equal(
      line('mkondo_participant_position{participant="payerfsp",currency="USD"}'),
      'mkondo_participant_position{participant="payerfsp",currency="USD"} 37.5',
    );
    assert.equal(
      line('mkondo_participant_net_debit_cap{participant="payerfsp",currency="USD"}'),
      'mkondo_participant_net_debit_cap{participant="payerfsp",currency="USD"} 100000',
    );
    assert.equal(
      line('mkondo_participant_ndc_used_ratio{participant="payerfsp",currency="USD"}'),
      'mkondo_participant_ndc_used_ratio{participant="payerfsp",currency="USD"} 0.0003',
    );
    assert.equal(line('mkondo_transfers{state="aborted"}'), 'mkondo_transfers{state="aborted"} 6');
    assert.equal(line('mkondo_transfers_overdue'), 'mkondo_transfers_overdue 0');
    const outcomes = text.split('\n').filter((l) => l.startsWith('mkondo_transfers_total{'));
    assert.deepEqual(outcomes.sort(), [
      'mkondo_transfers_total{outcome="aborted",reason="ABORTED_ERROR",error_code="5104"} 3',
      'mkondo_transfers_total{outcome="aborted",reason="EXPIRED_RESERVED",error_code="3303"} 3',
      'mkondo_transfers_total{outcome="committed",reason="",error_code=""} 3',
    ]);
    assert.equal(
      line('mkondo_transfer_stage_seconds_count{stage="prepare_to_reserve"}'),
      'mkondo_transfer_stage_seconds_count{stage="prepare_to_reserve"} 9',
    );
    const cli = await mkondo(['conservation'], { DATABASE_URL: world.databaseUrl });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /^USD\tposted sum 0\tin flight 0\t\d+ accounts\tconserved$/m);
  });

  it('answers the position history on the Admin API, paged, summing to the position', async () => {
    const url = `${world.switch.adminUrl}/participants/payerfsp/positions/USD/history`;
    const all = (await (await fetch(url)).json()) as {
      total: number;
      movements: Array<{ command: string; valueAfter: number; reservedChange: number }>;
      accounts: Array<{
        ledgerAccountType: string;
        sumOfChanges: number;
        value: number;
        consistent: boolean;
      }>;
      complete: boolean;
    };
    assert.equal(all.total, 18);
    assert.equal(all.complete, true);
    assert.equal(all.movements.at(-1)?.valueAfter, 37.5);
    assert.deepEqual(
      all.accounts.map((a) => [a.ledgerAccountType, a.sumOfChanges, a.value, a.consistent]),
      [['POSITION', 37.5, 37.5, true]],
    );
    const page = (await (await fetch(`${url}?offset=2&limit=3`)).json()) as typeof all;
    assert.deepEqual(page.movements, all.movements.slice(2, 5));
    const future = (await (
      await fetch(`${url}?fromDateTime=2999-01-01T00:00:00Z`)
    ).json()) as typeof all;
    assert.equal(future.total, 0);
    const bad = await fetch(`${url}?limit=abc`);
    assert.equal(bad.status, 400);
    assert.equal(
      ((await bad.json()) as { errorInformation: { errorCode: string } }).errorInformation
        .errorCode,
      '3101',
    );
    const unknown = await fetch(
      `${world.switch.adminUrl}/participants/nobodyfsp/positions/USD/history`,
    );
    assert.equal(
      ((await unknown.json()) as { errorInformation: { errorCode: string } }).errorInformation
        .errorCode,
      '3200',
    );
  });

  it('replays from a base (a backup) only the commands after its checkpoints', async () => {
    const backup = await freshDatabase();
    try {
      await copyForBackup(world.databaseUrl, backup.url);
      const ids = Array.from({ length: 3 }, (_, i) => `00000000-0000-4000-8000-00000000020${i}`);
      await Promise.all(ids.map((id) => transfer(id, 'fulfil')));
      await waitQuiescent(world.databaseUrl);
      const full = await replayOf(world);
      const fromBase = await replayOf(world, backup.url);
      assert.deepEqual(fromBase.differences, []);
      assert.deepEqual(full.differences, []);
      assert.ok(
        fromBase.commands > 0 && fromBase.commands < full.commands / 2,
        `${fromBase.commands} of ${full.commands}`,
      );
    } finally {
      await backup.drop();
    }
  });
});

const replacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v);

/** What a backup holds: the runtime's tables of one moment (one repeatable-read read). */
async function copyForBackup(fromUrl: string, toUrl: string): Promise<void> {
  const opened = await openDatabase(toUrl, '', 1);
  await migrate(opened);
  await opened.close();
  const from = new pg.Client({ connectionString: fromUrl });
  const to = new pg.Client({ connectionString: toUrl });
  await Promise.all([from.connect(), to.connect()]);
  try {
    await from.query('begin isolation level repeatable read read only');
    const tables = [
      'actor_snapshots',
      'partition_checkpoints',
      'applied_commands',
      'switch_settings',
    ];
    for (const table of tables) {
      const { rows } = await from.query(`select * from ${table}`);
      for (const row of rows) {
        const columns = Object.keys(row);
        const values = columns.map((c) => (c === 'state' ? JSON.stringify(row[c]) : row[c]));
        const marks = columns.map((_, i) => `$${i + 1}`).join(', ');
        await to.query(`insert into ${table} (${columns.join(', ')}) values (${marks})`, values);
      }
    }
    await from.query('commit');
  } finally {
    await Promise.all([from.end(), to.end()]);
  }
}
