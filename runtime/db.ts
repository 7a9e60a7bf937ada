// Opening the system-of-record database and applying the checked-in migrations. A URL means a
// PostgreSQL-wire server (PostgreSQL in CI, CockroachDB in production) through a `pg` pool; no URL
// means the embedded PGlite in a data folder, so a laptop needs nothing but a nats-server.
// withRetry() re-runs a transaction that CockroachDB aborted with SQLSTATE 40001 (serialization).
// executeNamed() runs the statements of every batch as server-side prepared statements on `pg`.

import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as tables from '../schema/db/tables.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof tables>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type OpenedDatabase = {
  readonly db: Db;
  readonly kind: 'pg' | 'pglite';
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../schema/db/migrations', import.meta.url));

export async function openDatabase(
  url: string | undefined,
  pgliteDir: string,
  poolMax = 10,
): Promise<OpenedDatabase> {
  if (url !== undefined) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const pool = new pg.Pool({ connectionString: url, max: poolMax });
    // An idle connection dropped by the server (restart, failover, a dropped test database) is
    // reported here; unhandled it would crash the process. The pool discards that client and the
    // next query connects anew; a database that stays down shows in the readiness probe.
    pool.on('error', () => {});
    const db = drizzle(pool, { schema: tables }) as unknown as Db;
    const dialect = new PgDialect();
    namedRunners.set(db, (name, query) => {
      const { sql: text, params } = dialect.sqlToQuery(query);
      return pool.query({ name, text, values: params });
    });
    return { db, kind: 'pg', close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = new PGlite(pgliteDir);
  const db = drizzle(client, { schema: tables }) as unknown as Db;
  return { db, kind: 'pglite', close: () => client.close() };
}

/** Applies schema/db/migrations with the migrator of the driver behind `opened`. */
export async function migrate(opened: OpenedDatabase): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (opened.kind === 'pg') {
    const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
    await run(opened.db as never, config);
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(opened.db as never, config);
  }
}

type Rows = { readonly rows: ReadonlyArray<Record<string, unknown>> };
const namedRunners = new WeakMap<object, (name: string, query: SQL) => Promise<Rows>>();

/**
 * Runs `query` as the prepared statement `name` where the driver allows it (a `pg` pool: the
 * server parses and plans it once per connection instead of on every batch, about half of a batch
 * statement's cost), else as a plain statement (PGlite, inside a transaction). The statement's
 * text must be the same on every call under one name: only its parameters vary.
 */
export async function executeNamed(db: Db | Tx, name: string, query: SQL): Promise<Rows> {
  const run = namedRunners.get(db);
  if (run !== undefined) return run(name, query);
  return (await db.execute(query)) as unknown as Rows;
}

const RETRY_MAX = 10;

function isSerializationFailure(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '40001') return true;
  }
  return false;
}

/** Runs `work` in a transaction, retrying (bounded, with backoff) on SQLSTATE 40001. */
export async function withRetry<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return retryOnSerialization(() => db.transaction(work));
}

/** Re-runs `attempt` (one statement or one transaction) when CockroachDB aborts it with 40001. */
export async function retryOnSerialization<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSerializationFailure(error) || n >= RETRY_MAX) throw error;
      await new Promise((r) => setTimeout(r, 5 * 2 ** Math.min(n, 6)));
    }
  }
}
