// Real services for integration tests. NATS: each test file gets its own nats-server process on a
// free port with a temporary store (isolated streams, and process control for failure tests);
// without a nats-server binary, a NATS container through testcontainers. PostgreSQL: a fresh
// database per call on the server named by DATABASE_URL (or the local default when it answers),
// else a PostgreSQL container. When none of these is possible the harness says what is missing.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function portAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

function hasBinary(name: string): boolean {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function dockerAvailable(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

export type NatsServer = {
  readonly url: string;
  readonly port: number;
  /** The server process, for failure tests (SIGSTOP/SIGKILL); absent for containers. */
  readonly process?: ChildProcess;
  stop(): Promise<void>;
};

/** Starts an isolated JetStream server for one test file. */
export async function startNats(): Promise<NatsServer> {
  if (hasBinary('nats-server')) return spawnNatsServer();
  if (dockerAvailable()) return natsContainer();
  throw new Error(
    'integration tests need NATS: install nats-server (apt-get install nats-server / brew ' +
      'install nats-server) or run a Docker engine for testcontainers',
  );
}

async function spawnNatsServer(): Promise<NatsServer> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'mkondo-nats-'));
  const child = spawn(
    'nats-server',
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    {
      stdio: 'ignore',
    },
  );
  for (let attempt = 0; attempt < 100 && !(await portAnswers('127.0.0.1', port)); attempt++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

async function natsContainer(): Promise<NatsServer> {
  const { GenericContainer } = await import('testcontainers');
  const container = await new GenericContainer('nats:2.12')
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .start();
  const port = container.getMappedPort(4222);
  return {
    url: `nats://${container.getHost()}:${port}`,
    port,
    async stop() {
      await container.stop();
    },
  };
}

let postgresBase: Promise<string> | undefined;

async function resolvePostgres(): Promise<string> {
  if (process.env['DATABASE_URL']) return process.env['DATABASE_URL'];
  if (await portAnswers('127.0.0.1', 5432)) return DEFAULT_DATABASE_URL;
  if (dockerAvailable()) {
    const { GenericContainer } = await import('testcontainers');
    const container = await new GenericContainer('postgres:16')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' })
      .withExposedPorts(5432)
      .start();
    return `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/test`;
  }
  throw new Error(
    'integration tests need PostgreSQL: set DATABASE_URL, start one on 127.0.0.1:5432, or run a ' +
      'Docker engine for testcontainers',
  );
}

export type TestDatabase = { readonly url: string; drop(): Promise<void> };

/** Creates an empty database for one test file; drop() removes it. */
export async function freshDatabase(): Promise<TestDatabase> {
  postgresBase ??= resolvePostgres();
  const base = new URL(await postgresBase);
  const name = `mkondo_t_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
