// Runs the audit commands against a test world the way `mkondo replay` / `explain` /
// `conservation` do, in process: its own NATS connection and database pool, the switch's
// settings (tests/helpers/switch.ts starts every switch with PARTITIONS=8 and HUB_NAME=Hub).

import { connect } from '@nats-io/transport-node';
import { loadConfig } from '../../ops/config.ts';
import { type ReplayReport, replayAudit } from '../../ops/replay/audit.ts';
import { explainPosition } from '../../ops/replay/explain.ts';
import { replaySettings } from '../../ops/replay/services.ts';
import { type Db, openDatabase } from '../../runtime/db.ts';

export type AuditTarget = { readonly natsUrl: string; readonly databaseUrl: string };

/** Opens NATS and the database of `target` for `work`, closing both after. */
export async function withAuditServices<T>(
  target: AuditTarget,
  work: (services: { nc: Awaited<ReturnType<typeof connect>>; db: Db }) => Promise<T>,
): Promise<T> {
  const nc = await connect({ servers: target.natsUrl });
  const opened = await openDatabase(target.databaseUrl, '', 2);
  try {
    return await work({ nc, db: opened.db });
  } finally {
    await nc.close();
    await opened.close();
  }
}

export const testSettings = () =>
  replaySettings(loadConfig({ PARTITIONS: '8', HUB_NAME: 'Hub', WORKER_ID: 'replay-test' }));

/** `mkondo replay`, from sequence 1 or from a base database (`--base`). */
export async function replayOf(target: AuditTarget, baseUrl?: string): Promise<ReplayReport> {
  const base = baseUrl === undefined ? undefined : await openDatabase(baseUrl, '', 1);
  try {
    return await withAuditServices(target, ({ nc, db }) =>
      replayAudit({ nc, db, settings: testSettings(), ...(base ? { base: base.db } : {}) }),
    );
  } finally {
    await base?.close();
  }
}

export async function explainOf(target: AuditTarget, dfsp: string, currency: string) {
  return withAuditServices(target, ({ nc, db }) =>
    explainPosition({ nc, db, settings: testSettings(), dfsp, currency }),
  );
}
