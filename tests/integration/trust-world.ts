// One secured mkondo for the trust tests: FSPIOP over HTTPS with client certificates
// (FSPIOP_AUTH=mtls), JWS verified for DFSPs with registered keys, the hub signing its own
// messages, operators from a file (maker, checker, auditor) and maker-checker on. Onboarding goes
// through the Admin API as an operator would: the maker asks, the checker approves.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { DEFAULT_SETTLEMENT_MODEL, endpointTemplates } from '../../ops/onboarding.ts';
import { DfspSim } from '../helpers/dfsp-sim.ts';
import { createTestPki, type IssuedCertificate, type TestPki } from '../helpers/pki.ts';
import { type RsaPair, rsaPair } from '../helpers/sdk-jws.ts';
import {
  freshDatabase,
  type NatsServer,
  startNats,
  type TestDatabase,
} from '../helpers/services.ts';
import { type RunningSwitch, startSwitch } from '../helpers/switch.ts';

export type Answer = {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON and assert it exactly.
  readonly body: any;
};

const OPERATORS = {
  maker: ['operator', 'approver'],
  checker: ['approver'],
  auditor: ['read-only'],
};
export type OperatorName = keyof typeof OPERATORS | 'nobody';

/** The endpoint types the trust scenarios call back on. */
const USED_ENDPOINTS = [
  'FSPIOP_CALLBACK_URL_TRANSFER_POST',
  'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
  'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
  'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT',
  'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR',
];

export type TrustWorld = {
  readonly fspiopUrl: string;
  readonly databaseUrl: string;
  readonly pki: TestPki;
  readonly certs: Readonly<Record<'payerfsp' | 'payeefsp', IssuedCertificate>>;
  readonly payerJws: RsaPair;
  readonly hubJws: RsaPair;
  readonly sims: Readonly<Record<'payerfsp' | 'payeefsp', DfspSim>>;
  /** Every Admin request the tests made, approvals' executions included (for the audit). */
  readonly adminActions: { count: number };
  admin(as: OperatorName, method: string, path: string, body?: unknown): Promise<Answer>;
  /** Maker asks, checker approves; answers the approved request's own status and body. */
  approved(method: string, path: string, body?: unknown): Promise<Answer>;
  /** An FSPIOP request over HTTPS presenting `client` (or no certificate). */
  fspiop(client: IssuedCertificate | undefined, path: string, init: RequestInit): Promise<Answer>;
  stop(): Promise<void>;
};

async function answerOf(response: { status: number; text(): Promise<string> }): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function operatorsFile(dir: string): { path: string; tokens: Record<string, string> } {
  const tokens: Record<string, string> = {};
  const operators = Object.entries(OPERATORS).map(([name, roles]) => {
    tokens[name] = randomBytes(24).toString('base64url');
    const tokenSha256 = createHash('sha256').update(tokens[name]).digest('hex');
    return { name, roles, tokenSha256 };
  });
  const path = join(dir, 'operators.json');
  writeFileSync(path, JSON.stringify({ operators }));
  return { path, tokens };
}

