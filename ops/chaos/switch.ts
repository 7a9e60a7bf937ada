// mkondo as the chaos suite runs it: `migrate`, then three workers, a gateway and two notifiers as
// separate processes against the NATS cluster (R3 streams and buckets) and the suite's own
// PostgreSQL. Each worker reaches NATS and the database through its own partitioning proxies.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, launch, logTail, type Proc, running, sleep, stopProc } from './processes.ts';
import { type PartitionProxy, startProxy } from './proxy.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'mkondo.js');

export type ChaosWorker = {
  readonly id: string;
  proc: Proc;
  readonly opsPort: number;
  readonly proxies: readonly PartitionProxy[];
  readonly env: NodeJS.ProcessEnv;
};

export type ChaosSwitch = {
  readonly fspiopUrl: string;
  readonly adminUrl: string;
  readonly workers: readonly ChaosWorker[];
  readonly others: readonly Proc[];
  restartWorker(worker: ChaosWorker): Promise<void>;
  /** Any process that exited although the suite did not stop it. */
  crashed(): string[];
  /**
   * Processes whose CMD-stream guard stopped them (runtime/cluster-guard.ts): JetStream lost
   * commands the checkpoints had passed, so they stopped consuming and turned unready.
   */
  guardStopped(): string[];
  stop(): Promise<void>;
};

export type SwitchSettings = {
  readonly dir: string;
  readonly natsPorts: readonly number[];
  readonly databaseUrl: string;
  readonly partitions: number;
  readonly leaseTtlMs: number;
  readonly workers: number;
  readonly notifiers: number;
};

export async function startChaosSwitch(s: SwitchSettings): Promise<ChaosSwitch> {
  const [fspiopPort, adminPort] = [await freePort(), await freePort()];
  const natsUrl = (ports: readonly number[]) => ports.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NATS_URL: natsUrl(s.natsPorts),
    DATABASE_URL: s.databaseUrl,
    FSPIOP_PORT: String(fspiopPort),
    ADMIN_PORT: String(adminPort),
    HOST: '127.0.0.1',
    PARTITIONS: String(s.partitions),
    LEASE_TTL_MS: String(s.leaseTtlMs),
    STREAM_REPLICAS: '3',
    STREAM_MAX_BYTES: String(256 * 1024 ** 2),
    LOG_LEVEL: process.env['CHAOS_LOG_LEVEL'] ?? 'warn',
  };
  const migrate = launch(s.dir, 'migrate', 'node', [BIN, 'migrate'], base);
  await new Promise((resolve) => migrate.child.once('exit', resolve));
  if (migrate.child.exitCode !== 0) throw new Error(`migrate failed:\n${logTail(migrate)}`);
  const others: Proc[] = [];
  const workers: ChaosWorker[] = [];
  try {
    return await startRoles(s, base, others, workers);
  } catch (error) {
    await Promise.all([
      ...workers.map((w) => stopProc(w.proc, 'SIGKILL')),
      ...others.map((p) => stopProc(p, 'SIGKILL')),
    ]);
    for (const w of workers) for (const proxy of w.proxies) await proxy.close();
    throw error;
  }
}

async function startRoles(
  s: SwitchSettings,
  base: NodeJS.ProcessEnv,
  others: Proc[],
  workers: ChaosWorker[],
): Promise<ChaosSwitch> {
  const natsUrl = (ports: readonly number[]) => ports.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const role = async (name: string, command: string, env: NodeJS.ProcessEnv) => {
    const opsPort = await freePort();
    const proc = launch(s.dir, name, 'node', [BIN, command], { ...env, OPS_PORT: String(opsPort) });
    return { proc, opsPort };
  };
  // The gateway first: it creates the streams; the others find them.
  const gateway = await role('gateway', 'gateway', base);
  others.push(gateway.proc);
  await waitReady(gateway.proc, gateway.opsPort);
  const waits: Promise<void>[] = [];
  for (let n = 1; n <= s.notifiers; n++) {
    const notifier = await role(`notifier-${n}`, 'notifier', base);
    others.push(notifier.proc);
    waits.push(waitReady(notifier.proc, notifier.opsPort));
  }
  const dbPort = Number(new URL(s.databaseUrl).port);
  for (let i = 1; i <= s.workers; i++) {
    const proxies = [];
    for (const port of [...s.natsPorts, dbPort]) proxies.push(await startProxy(port));
    const dbUrl = new URL(s.databaseUrl);
    dbUrl.port = String(proxies.at(-1)?.port);
    const id = `chaos-worker-${i}`;
    const env = {
      ...base,
      WORKER_ID: id,
      NATS_URL: natsUrl(proxies.slice(0, -1).map((p) => p.port)),
      DATABASE_URL: dbUrl.toString(),
    };
    const started = await role(id, 'worker', env);
    workers.push({ id, proc: started.proc, opsPort: started.opsPort, proxies, env });
    waits.push(waitReady(started.proc, started.opsPort));
  }
  await Promise.all(waits);
  const stopped = new Set<Proc>();
  return {
    fspiopUrl: `http://127.0.0.1:${base['FSPIOP_PORT']}`,
    adminUrl: `http://127.0.0.1:${base['ADMIN_PORT']}`,
    workers,
    others,
    async restartWorker(worker) {
      stopped.add(worker.proc);
      await stopProc(worker.proc, 'SIGKILL');
      worker.proc = launch(s.dir, worker.id, 'node', [BIN, 'worker'], {
        ...worker.env,
        OPS_PORT: String(worker.opsPort),
      });
      await waitReady(worker.proc, worker.opsPort);
    },
    guardStopped: () =>
      [...others, ...workers.map((w) => w.proc)]
        .filter((p) => logText(p).includes(GUARD_STOPPED))
        .map((p) => p.name),
    crashed: () =>
      [...others, ...workers.map((w) => w.proc)]
        .filter((p) => !running(p) && !stopped.has(p))
        .map((p) => `${p.name} exited (${p.child.exitCode ?? p.child.signalCode}):\n${logTail(p)}`),
    async stop() {
      for (const w of workers) stopped.add(w.proc);
      for (const p of others) stopped.add(p);
      await Promise.all([
        ...workers.map((w) => stopProc(w.proc)),
        ...others.map((p) => stopProc(p)),
      ]);
      for (const w of workers) for (const proxy of w.proxies) await proxy.close();
    },
  };
}

/** What a process logs when its CMD-stream guard stops it (ops/deployment.ts). */
const GUARD_STOPPED = 'CMD stream no longer matches the checkpoints';

function logText(proc: Proc): string {
  try {
    return readFileSync(proc.log, 'utf8');
  } catch {
    return '';
  }
}

/** The status and body of a process's /ready (503 with the reason when it is not ready). */
export async function readiness(opsPort: number): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${opsPort}/ready`);
  return { status: response.status, body: await response.text() };
}

export async function waitReady(proc: Proc, opsPort: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!running(proc)) throw new Error(`${proc.name} exited:\n${logTail(proc)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${opsPort}/ready`);
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${logTail(proc)}`);
}
