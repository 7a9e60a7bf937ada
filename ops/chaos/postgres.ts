// The chaos suite's own PostgreSQL 15 server (initdb + pg_ctl in a temp folder on a free port), so
// restarting it disturbs nobody else's tests on the shared server. As root the server runs as the
// `postgres` user, which initdb requires.

import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, waitPort } from './processes.ts';

const BIN = process.env['CHAOS_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export type Postgres = {
  readonly url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
};

function asPostgres(command: string, args: readonly string[]): string {
  const path = join(BIN, command);
  if (userInfo().uid !== 0) return execFileSync(path, [...args], { encoding: 'utf8' });
  return execFileSync('runuser', ['-u', 'postgres', '--', path, ...args], { encoding: 'utf8' });
}

export async function startPostgres(dir: string): Promise<Postgres> {
  const dataDir = join(dir, 'pgdata');
  const socketDir = join(dir, 'pgsock');
  for (const folder of [dataDir, socketDir]) {
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o700);
    if (userInfo().uid === 0) {
      chmodSync(dir, 0o755);
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(folder, uid, gid);
    }
  }
  asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=on`;
  const ctl = (action: string[]) =>
    asPostgres('pg_ctl', ['-D', dataDir, '-l', join(socketDir, 'pg.log'), '-w', ...action]);
  ctl(['-o', options, 'start']);
  await waitPort(port, 'postgres');
  asPostgres('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'mkondo']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/mkondo`,
    async restart() {
      ctl(['-m', 'fast', 'stop']);
      ctl(['-o', options, 'start']);
      await waitPort(port, 'postgres');
    },
    async stop() {
      try {
        ctl(['-m', 'immediate', 'stop']);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
