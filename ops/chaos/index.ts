// The chaos run: a 3-node NATS cluster, the suite's own PostgreSQL, mkondo as separate processes
// (3 workers, a gateway, 2 notifiers) and simulated DFSPs under steady transfer load; then each
// fault in turn, injected under load, held, healed, and drained (every accepted transfer has its
// final callback, or the drain times out). Returns one row per fault for the table, and the
// running system to the caller, which checks the money invariants before calling close().

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  /** Not the faults whose name contains this text (CHAOS_SKIP). */
  readonly skip?: string;
  readonly log: (line: string) => void;
};

export type FaultRow = WindowStats & {
  readonly fault: string;
  readonly drained: boolean;
  readonly crashed: readonly string[];
  /** Processes whose CMD-stream guard stopped them during this fault (JetStream lost commands). */
  readonly guardStopped: readonly string[];
};

export type ChaosRun = {
  readonly rows: readonly FaultRow[];
  /**
   * The fault after which the CMD-stream guard stopped the switch, if one did: the faults after
   * it were not run (the switch waits for an operator's `mkondo realign-streams`).
   */
  readonly stoppedBy: string | undefined;
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
      notifiers: 2,
    });
    cleanups.push(() => sw.stop());
    const load = await startLoad({ ...sw, ratePerSecond: o.ratePerSecond });
    cleanups.push(() => load.stop());
    o.log(`switch up; load ${o.ratePerSecond} transfers/s`);
    const ctx: FaultContext = { cluster, postgres, sw, load, leaseTtlMs: o.leaseTtlMs };
    const rows: FaultRow[] = [];
    const selected = faults(o.leaseTtlMs).filter(
      (f) =>
        (o.long || !f.long) &&
        (o.only === undefined || f.name.includes(o.only)) &&
        (o.skip === undefined || !f.name.includes(o.skip)),
    );
    let stoppedBy: string | undefined;
    for (const fault of selected) {
      const row = await runFault(ctx, fault, o);
      rows.push(row);
      if (row.guardStopped.length > 0) {
        stoppedBy = fault.name;
        o.log(`the CMD-stream guard stopped ${row.guardStopped.join(', ')}: no further faults`);
        break;
      }
    }
    load.stopSending();
    await sleep(o.settleMs);
    if (stoppedBy === undefined) await load.drain(load.nowMs(), o.drainTimeoutMs);
    // The guard confirms a loss over three checks (15 s): it may stop the switch after the row.
    if (stoppedBy === undefined && sw.guardStopped().length > 0) {
      stoppedBy = `${selected.at(-1)?.name ?? 'the run'} (found after its row)`;
      o.log(`the CMD-stream guard stopped ${sw.guardStopped().join(', ')} after the last fault`);
    }
    const urls = cluster.urls;
    return {
      rows,
      stoppedBy,
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
    guardStopped: ctx.sw.guardStopped(),
  };
  o.log(`  ${JSON.stringify(row)}`);
  return row;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));

/** The table RELIABILITY.md carries: one line per fault. */
export function chaosTable(rows: readonly FaultRow[]): string {
  const lines = [
    '| fault | load held (accepted/sent) | committed | failed | longest stall s | ' +
      'recovery after heal s | lost | duplicated | processes crashed | guard stopped the switch |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const held = r.started === 0 ? '-' : `${Math.round((100 * r.accepted) / r.started)} %`;
    lines.push(
      `| ${r.fault} | ${held} (${r.accepted}/${r.started}) | ${r.committed} | ${r.failed} | ` +
        `${seconds(r.longestStallMs)} | ${seconds(r.recoveryMs)} | ${r.missing} | ` +
        `${r.duplicated} | ${r.crashed.length === 0 ? 'none' : r.crashed.length} | ` +
        `${r.guardStopped.length === 0 ? 'no' : `yes (${r.guardStopped.length})`} |`,
    );
  }
  return lines.join('\n');
}
