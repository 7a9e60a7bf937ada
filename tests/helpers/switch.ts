// A running mkondo for end-to-end tests: `mkondo dev` (or separate role processes) as child
// processes against a real NATS and a real PostgreSQL, on free ports, waiting for /ready. Tests talk
// to it only over HTTP, the way a DFSP and an operator would.

import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './services.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type SwitchOptions = {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  /** Extra environment (PARTITIONS, LEASE_TTL_MS, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment of one role's process only (`gateway`, `worker`, `notifier`, `dev`). */
  readonly roleEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** `dev` runs every role in one process; `split` runs gateway+notifier and a separate worker. */
  readonly layout?: 'dev' | 'split';
};

export type RunningSwitch = {
  readonly fspiopUrl: string;
  readonly adminUrl: string;
  readonly opsUrl: string;
  /** Kills (SIGKILL) and restarts the worker process; in `dev` layout, the whole switch. */
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
};

type Proc = { child: ChildProcess; opsPort: number; output: string[] };

function spawnRole(role: string, env: NodeJS.ProcessEnv, opsPort: number): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ops/cli.ts', role], {
    cwd: ROOT,
    env: { ...env, OPS_PORT: String(opsPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, opsPort, output };
}

async function waitReady(proc: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`mkondo exited with ${proc.child.exitCode}:\n${proc.output.join('')}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${proc.opsPort}/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`mkondo not ready after ${timeoutMs} ms:\n${proc.output.join('')}`);
}

async function stopProc(proc: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((r) => proc.child.once('exit', r));
  proc.child.kill(signal);
  await exited;
}

export async function startSwitch(options: SwitchOptions): Promise<RunningSwitch> {
  const [fspiopPort, adminPort, opsPort, workerOpsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NATS_URL: options.natsUrl,
    DATABASE_URL: options.databaseUrl,
    FSPIOP_PORT: String(fspiopPort),
    ADMIN_PORT: String(adminPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    PARTITIONS: '8',
    LEASE_TTL_MS: '2000',
    ...options.env,
  };
  const split = options.layout === 'split';
  if (split) {
    const migrate = spawnRole('migrate', env, await freePort());
    await new Promise((r) => migrate.child.once('exit', r));
  }
  const envOf = (role: string): NodeJS.ProcessEnv => ({ ...env, ...options.roleEnv?.[role] });
  const front = spawnRole(split ? 'gateway' : 'dev', envOf(split ? 'gateway' : 'dev'), opsPort);
  const procs: Proc[] = [front];
  let notifier: Proc | undefined;
  let worker: Proc | undefined;
  if (split) {
    notifier = spawnRole('notifier', envOf('notifier'), await freePort());
    worker = spawnRole('worker', envOf('worker'), workerOpsPort);
    procs.push(notifier, worker);
  }
  await Promise.all(procs.map((proc) => waitReady(proc)));
  let current = { front, worker };
  return {
    fspiopUrl: `http://127.0.0.1:${fspiopPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    opsUrl: `http://127.0.0.1:${opsPort}`,
    async restartWorker() {
      if (current.worker) {
        await stopProc(current.worker, 'SIGKILL');
        const next = spawnRole('worker', envOf('worker'), workerOpsPort);
        await waitReady(next);
        current = { ...current, worker: next };
        return;
      }
      await stopProc(current.front, 'SIGKILL');
      const next = spawnRole('dev', envOf('dev'), opsPort);
      await waitReady(next);
      current = { ...current, front: next };
    },
    async stop() {
      const all = [current.front, current.worker, notifier].filter((p): p is Proc => !!p);
      await Promise.all(all.map((proc) => stopProc(proc)));
    },
  };
}
