// Starts the roles of one process (DESIGN.md §1): gateway (FSPIOP + Admin APIs), worker (actor
// host) and notifier (callback delivery), sharing one NATS connection and one database pool, plus
// the ops server (/health, /ready, /metrics). SIGTERM/SIGINT stop them in reverse order: stop
// accepting requests, let the worker finish its batch and release its leases, drain NATS.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { HubSettings } from '../actors/actor.ts';
import { ACTORS } from '../actors/index.ts';
import { createAdminApp } from '../gateway/admin/app.ts';
import { createFspiopApp } from '../gateway/fspiop/app.ts';
import { bodyLimitFault, type EdgeLimits } from '../gateway/fspiop/edge.ts';
import type { ServiceProbe } from '../gateway/health.ts';
import {
  DbStateReader,
  ensureStreams,
  KvDirectory,
  migrate,
  NatsCommandBus,
  type OpenedDatabase,
  openDatabase,
  startWorker,
} from '../runtime/index.ts';
import { loadHubSigner, startNotifier } from '../runtime/notifier/index.ts';
import type { Config } from './config.ts';
import { logger } from './logger.ts';
import { judgeNatsVersion } from './nats-version.ts';
import { createOpsApp, type ReadinessCheck } from './ops-server.ts';

export type Role = 'gateway' | 'worker' | 'notifier';

type Stoppable = { readonly name: string; stop(): Promise<void> };

export function hubSettings(config: Config): HubSettings {
  return {
    hubName: config.HUB_NAME,
    onUsTransfers: config.ENABLE_ON_US_TRANSFERS,
    confirmToPayee: config.SEND_TRANSFER_CONFIRMATION_TO_PAYEE,
  };
}

export async function openConfiguredDatabase(config: Config): Promise<OpenedDatabase> {
  const pgliteDir = join(config.DATA_DIR, 'pglite');
  if (config.DATABASE_URL === undefined) mkdirSync(pgliteDir, { recursive: true });
  return openDatabase(config.DATABASE_URL, pgliteDir);
}

export async function migrateOnly(config: Config): Promise<void> {
  const opened = await openConfiguredDatabase(config);
  try {
    await migrate(opened);
    logger.info({ database: opened.kind }, 'migrations applied');
  } finally {
    await opened.close();
  }
}

async function connectNats(config: Config): Promise<NatsConnection> {
  const nc = await connect({
    servers: config.NATS_URL.split(','),
    name: `mkondo-${config.WORKER_ID}`,
    maxReconnectAttempts: -1,
    // Every JetStream publish is a request; with async traces on, each one captures two Error
    // stacks up front. That was 7.5 % of a switch process's CPU under load (--cpu-prof).
    noAsyncTraces: true,
  });
  const version = nc.info?.version ?? '0.0.0';
  const verdict = judgeNatsVersion(version, config.MKONDO_ENV === 'production');
  if (verdict.kind === 'refuse') {
    await nc.close();
    throw new Error(verdict.message);
  }
  if (verdict.kind === 'warn') logger.warn({ version }, verdict.message);
  logger.info({ version, servers: config.NATS_URL }, 'connected to NATS');
  return nc;
}

