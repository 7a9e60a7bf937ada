// Starts the roles of one process (DESIGN.md §1): gateway (FSPIOP + Admin APIs), worker (actor
// host) and notifier (callback delivery), sharing one NATS connection and one database pool, plus
// the ops server (/health, /ready, /metrics). SIGTERM/SIGINT stop them in reverse order: stop
// accepting requests, let the worker finish its batch and release its leases, drain NATS.

import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { HubSettings } from '../actors/actor.ts';
import { ACTORS } from '../actors/index.ts';
import { createAdminApp } from '../gateway/admin/app.ts';
import { createFspiopApp } from '../gateway/fspiop/app.ts';
import { answerClientErrors } from '../gateway/fspiop/client-errors.ts';
import { bodyLimitFault, bulkLimitFault, type EdgeLimits } from '../gateway/fspiop/edge.ts';
import type { ServiceProbe } from '../gateway/health.ts';
import { isoRenderer } from '../gateway/iso20022/render.ts';
import {
  DbStateReader,
  KvDirectory,
  migrate,
  NatsCommandBus,
  type OpenedDatabase,
  openDatabase,
  startWorker,
} from '../runtime/index.ts';
import { configureNamespace } from '../runtime/names.ts';
import { loadHubSigner, startNotifier } from '../runtime/notifier/index.ts';
import type { Config } from './config.ts';
import { prepareDeployment, watchDeployment } from './deployment.ts';
import { registerLedgerMetrics } from './ledger-metrics.ts';
import { logger } from './logger.ts';
import { judgeNatsVersion } from './nats-version.ts';
import { createOpsApp, type ReadinessCheck } from './ops-server.ts';
import { allowedRanges } from './security-config.ts';
import {
  adminSecurityOf,
  fspiopSecurityOf,
  fspiopTls,
  natsSecurityOptions,
} from './security-wiring.ts';
import { startTelemetry } from './telemetry.ts';
import { tracedPorts } from './traced-ports.ts';
import { meteredPorts } from './transfer-metrics.ts';

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
    ...natsSecurityOptions(config),
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
  tls?: ReturnType<typeof fspiopTls>,
): Stoppable & { server: ServerType } {
  const server = serve({ fetch: app.fetch, hostname: host, port, ...tls });
  answerClientErrors(server as Server);
  server.once('error', (error: NodeJS.ErrnoException) => {
    // A port already taken (a second `make run`) is a setting to change, not a crash to debug.
    const why = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
    process.stderr.write(`mkondo: cannot listen on ${host}:${port}: ${why}\n`);
    process.exit(1);
  });
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
  const telemetry = await startTelemetry(process.env, `mkondo-${roles.join('-')}`);
  configureNamespace(config.NATS_NAMESPACE);
  const nc = await connectNats(config);
  // Creating R3 streams on a busy cluster can take longer than the client's 5 s default.
  const jsm = await jetstreamManager(nc, { timeout: 20_000 });
  const opened = await openConfiguredDatabase(config);
  if (migrateFirst) await migrate(opened);
  const db = opened.db;
  await prepareDeployment({ config, nc, jsm, db, worker: roles.includes('worker'), log: logger });

  const stoppables: Stoppable[] = [];
  const probes: ServiceProbe[] = [
    { name: 'broker', probe: () => pingNats(nc) },
    { name: 'datastore', probe: () => pingDatabase(opened) },
  ];
  const checks: ReadinessCheck[] = probes.map(({ name, probe }) => ({
    name,
    check: async () => ({ ok: await probe() }),
  }));

  let stopConsuming = async () => {};
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
      wrapPorts: (ports, partition) => {
        const metered = meteredPorts(ports);
        return telemetry ? tracedPorts(metered, partition) : metered;
      },
    });
    let workerStopped: Promise<void> | undefined;
    const stopWorker = () => {
      workerStopped ??= worker.stop();
      return workerStopped;
    };
    stoppables.push({ name: 'worker', stop: stopWorker });
    stopConsuming = stopWorker;
    checks.push({
      name: 'worker',
      check: () => {
        const status = worker.status();
        return status.ready ? { ok: true } : { ok: false, detail: status.reason ?? 'not ready' };
      },
    });
  }

  const watch = watchDeployment({ config, jsm, db, log: logger, stopConsuming });
  stoppables.push({ name: 'stream watch', stop: async () => watch.stop() });
  checks.push({
    name: 'cmd-stream',
    check: () => {
      const problem = watch.problem();
      return problem === undefined ? { ok: true } : { ok: false, detail: problem };
    },
  });

  const directory =
    roles.includes('gateway') || roles.includes('notifier')
      ? await KvDirectory.open(
          nc,
          ACTORS.filter((a) => a.directoryEntry).map((a) => a.type),
          { replicas: config.STREAM_REPLICAS },
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
      // Each callback in its receiver's API type: FSPIOP or ISO 20022 (issue 15).
      render: isoRenderer(hub.hubName),
      defaultVersion: config.CALLBACK_VERSION,
      perDfspInFlightMax: config.CALLBACK_INFLIGHT_PER_DFSP,
      retryHorizonMs: config.CALLBACK_RETRY_HORIZON_S * 1000,
      http: { allowedRanges: allowedRanges(config) },
      ...(config.JWS_SIGNING_KEY_PATH
        ? { signer: await loadHubSigner(config.JWS_SIGNING_KEY_PATH, config.JWS_SIGNING_KEY_ID) }
        : {}),
      log: logger.child({ role: 'notifier' }),
    });
    stoppables.push({ name: 'notifier', stop: () => notifier.stop() });
  }

  if (roles.includes('gateway') && directory) {
    const bus = new NatsCommandBus(nc, { partitions: config.PARTITIONS });
    const reader = new DbStateReader(opened.db);
    const edge = edgeLimits(config, nc);
    const security = fspiopSecurityOf(config);
    const fspiop = createFspiopApp({ bus, directory, hub, health: probes, edge, security });
    const admin = createAdminApp({
      bus,
      reader,
      directory,
      hub,
      health: probes,
      edge,
      security: adminSecurityOf(config, opened.db),
      positionHistory: async (dfsp, currency) => {
        const { explainPosition } = await import('./replay/explain.ts');
        const { replaySettings } = await import('./replay/services.ts');
        const settings = replaySettings(config);
        return explainPosition({ nc, db: opened.db, settings, dfsp, currency });
      },
    });
    stoppables.push(listen(fspiop, config.HOST, config.FSPIOP_PORT, fspiopTls(config)));
    stoppables.push(listen(admin, config.HOST, config.ADMIN_PORT));
    registerLedgerMetrics(opened.db, config.LEDGER_METRICS_REFRESH_MS);
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
  await telemetry?.shutdown();
  await opened.close();
  logger.info('stopped');
}

/** The gateway's body limit and timeout; refuses a limit the broker could not carry. */
function edgeLimits(config: Config, nc: NatsConnection): EdgeLimits {
  const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
  const fault =
    bodyLimitFault(config.HTTP_BODY_BYTES_MAX, maxPayload) ??
    bulkLimitFault(config.BULK_BODY_BYTES_MAX, maxPayload);
  if (fault) throw new Error(fault);
  return {
    bodyBytesMax: config.HTTP_BODY_BYTES_MAX,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    bulkBodyBytesMax: config.BULK_BODY_BYTES_MAX,
  };
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
