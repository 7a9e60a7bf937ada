// Scenario s: scenario a with the trust settings of a production scheme (README "Security"). The
// FSPIOP port speaks mutual TLS (FSPIOP_AUTH=mtls, a scheme CA made here with `openssl`, one
// client certificate per DFSP whose CN is its name), every DFSP request carries an FSPIOP-Signature
// that the switch verifies (JWS_VERIFY=required, keys registered on the Admin API), the hub signs
// what it originates (JWS_SIGNING_KEY_PATH), and the simulated DFSPs verify the signature of every
// message they receive: relayed ones with the sender's key, the hub's with the hub key. Callbacks
// stay plain HTTP (the notifier has no client certificate). Signing and verifying in the bench
// process are timed, and the cost of a TLS handshake is measured apart after the run.

import { execFileSync } from 'node:child_process';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fspiopHeaders, type HeaderSet } from './fspiop.ts';
import { waitFor } from './onboard.ts';
import { type FspiopSender, type HttpResult, SwitchClient } from './switch-client.ts';

export type Issued = { readonly cert: string; readonly key: string };

export type BenchPki = {
  readonly dir: string;
  readonly ca: Issued & { readonly certPath: string };
  readonly server: { readonly certPath: string; readonly keyPath: string };
  readonly clients: ReadonlyMap<string, Issued>;
  /** JWS key pairs (PKCS#8 / SPKI PEM) of each DFSP and of the hub. */
  readonly jws: ReadonlyMap<string, { readonly privateKey: string; readonly publicKey: string }>;
  readonly hubKeyPath: string;
};

function openssl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(dir: string, name: string, cn: string, extension: string): void {
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${cn}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
  ]);
  writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  ]);
}

/** A scheme CA, the switch's server certificate for 127.0.0.1, and a client certificate per DFSP. */
export function makeBenchPki(runDir: string, dfsps: readonly string[]): BenchPki {
  const dir = join(runDir, 'pki');
  mkdirSync(dir, { recursive: true });
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=mkondo bench scheme CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  issue(dir, 'server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth');
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const clients = new Map<string, Issued>();
  const jws = new Map<string, { privateKey: string; publicKey: string }>();
  for (const name of dfsps) {
    issue(dir, name, name, 'extendedKeyUsage=clientAuth');
    clients.set(name, { cert: read(`${name}.crt`), key: read(`${name}.key`) });
  }
  for (const name of [...dfsps, 'Hub']) jws.set(name, rsaPem());
  const hubKeyPath = join(dir, 'hub-jws.key');
  writeFileSync(hubKeyPath, jws.get('Hub')?.privateKey ?? '');
  return {
    dir,
    ca: { cert: read('ca.crt'), key: read('ca.key'), certPath: join(dir, 'ca.crt') },
    server: { certPath: join(dir, 'server.crt'), keyPath: join(dir, 'server.key') },
    clients,
    jws,
    hubKeyPath,
  };
}

function rsaPem() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

/** The settings mkondo runs with in scenario s. */
export function secureEnv(pki: BenchPki): NodeJS.ProcessEnv {
  return {
    FSPIOP_AUTH: 'mtls',
    FSPIOP_TLS_CERT_PATH: pki.server.certPath,
    FSPIOP_TLS_KEY_PATH: pki.server.keyPath,
    FSPIOP_TLS_CA_PATH: pki.ca.certPath,
    JWS_VERIFY: 'required',
    JWS_SIGNING_KEY_PATH: pki.hubKeyPath,
  };
}

/** Time spent in JWS work in the bench process, and how often. */
export type JwsCost = { signs: number; signMs: number; verifies: number; verifyMs: number };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * The DFSPs' FSPIOP client: one mutual-TLS keep-alive pool per DFSP, chosen by FSPIOP-Source,
 * and every request with a body signed as Mojaloop's SDK signs it (RS256 over the protected
 * header and the exact body; FSPIOP-URI and FSPIOP-HTTP-Method set to this request's).
 */
export class SignedClients {
  private readonly pools = new Map<string, SwitchClient>();
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    baseUrl: string,
    pki: BenchPki,
    readonly cost: JwsCost,
    connectionsPerDfsp = 32,
  ) {
    for (const [name, issued] of pki.clients) {
      const tls = { ca: pki.ca.cert, cert: issued.cert, key: issued.key };
      this.pools.set(name, new SwitchClient(baseUrl, connectionsPerDfsp, tls));
      this.keys.set(name, createPrivateKey(pki.jws.get(name)?.privateKey ?? ''));
    }
  }

  send(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    headers: HeaderSet,
    body?: string,
  ): Promise<HttpResult> {
    const source = headers['fspiop-source'] ?? '';
    const pool = this.pools.get(source);
    if (pool === undefined) return Promise.resolve({ status: 0, body: `no client for ${source}` });
    if (body === undefined) return pool.send(method, path, headers, body);
    const started = performance.now();
    const signed: HeaderSet = { ...headers, 'fspiop-uri': path, 'fspiop-http-method': method };
    const bound: Record<string, string> = {
      alg: 'RS256',
      'FSPIOP-URI': path,
      'FSPIOP-HTTP-Method': method,
      'FSPIOP-Source': source,
    };
    if (headers['fspiop-destination'] !== undefined) {
      bound['FSPIOP-Destination'] = headers['fspiop-destination'];
    }
    if (headers['date'] !== undefined) bound['Date'] = headers['date'];
    const protectedHeader = b64(JSON.stringify(bound));
    const input = `${protectedHeader}.${b64(body)}`;
    const key = this.keys.get(source);
    const signature = sign('sha256', Buffer.from(input), key as KeyObject).toString('base64url');
    signed['fspiop-signature'] = JSON.stringify({ signature, protectedHeader });
    this.cost.signs += 1;
    this.cost.signMs += performance.now() - started;
    return pool.send(method, path, signed, body);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }
}

