// NATS over mutual TLS (README "Configuration", NATS_TLS_*): a nats-server that requires TLS and a
// client certificate from the cluster CA, mkondo connecting with NATS_TLS_CA_PATH,
// NATS_TLS_CERT_PATH and NATS_TLS_KEY_PATH and committing a transfer end to end; a client without
// a certificate, or without TLS, is refused.

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { fspiop, ilpPair, prepareBody } from '../helpers/fspiop-client.ts';
import { createTestPki, type TestPki } from '../helpers/pki.ts';
import { freePort, type NatsServer, portAnswers } from '../helpers/services.ts';
import { startWorld, type World } from '../helpers/transfer-world.ts';

async function startTlsNats(pki: TestPki): Promise<NatsServer> {
  const port = await freePort();
  const conf = join(pki.dir, 'nats-tls.conf');
  writeFileSync(
    conf,
    `listen: 127.0.0.1:${port}\njetstream { store_dir: "${join(pki.dir, 'js')}" }\n` +
      `tls {\n  cert_file: "${pki.server.certPath}"\n  key_file: "${pki.server.keyPath}"\n` +
      `  ca_file: "${pki.ca.certPath}"\n  verify: true\n}\n`,
  );
  const child: ChildProcess = spawn('nats-server', ['-c', conf], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 100 && !(await portAnswers('127.0.0.1', port)); attempt++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

describe('NATS over mutual TLS', () => {
  const pki = createTestPki();
  const client = pki.client('mkondo');
  const pair = ilpPair();
  let nats: NatsServer;
  let world: World;

  before(async () => {
    nats = await startTlsNats(pki);
    world = await startWorld({
      nats,
      env: {
        NATS_TLS_CA_PATH: pki.ca.certPath,
        NATS_TLS_CERT_PATH: client.certPath,
        NATS_TLS_KEY_PATH: client.keyPath,
      },
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
    pki.remove();
  });

  it('runs the switch over it and refuses clients without a certificate or without TLS', async () => {
    const body = prepareBody({
      payerFsp: 'payerfsp',
      payeeFsp: 'payeefsp',
      amount: '7',
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

    const options = { servers: nats.url, reconnect: false, timeout: 3_000 };
    await assert.rejects(connect({ ...options, tls: { caFile: pki.ca.certPath } }));
    await assert.rejects(connect(options));
  });
});