export async function startTrustWorld(): Promise<TrustWorld> {
  const pki = createTestPki();
  const certs = { payerfsp: pki.client('payerfsp'), payeefsp: pki.client('payeefsp') };
  const payerJws = rsaPair();
  const hubJws = rsaPair();
  const hubKeyPath = join(pki.dir, 'hub-jws.pem');
  writeFileSync(hubKeyPath, hubJws.privateKey);
  const operators = operatorsFile(pki.dir);
  let nats: NatsServer | undefined;
  let db: TestDatabase | undefined;
  let running: RunningSwitch | undefined;
  const sims = {
    payerfsp: new DfspSim({ name: 'payerfsp' }),
    payeefsp: new DfspSim({ name: 'payeefsp' }),
  };
  const agents = new Map<IssuedCertificate | undefined, Agent>();
  const stop = async () => {
    await running?.stop();
    await Promise.all([...Object.values(sims).map((s) => s.stop()), nats?.stop(), db?.drop()]);
    await Promise.all([...agents.values()].map((a) => a.close()));
    pki.remove();
  };
  const adminActions = { count: 0 };
  try {
    [nats, db] = await Promise.all([startNats(), freshDatabase()]);
    running = await startSwitch({
      natsUrl: nats.url,
      databaseUrl: db.url,
      env: {
        FSPIOP_AUTH: 'mtls',
        FSPIOP_TLS_CERT_PATH: pki.server.certPath,
        FSPIOP_TLS_KEY_PATH: pki.server.keyPath,
        FSPIOP_TLS_CA_PATH: pki.ca.certPath,
        JWS_VERIFY: 'verify-when-registered',
        JWS_SIGNING_KEY_PATH: hubKeyPath,
        ADMIN_OPERATORS_PATH: operators.path,
        ADMIN_MAKER_CHECKER: 'true',
      },
    });
    const adminUrl = running.adminUrl;
    const admin = async (as: OperatorName, method: string, path: string, body?: unknown) => {
      adminActions.count += 1;
      const token = operators.tokens[as];
      const response = await fetch(`${adminUrl}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return answerOf(response);
    };
    const approved = async (method: string, path: string, body?: unknown) => {
      const made = await admin('maker', method, path, body);
      assert.equal(made.status, 202, `${method} ${path}: ${JSON.stringify(made.body)}`);
      const decided = await admin('checker', 'POST', `/approvals/${made.body.approvalId}/approve`);
      adminActions.count += 1; // the approved request runs through the Admin API too
      assert.equal(decided.status, 200, JSON.stringify(decided.body));
      return {
        status: decided.body.status,
        body: decided.body.response ? JSON.parse(decided.body.response) : undefined,
      };
    };
    const fspiopUrl = running.fspiopUrl.replace('http:', 'https:');
    const fspiop = async (
      client: IssuedCertificate | undefined,
      path: string,
      init: RequestInit,
    ) => {
      let agent = agents.get(client);
      if (agent === undefined) {
        const identity = client ? { cert: client.cert, key: client.key } : {};
        agent = new Agent({ connect: { ca: pki.ca.cert, ...identity } });
        agents.set(client, agent);
      }
      const response = await undiciFetch(`${fspiopUrl}${path}`, {
        ...(init as object),
        dispatcher: agent,
      });
      return answerOf(response);
    };
    await Promise.all(Object.values(sims).map((sim) => sim.start()));
    for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
      const hubAccount = await admin('maker', 'POST', '/participants/Hub/accounts', {
        type,
        currency: 'USD',
      });
      assert.equal(hubAccount.status, 201);
    }
    assert.equal(
      (await admin('maker', 'POST', '/settlementModels', DEFAULT_SETTLEMENT_MODEL)).status,
      201,
    );
    for (const name of ['payerfsp', 'payeefsp'] as const) {
      assert.equal(
        (await admin('maker', 'POST', '/participants', { name, currency: 'USD' })).status,
        201,
      );
      const limits = await approved('POST', `/participants/${name}/initialPositionAndLimits`, {
        currency: 'USD',
        limit: { type: 'NET_DEBIT_CAP', value: 10000 },
        initialPosition: 0,
      });
      assert.equal(limits.status, 201);
      const templates = endpointTemplates(sims[name].url);
      for (const type of USED_ENDPOINTS) {
        const endpoint = { type, value: templates[type] };
        assert.equal(
          (await approved('POST', `/participants/${name}/endpoints`, endpoint)).status,
          201,
        );
      }
      const certificate = { certificate: certs[name].cert };
      assert.equal(
        (await approved('POST', `/participants/${name}/certificates`, certificate)).status,
        201,
      );
    }
    const key = { publicKey: payerJws.publicKey, kid: 'payerfsp-2026' };
    assert.equal((await approved('POST', '/participants/payerfsp/jwscerts', key)).status, 201);
    return {
      fspiopUrl,
      databaseUrl: db.url,
      pki,
      certs,
      payerJws,
      hubJws,
      sims,
      adminActions,
      admin,
      approved,
      fspiop,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
