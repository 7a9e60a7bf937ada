// What a result means depends on where it ran: CPU time per process (utime + stime from
// /proc/<pid>/stat, before and after a window), the machine (CPU model, cores, RAM), the versions
// of Node, NATS and PostgreSQL, and the durability settings (JetStream storage and sync,
// PostgreSQL fsync and synchronous_commit read with SHOW).

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import pg from 'pg';

const TICKS_PER_SECOND = 100;

export type Watched = { readonly name: string; readonly pids: () => number[] };

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Every PostgreSQL server process (shared with anything else using the server). */
export function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export type CpuSample = Record<string, number>;

export function sampleCpu(watched: readonly Watched[]): CpuSample {
  const sample: CpuSample = {};
  for (const w of watched) sample[w.name] = w.pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  return sample;
}

/** Percent of one core per process over the window between two samples. */
export function cpuPercent(before: CpuSample, after: CpuSample, seconds: number): CpuSample {
  const percent: CpuSample = {};
  for (const [name, end] of Object.entries(after)) {
    // A process that exits between samples (a PostgreSQL backend) takes its ticks with it.
    const used = Math.max(0, end - (before[name] ?? 0));
    percent[name] = Math.round((used / seconds) * 1000) / 10;
  }
  return percent;
}

export type Environment = {
  readonly cpuModel: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly node: string;
  readonly nats: string;
  readonly postgres: string;
  readonly durability: string;
};

function natsVersion(): string {
  try {
    return execFileSync('nats-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function describeEnvironment(databaseUrl: string): Promise<Environment> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const show = async (name: string) =>
    ((await client.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[name] ?? '?';
  try {
    const fsync = await show('fsync');
    const synchronousCommit = await show('synchronous_commit');
    return {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      ramGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      nats: natsVersion(),
      postgres: await show('server_version'),
      durability:
        'JetStream file storage, R1, default sync (flush every 2 min, no per-message fsync); ' +
        `PostgreSQL fsync=${fsync}, synchronous_commit=${synchronousCommit}`,
    };
  } finally {
    await client.end();
  }
}