function listen(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  host: string,
  port: number,
): Stoppable & { server: ServerType } {
  const server = serve({ fetch: app.fetch, hostname: host, port });
  return {
    name: `http:${port}`,
    server,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs the given roles until SIGTERM/SIGINT. */
export async function runRoles(
  config: Config,
  roles: readonly Role[],
  migrateFirst: boolean,
): Promise<void> {
  const hub = hubSettings(config);
  const nc = await connectNats(config);
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, {
    maxAgeMs: config.STREAM_MAX_AGE_DAYS * 86_400_000,
    replicas: config.STREAM_REPLICAS,
  });
  const opened = await openConfiguredDatabase(config);
  if (migrateFirst) await migrate(opened);

  const stoppables: Stoppable[] = [];
  const probes: ServiceProbe[] = [
    { name: 'broker', probe: () => pingNats(nc) },
    { name: 'datastore', probe: () => pingDatabase(opened) },
  ];
  const checks: ReadinessCheck[] = probes.map(({ name, probe }) => ({
    name,
    check: async () => ({ ok: await probe() }),
  }));

  if (roles.includes('worker')) {
    const worker = await startWorker({
      nc,
      db: opened.db,
      actors: ACTORS,
      hub,
      partitions: config.PARTITIONS,
      leaseTtlMs: config.LEASE_TTL_MS,
      batchSizeMax: config.BATCH_SIZE_MAX,
      actorCacheMax: config.ACTOR_CACHE_MAX,
      stallAfterMs: config.PARTITION_STALL_MS,
      workerId: config.WORKER_ID,
      log: logger.child({ role: 'worker' }),
    });
    stoppables.push({ name: 'worker', stop: () => worker.stop() });
    checks.push({
      name: 'worker',
      check: () => {
        const status = worker.status();
        return status.ready ? { ok: true } : { ok: false, detail: status.reason ?? 'not ready' };
      },
    });
  }

  const directory =
    roles.includes('gateway') || roles.includes('notifier')
      ? await KvDirectory.open(
          nc,
          ACTORS.filter((a) => a.directoryEntry).map((a) => a.type),
        )
      : undefined;
  if (directory) stoppables.push({ name: 'directory', stop: async () => directory.close() });

  if (roles.includes('notifier') && directory) {
    const notifier = await startNotifier({
      nc,
      directory,
      // Undeliverable relayed messages go back to their actors, which tell the sender.
      bus: new NatsCommandBus(nc, { partitions: config.PARTITIONS }),
      hub: { hubName: hub.hubName },
      defaultVersion: config.CALLBACK_VERSION,
      perDfspInFlightMax: config.CALLBACK_INFLIGHT_PER_DFSP,
      retryHorizonMs: config.CALLBACK_RETRY_HORIZON_S * 1000,
      ...(config.JWS_SIGNING_KEY_PATH
        ? { signer: await loadHubSigner(config.JWS_SIGNING_KEY_PATH) }
        : {}),
      log: logger.child({ role: 'notifier' }),
    });
    stoppables.push({ name: 'notifier', stop: () => notifier.stop() });
  }

  if (roles.includes('gateway') && directory) {
    const bus = new NatsCommandBus(nc, { partitions: config.PARTITIONS });
    const reader = new DbStateReader(opened.db);
    const edge = edgeLimits(config, nc);
    const fspiop = createFspiopApp({ bus, directory, hub, health: probes, edge });
    const admin = createAdminApp({
      bus,
      reader,
      directory,
      hub,
      health: probes,
      edge,
      ...(config.ADMIN_TOKEN ? { adminToken: config.ADMIN_TOKEN } : {}),
    });
    stoppables.push(listen(fspiop, config.HOST, config.FSPIOP_PORT));
    stoppables.push(listen(admin, config.HOST, config.ADMIN_PORT));
    logger.info({ fspiop: config.FSPIOP_PORT, admin: config.ADMIN_PORT }, 'gateway listening');
  }

  stoppables.push(listen(createOpsApp(checks), config.HOST, config.OPS_PORT));
  logger.info({ roles, ops: config.OPS_PORT, database: opened.kind }, 'mkondo started');

  await waitForSignal();
  logger.info('stopping');
  // Reverse order: HTTP first, then notifier, worker (finishes its batch, releases leases).
  for (const stoppable of stoppables.reverse()) {
    await stoppable
      .stop()
      .catch((error: unknown) => logger.error({ err: error, part: stoppable.name }, 'stop failed'));
  }
  await nc.drain();
  await opened.close();
  logger.info('stopped');
}

/** The gateway's body limit and timeout; refuses a limit the broker could not carry. */
function edgeLimits(config: Config, nc: NatsConnection): EdgeLimits {
  const fault = bodyLimitFault(config.HTTP_BODY_BYTES_MAX, nc.info?.max_payload ?? 1024 * 1024);
  if (fault) throw new Error(fault);
  return { bodyBytesMax: config.HTTP_BODY_BYTES_MAX, requestTimeoutMs: config.REQUEST_TIMEOUT_MS };
}

const PING_TIMEOUT_MS = 2000;

async function pingNats(nc: NatsConnection): Promise<boolean> {
  if (nc.isClosed()) return false;
  const timeout = new Promise<boolean>((resolve) =>
    setTimeout(() => resolve(false), PING_TIMEOUT_MS).unref(),
  );
  return Promise.race([
    nc.rtt().then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}

async function pingDatabase(opened: OpenedDatabase): Promise<boolean> {
  try {
    await opened.db.execute('select 1');
    return true;
  } catch {
    return false;
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}
