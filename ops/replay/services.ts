// The connections an audit command (replay, explain, conservation) opens: NATS with the
// deployment's namespace and credentials, and the database. Audits never create streams,
// consumers other than ordered ones, or tables: they read.

import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ACTORS } from '../../actors/index.ts';
import type { Db } from '../../runtime/db.ts';
import { configureNamespace } from '../../runtime/names.ts';
import { CMD_STREAM, DUPLICATE_WINDOW_MS } from '../../runtime/streams.ts';
import { DEFAULTS } from '../../runtime/worker.ts';
import type { Config } from '../config.ts';
import { hubSettings, openConfiguredDatabase } from '../roles.ts';
import { natsSecurityOptions } from '../security-wiring.ts';
import type { ReplaySettings } from './engine.ts';

export type AuditServices = {
  readonly nc: NatsConnection;
  readonly db: Db;
  readonly settings: ReplaySettings;
  close(): Promise<void>;
};

export async function openAuditServices(config: Config): Promise<AuditServices> {
  configureNamespace(config.NATS_NAMESPACE);
  const opened = await openConfiguredDatabase(config);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: config.NATS_URL.split(','),
      name: `mkondo-audit-${config.WORKER_ID}`,
      ...natsSecurityOptions(config),
    });
  } catch (error) {
    await opened.close();
    throw error;
  }
  return {
    nc,
    db: opened.db,
    settings: replaySettings(config, await duplicateWindowOf(nc)),
    async close() {
      await nc.close();
      await opened.close();
    },
  };
}

/** The CMD stream's duplicate window, as a worker reads it (runtime/worker.ts). */
async function duplicateWindowOf(nc: NatsConnection): Promise<number> {
  try {
    const info = await (await jetstreamManager(nc)).streams.info(CMD_STREAM);
    return info.config.duplicate_window / 1e6;
  } catch {
    // No stream yet: nothing to replay, and the streams are created with the default.
    return DUPLICATE_WINDOW_MS;
  }
}

/** The settings every worker runs with, as the replay must. */
export function replaySettings(
  config: Config,
  duplicateWindowMs = DUPLICATE_WINDOW_MS,
): ReplaySettings {
  return {
    partitions: config.PARTITIONS,
    actors: new Map(ACTORS.map((a) => [a.type, a])),
    hub: hubSettings(config),
    haltingTypes: new Set(DEFAULTS.haltingTypes),
    appliedKeepSeqs: DEFAULTS.appliedKeepSeqs,
    // As the driver derives it from the CMD stream's window (runtime/driver.ts).
    firstCopyWithinMs: duplicateWindowMs / 2,
  };
}
