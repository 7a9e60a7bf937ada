// Everything the benchmark runs against, started fresh and isolated for each run: a nats-server
// with JetStream on a free port and a temporary store, a new PostgreSQL database, and mkondo
// itself as child processes (`dev`, or `migrate` then gateway + notifier + N workers). Each
// process logs to a file in the run's temp folder; a process that dies early fails the run
// with the tail of its log. stop() undoes everything, in reverse order.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sleep } from './loadgen.ts';

export const POSTGRES_BASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type Proc = { readonly name: string; readonly child: ChildProcess; readonly log: string };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(300, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function launch(
  dir: string,
  name: string,
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): Proc {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(command, args, { stdio: ['ignore', fd, fd], env: env ?? process.env });
  return { name, child, log };
}

async function stopProc(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export type NatsService = { readonly url: string; readonly proc: Proc; readonly storeDir: string };

export async function startNats(dir: string): Promise<NatsService> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'mkondo-bench-js-'));
  const proc = launch(dir, 'nats-server', 'nats-server', [
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    '-js',
    '-sd',
    storeDir,
  ]);
  for (let i = 0; i < 200 && !(await portAnswers(port)); i++) {
    if (proc.child.exitCode !== null) throw new Error(`nats-server exited:\n${tail(proc.log)}`);
    await sleep(50);
  }
  return { url: `nats://127.0.0.1:${port}`, proc, storeDir };
}

export type Database = { readonly url: string; readonly name: string; drop(): Promise<void> };

export async function createDatabase(baseUrl = POSTGRES_BASE_URL): Promise<Database> {
  const name = `mkondo_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export type MkondoCluster = {
  readonly fspiopUrl: string;
  readonly adminUrl: string;
  /** OPS ports of every process, for /metrics. */
  readonly opsUrls: readonly string[];
  readonly procs: readonly Proc[];
  readonly partitions: number;
};

/** Extra node flags for mkondo, e.g. BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p'. */
const NODE_ARGS = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');

/** The mkondo entry point to benchmark; BENCH_MKONDO_BIN points at another build to compare. */
const BIN =
  process.env['BENCH_MKONDO_BIN'] ?? join(import.meta.dirname, '..', '..', 'bin', 'mkondo.js');

/** Starts mkondo (dev, or gateway + notifier + workers) and waits for every /ready. */
export async function startMkondo(o: {
  dir: string;
  natsUrl: string;
  databaseUrl: string;
  workers: number;
  partitions: number;
  /** Extra settings (scenario s: mTLS and JWS); FSPIOP_AUTH=mtls makes the FSPIOP URL https. */
  env?: NodeJS.ProcessEnv;
}): Promise<MkondoCluster> {
  const [fspiopPort, adminPort] = [await freePort(), await freePort()];
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NATS_URL: o.natsUrl,
    DATABASE_URL: o.databaseUrl,
    FSPIOP_PORT: String(fspiopPort),
    ADMIN_PORT: String(adminPort),
    HOST: '127.0.0.1',
    PARTITIONS: String(o.partitions),
    LOG_LEVEL: 'warn',
    ...o.env,
  };
  const roles =
    o.workers === 0 ? ['dev'] : ['gateway', 'notifier', ...Array(o.workers).fill('worker')];
  if (o.workers > 0)
    await runToEnd(launch(o.dir, 'migrate', 'node', [...NODE_ARGS, BIN, 'migrate'], base));
  const procs: Proc[] = [];
  const opsUrls: string[] = [];
  for (const [index, role] of roles.entries()) {
    const opsPort = await freePort();
    const name = role === 'worker' ? `worker-${index - 1}` : role;
    const env = { ...base, OPS_PORT: String(opsPort), WORKER_ID: `bench-${name}` };
    procs.push(launch(o.dir, `mkondo-${name}`, 'node', [...NODE_ARGS, BIN, role], env));
    opsUrls.push(`http://127.0.0.1:${opsPort}`);
  }
  const cluster = {
    fspiopUrl: `${base['FSPIOP_AUTH'] === 'mtls' ? 'https' : 'http'}://127.0.0.1:${fspiopPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    opsUrls,
    procs,
    partitions: o.partitions,
  };
  try {
    await Promise.all(procs.map((proc, i) => waitReady(proc, opsUrls[i]!)));
  } catch (error) {
    await stopAll(procs);
    throw error;
  }
  return cluster;
}

async function runToEnd(proc: Proc): Promise<void> {
  const code = await new Promise<number | null>((resolve) => proc.child.once('exit', resolve));
  if (code !== 0) throw new Error(`${proc.name} exited with ${code}:\n${tail(proc.log)}`);
}

async function waitReady(proc: Proc, opsUrl: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${tail(proc.log)}`);
    }
    try {
      const response = await fetch(`${opsUrl}/ready`);
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${tail(proc.log)}`);
}

export async function stopAll(procs: readonly Proc[]): Promise<void> {
  for (const proc of [...procs].reverse()) await stopProc(proc);
}

export async function stopNats(nats: NatsService): Promise<void> {
  await stopProc(nats.proc);
  rmSync(nats.storeDir, { recursive: true, force: true });
}

export function newRunDir(): string {
  return mkdtempSync(join(tmpdir(), 'mkondo-bench-'));
}

export { tail as logTail };
