// The chaos run: a 3-node NATS cluster, the suite's own PostgreSQL, mkondo as separate processes
// (3 workers, a gateway, 2 notifiers) and simulated DFSPs under steady transfer load; then each
// fault in turn, injected under load, held, healed, and drained (every accepted transfer has its
// final callback, or the drain times out). Returns one row per fault for the table, and the
// running system to the caller, which checks the money invariants before calling close().

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVersions } from '../nats-version.ts';
import { type Fault, type FaultContext, faults } from './faults.ts';
import { type Load, startLoad, type WindowStats } from './load.ts';
import { type NatsCluster, startNatsCluster } from './nats-cluster.ts';
import { type Postgres, startPostgres } from './postgres.ts';
import { sleep } from './processes.ts';
import { type ChaosSwitch, startChaosSwitch } from './switch.ts';

export type ChaosOptions = {
  readonly long: boolean;
  readonly ratePerSecond: number;
  readonly leaseTtlMs: number;
  readonly partitions: number;
  /** Load before the fault and after its heal, in each window. */
  readonly settleMs: number;
  readonly drainTimeoutMs: number;
  /** Only faults whose name contains this text (CHAOS_ONLY). */
  readonly only?: string;
  readonly log: (line: string) => void;
};

export type FaultRow = WindowStats & {
  readonly fault: string;
  readonly drained: boolean;
  readonly crashed: readonly string[];
};

export type ChaosRun = {
  readonly rows: readonly FaultRow[];
  readonly dir: string;
  readonly databaseUrl: string;
  readonly adminUrl: string;
  readonly natsUrls: readonly string[];
  readonly sw: ChaosSwitch;
  readonly load: Load;
  close(): Promise<void>;
};

export async function runChaos(o: ChaosOptions): Promise<ChaosRun> {
  const dir = mkdtempSync(join(tmpdir(), 'mkondo-chaos-'));
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (!process.env['CHAOS_KEEP']) rmSync(dir, { recursive: true, force: true });
  };
  try {
    o.log(`chaos run folder (logs): ${dir}`);
    const cluster: NatsCluster = await startNatsCluster(dir);
    cleanups.push(() => cluster.stop());
    const postgres: Postgres = await startPostgres(dir);
    cleanups.push(() => postgres.stop());
    const sw = await startChaosSwitch({
      dir,
      natsPorts: cluster.nodes.map((n) => n.port),
      databaseUrl: postgres.url,
      partitions: o.partitions,
      leaseTtlMs: o.leaseTtlMs,
      workers: 3,
      notifiers: notifierCount(o.log),
    });
    cleanups.push(() => sw.stop());
    const load = await startLoad({ ...sw, ratePerSecond: o.ratePerSecond });
    cleanups.push(() => load.stop());
    o.log(`switch up; load ${o.ratePerSecond} transfers/s`);
    const ctx: FaultContext = { cluster, postgres, sw, load, leaseTtlMs: o.leaseTtlMs };
    const rows: FaultRow[] = [];
    const selected = faults(o.leaseTtlMs).filter(
      (f) => (o.long || !f.long) && (o.only === undefined || f.name.includes(o.only)),
    );
    for (const fault of selected) rows.push(await runFault(ctx, fault, o));
    load.stopSending();
    await sleep(o.settleMs);
    await load.drain(load.nowMs(), o.drainTimeoutMs);
    const urls = cluster.urls;
    return {
      rows,
      dir,
      databaseUrl: postgres.url,
      adminUrl: sw.adminUrl,
      natsUrls: urls,
      sw,
      load,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Two notifiers, except on a NATS server older than 2.10: there a second notifier cannot start,
 * because creating the existing consumer with a new start time is refused ("start time can not
 * be updated") rather than answered "already exists" (reported to the notifier's owner).
 */
function notifierCount(log: (line: string) => void): number {
  const version = execFileSync('nats-server', ['--version'], { encoding: 'utf8' }).split('v')[1];
  if (compareVersions(version ?? '0', '2.10.0') >= 0) return 2;
  log(`nats-server ${version?.trim()}: one notifier (a second cannot start before NATS 2.10)`);
  return 1;
}

async function runFault(ctx: FaultContext, fault: Fault, o: ChaosOptions): Promise<FaultRow> {
  const { load } = ctx;
  const fromMs = load.nowMs();
  await sleep(o.settleMs);
  o.log(`fault: ${fault.name}`);
  const heal = await fault.inject(ctx);
  await sleep(fault.holdMs);
  await heal();
  const healedMs = load.nowMs();
  await sleep(o.settleMs);
  const toMs = load.nowMs();
  const drained = await load.drain(toMs, o.drainTimeoutMs);
  const row = {
    fault: fault.name,
    ...load.window(fromMs, toMs, healedMs),
    drained,
    crashed: ctx.sw.crashed(),
  };
  o.log(`  ${JSON.stringify(row)}`);
  return row;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));

/** The table RELIABILITY.md carries: one line per fault. */
export function chaosTable(rows: readonly FaultRow[]): string {
  const lines = [
    '| fault | load held (accepted/sent) | committed | failed | longest stall s | ' +
      'recovery after heal s | lost | duplicated | processes crashed |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const held = r.started === 0 ? '-' : `${Math.round((100 * r.accepted) / r.started)} %`;
    lines.push(
      `| ${r.fault} | ${held} (${r.accepted}/${r.started}) | ${r.committed} | ${r.failed} | ` +
        `${seconds(r.longestStallMs)} | ${seconds(r.recoveryMs)} | ${r.missing} | ` +
        `${r.duplicated} | ${r.crashed.length === 0 ? 'none' : r.crashed.length} |`,
    );
  }
  return lines.join('\n');
}
