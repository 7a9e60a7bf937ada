// NATS authorization as k8s/nats/auth.conf configures it: a nats-server running that very file,
// each mkondo role (gateway, worker, notifier, as separate processes) connecting with its own nkey
// seed (NATS_NKEY_SEED_PATH), a transfer committed end to end under those permissions, and the
// refusals: a notifier may not publish a command, a connection without a known key is refused.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createUser } from '@nats-io/nkeys';
import { connect, nkeyAuthenticator } from '@nats-io/transport-node';
import { fspiop, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { positionOf } from '../helpers/onboard.ts';
import { freePort, type NatsServer, portAnswers } from '../helpers/services.ts';
import { startWorld, type World, waitUntil } from '../helpers/transfer-world.ts';

const ROLES = ['gateway', 'worker', 'notifier'] as const;
const AUTH_CONF = new URL('../../k8s/nats/auth.conf', import.meta.url);

type AuthorizedNats = NatsServer & { readonly seeds: Record<string, Uint8Array> };

async function startAuthorizedNats(dir: string): Promise<AuthorizedNats> {
  const port = await freePort();
  copyFileSync(AUTH_CONF, join(dir, 'auth.conf'));
  const conf = join(dir, 'nats.conf');
  writeFileSync(
    conf,
    `listen: 127.0.0.1:${port}\njetstream { store_dir: "${join(dir, 'js')}" }\n` +
      'include ./auth.conf\n',
  );
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] };
  const seeds: Record<string, Uint8Array> = {};
  for (const role of ROLES) {
    const user = createUser();
    env[`${role.toUpperCase()}_NKEY`] = user.getPublicKey();
    seeds[role] = user.getSeed();
    writeFileSync(join(dir, `${role}.nk`), user.getSeed());
  }
  const child: ChildProcess = spawn('nats-server', ['-c', conf], { env, stdio: 'ignore' });
  for (let attempt = 0; attempt < 100 && !(await portAnswers('127.0.0.1', port)); attempt++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    process: child,
    seeds,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

describe('NATS authorization per role (k8s/nats/auth.conf)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkondo-nats-auth-'));
  let nats: AuthorizedNats;
  let world: World;
  const pair = ilpPair();

  before(async () => {
    nats = await startAuthorizedNats(dir);
    const roleEnv = Object.fromEntries(
      ROLES.map((role) => [role, { NATS_NKEY_SEED_PATH: join(dir, `${role}.nk`) }]),
    );
    world = await startWorld({
      layout: 'split',
      nats,
      roleEnv,
      dfsps: [
        { name: 'payerfsp', netDebitCap: '1000', fundsIn: '1000' },
        {
          name: 'payeefsp',
          netDebitCap: '1000',
          fundsIn: '0',
          onPrepare: () => ({ kind: 'fulfil', fulfilment: pair.fulfilment }),
        },
      ],
    });
  });
  after(async () => {
    await world?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a transfer with every role on its own key and permissions', async () => {
    const body = prepareBody({
      payerFsp: 'payerfsp',
      payeeFsp: 'payeefsp',
      amount: '40',
      currency: 'USD',
      condition: pair.condition,
    });
    const answer = await fspiop(world.switch.fspiopUrl, {
      method: 'POST',
      path: '/transfers',
      source: 'payerfsp',
      destination: 'payeefsp',
      body,
    });
    assert.equal(answer.status, 202);
    const payer = world.sims['payerfsp'];
    assert.ok(payer);
    const committed = await payer.waitFor(
      (r) => r.method === 'PUT' && r.path === `/transfers/${body['transferId']}`,
      20_000,
    );
    assert.equal((committed.body as { transferState: string }).transferState, 'COMMITTED');
    const url = world.switch.adminUrl;
    // The payer's commit and the payee's credit are two participant commands, applied apart.
    const positions = async () =>
      Promise.all([positionOf(url, 'payerfsp', 'USD'), positionOf(url, 'payeefsp', 'USD')]);
    await waitUntil('positions', async () => (await positions()).join() === '40,-40').catch(
      () => undefined,
    );
    assert.deepEqual(await positions(), [40, -40]);
  });

  it('refuses a command from a notifier and a connection without a known key', async () => {
    const nc = await connect({
      servers: nats.url,
      authenticator: nkeyAuthenticator(nats.seeds['notifier']),
    });
    const refusals: string[] = [];
    const watching = (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'error') refusals.push(String(status.error));
      }
    })();
    nc.publish('cmd.participant.0.payerfsp', '{}');
    await nc.flush();
    await waitUntil('a permission error', () => refusals.length > 0);
    assert.deepEqual(refusals, [
      'PermissionViolationError: Permissions Violation for Publish to "cmd.participant.0.payerfsp"',
    ]);
    await nc.close();
    await watching;
    await assert.rejects(connect({ servers: nats.url }), /Authorization Violation/);
  });
});
