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

type AdminCall = TrustWorld['admin'];
type Approved = TrustWorld['approved'];

/** Admin calls as each operator, and the maker-then-checker path, counting every request. */
function adminClients(adminUrl: string, tokens: Record<string, string>, count: { count: number }) {
  const admin: AdminCall = async (as, method, path, body) => {
    count.count += 1;
    const token = tokens[as];
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
  const approved: Approved = async (method, path, body) => {
    const made = await admin('maker', method, path, body);
    assert.equal(made.status, 202, `${method} ${path}: ${JSON.stringify(made.body)}`);
    const decided = await admin('checker', 'POST', `/approvals/${made.body.approvalId}/approve`);
    count.count += 1; // the approved request runs through the Admin API too
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    return {
      status: decided.body.status,
      body: decided.body.response ? JSON.parse(decided.body.response) : undefined,
    };
  };
  return { admin, approved };
}

/** FSPIOP over HTTPS, one connection pool per client certificate (or none). */
function fspiopClient(fspiopUrl: string, pki: TestPki, agents: Map<unknown, Agent>) {
  return async (client: IssuedCertificate | undefined, path: string, init: RequestInit) => {
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
}

type Onboarding = {
  readonly admin: AdminCall;
  readonly approved: Approved;
  readonly sims: TrustWorld['sims'];
  readonly certs: TrustWorld['certs'];
  readonly payerJws: RsaPair;
};

/** Hub accounts and model directly; limits, endpoints, certificates and keys through approval. */
async function onboard({ admin, approved, sims, certs, payerJws }: Onboarding): Promise<void> {
  const expect = async (status: number, answer: Promise<Answer>) =>
    assert.equal((await answer).status, status);
  for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
    const body = { type, currency: 'USD' };
    await expect(201, admin('maker', 'POST', '/participants/Hub/accounts', body));
  }
  await expect(201, admin('maker', 'POST', '/settlementModels', DEFAULT_SETTLEMENT_MODEL));
  for (const name of ['payerfsp', 'payeefsp'] as const) {
    await expect(201, admin('maker', 'POST', '/participants', { name, currency: 'USD' }));
    const limits = {
      currency: 'USD',
      limit: { type: 'NET_DEBIT_CAP', value: 10000 },
      initialPosition: 0,
    };
    await expect(201, approved('POST', `/participants/${name}/initialPositionAndLimits`, limits));
    const templates = endpointTemplates(sims[name].url);
    for (const type of USED_ENDPOINTS) {
      const endpoint = { type, value: templates[type] };
      await expect(201, approved('POST', `/participants/${name}/endpoints`, endpoint));
    }
    const certificate = { certificate: certs[name].cert };
    await expect(201, approved('POST', `/participants/${name}/certificates`, certificate));
  }
  const key = { publicKey: payerJws.publicKey, kid: 'payerfsp-2026' };
  await expect(201, approved('POST', '/participants/payerfsp/jwscerts', key));
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
  const agents = new Map<unknown, Agent>();
  const stop = async () => {
    await running?.stop();
    await Promise.all([...Object.values(sims).map((s) => s.stop()), nats?.stop(), db?.drop()]);
    await Promise.all([...agents.values()].map((a) => a.close()));
    pki.remove();
  };
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
    const adminActions = { count: 0 };
    const { admin, approved } = adminClients(running.adminUrl, operators.tokens, adminActions);
    const fspiopUrl = running.fspiopUrl.replace('http:', 'https:');
    const fspiop = fspiopClient(fspiopUrl, pki, agents);
    await Promise.all(Object.values(sims).map((sim) => sim.start()));
    await onboard({ admin, approved, sims, certs, payerJws });
    const databaseUrl = db.url;
    return {
      fspiopUrl,
      databaseUrl,
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