/**
 * Verifies what reaches a simulated DFSP: the FSPIOP-Signature of its sender (a DFSP's relayed
 * message, or the hub's own) over the exact body, with the protected header bound to this
 * message's FSPIOP-URI, method and source. Returns false when any of it is missing or wrong.
 */
export function inboundVerifier(pki: BenchPki, cost: JwsCost) {
  const keys = new Map<string, KeyObject>();
  for (const [name, pair] of pki.jws) keys.set(name, createPublicKey(pair.publicKey));
  return (method: string, headers: IncomingHttpHeaders, body: string): boolean => {
    if (body === '') return true; // bodiless messages are not signed (Mojaloop's rule)
    const started = performance.now();
    try {
      const value = headers['fspiop-signature'];
      const source = String(headers['fspiop-source'] ?? '');
      const key = keys.get(source);
      if (typeof value !== 'string' || key === undefined) return false;
      const parts = JSON.parse(value) as { signature?: string; protectedHeader?: string };
      const bound = JSON.parse(
        Buffer.from(parts.protectedHeader ?? '', 'base64url').toString('utf8'),
      ) as Record<string, unknown>;
      if (
        bound['FSPIOP-Source'] !== source ||
        bound['FSPIOP-HTTP-Method'] !== method ||
        bound['FSPIOP-URI'] !== headers['fspiop-uri']
      ) {
        return false;
      }
      const input = Buffer.from(`${parts.protectedHeader}.${b64(body)}`);
      return verify('sha256', input, key, Buffer.from(parts.signature ?? '', 'base64url'));
    } catch {
      return false;
    } finally {
      cost.verifies += 1;
      cost.verifyMs += performance.now() - started;
    }
  };
}

/**
 * Registers each DFSP's JWS key, then its certificate, through the Admin API, and waits until the
 * gateway knows the certificate (and so the key before it): a lookup of an unknown party is
 * answered 202 instead of 3000 (its error callback goes to the payer hooks, which ignore it).
 */
export async function registerCredentials(
  admin: SwitchClient,
  pki: BenchPki,
  client: FspiopSender,
): Promise<void> {
  for (const [name, issued] of pki.clients) {
    const publicKey = pki.jws.get(name)?.publicKey ?? '';
    await admin.json('POST', `/participants/${name}/jwscerts`, { publicKey, kid: `${name}-1` });
    await admin.json('POST', `/participants/${name}/certificates`, { certificate: issued.cert });
    const headers = fspiopHeaders('parties', 'GET', name);
    await waitFor(`${name}'s certificate at the gateway`, async () => {
      const result = await client.send('GET', '/parties/MSISDN/0', headers);
      return result.status === 202;
    });
  }
}

function requestOnce(url: URL, agent: Agent, tls: Issued & { ca: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { agent, ca: tls.ca, cert: tls.cert, key: tls.key, method: 'GET' },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Mean milliseconds of GET /health over a new mutual-TLS connection each time, and over one
 * kept-alive connection: the difference is what a handshake costs a DFSP that does not keep
 * its connections alive.
 */
export async function handshakeCost(
  fspiopUrl: string,
  pki: BenchPki,
  dfsp: string,
  rounds = 50,
): Promise<{ newConnectionMs: number; keptAliveMs: number }> {
  const url = new URL('/health', fspiopUrl);
  const issued = pki.clients.get(dfsp);
  if (issued === undefined) throw new Error(`no certificate for ${dfsp}`);
  const tls = { ...issued, ca: pki.ca.cert };
  const timed = async (agent: Agent) => {
    await requestOnce(url, agent, tls); // not counted: the first connection of the kept one
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await requestOnce(url, agent, tls);
    agent.destroy();
    return (performance.now() - started) / rounds;
  };
  const newConnectionMs = await timed(new Agent({ keepAlive: false, maxCachedSessions: 0 }));
  const keptAliveMs = await timed(new Agent({ keepAlive: true, maxSockets: 1 }));
  return { newConnectionMs, keptAliveMs };
}
