// One DFSP as banks run it in front of a Mojaloop hub: Mojaloop's own connector,
// @mojaloop/sdk-scheme-adapter from the npm registry (installed by tests/interop/install-sdk.sh),
// with its own redis-server and a small core-banking backend. Each instance gets a private Redis:
// the SDK's pub/sub ignores Redis database indexes, so two DFSPs sharing a server would hear each
// other's callbacks. Processes are started and stopped by PID.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, portAnswers } from '../helpers/services.ts';
import { SdkBackend } from './sdk-backend.ts';

const PRELOAD = fileURLToPath(new URL('./sdk/sdk-preload.cjs', import.meta.url));
const SDK_MAIN = 'node_modules/@mojaloop/sdk-scheme-adapter/src/index.js';

/** Where install-sdk.sh put the SDK (`make interop` passes it as MKONDO_INTEROP_SDK_DIR). */
export function sdkInstallDir(): string {
  const dir = process.env['MKONDO_INTEROP_SDK_DIR'];
  if (dir && existsSync(join(dir, SDK_MAIN))) return dir;
  throw new Error(
    'the interoperability tests need @mojaloop/sdk-scheme-adapter: run `make interop` ' +
      `(it installs it into ${join(homedir(), '.cache/mkondo-interop')} and sets ` +
      'MKONDO_INTEROP_SDK_DIR)',
  );
}

export type SdkDfspOptions = {
  readonly name: string;
  /** host:port of the switch's FSPIOP API (the SDK's PEER_ENDPOINT). */
  readonly peerEndpoint: string;
  /** RESOURCE_VERSIONS, e.g. "parties=2.0"; unset = the SDK's defaults (1.0). */
  readonly resourceVersions?: string;
  /** Whether the inbound API takes FSPIOP 2.0 (see sdk/sdk-preload.cjs); default false. */
  readonly acceptFspiop2?: boolean;
};

type Child = { readonly name: string; readonly process: ChildProcess };

export class SdkDfsp {
  readonly backend = new SdkBackend();
  /** The SDK's inbound API: the DFSP's callback base URL at the hub. */
  inboundUrl = '';
  /** The SDK's outbound API, where the bank's systems start payments. */
  outboundUrl = '';
  private readonly children: Child[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'mkondo-sdk-'));

  constructor(readonly options: SdkDfspOptions) {}

  get name(): string {
    return this.options.name;
  }

  /** Starts Redis, the backend and the SDK; resolves once the SDK's APIs answer. */
  async start(sdkDir: string): Promise<void> {
    const [redis, inbound, outbound, metrics] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    await this.startRedis(redis);
    await this.backend.start();
    const sdk = this.spawnLogged('sdk', process.execPath, ['--require', PRELOAD, SDK_MAIN], {
      cwd: sdkDir,
      env: this.sdkEnvironment(redis, inbound, outbound, metrics),
    });
    this.inboundUrl = `http://127.0.0.1:${inbound}`;
    this.outboundUrl = `http://127.0.0.1:${outbound}`;
    await waitFor(`${this.name}'s SDK`, sdk, async () => {
      return (await portAnswers('127.0.0.1', inbound)) && portAnswers('127.0.0.1', outbound);
    }).catch((error: Error) => {
      throw new Error(`${error.message}; its log ends:\n${this.logTail('sdk')}`);
    });
  }

  /** Stops the SDK, then its Redis (each by its PID), and removes their logs. */
  async stop(): Promise<void> {
    for (const child of [...this.children].reverse()) await stopChild(child.process);
    await this.backend.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private logTail(label: string): string {
    const text = readFileSync(join(this.dir, `${label}.log`), 'utf8');
    return text.slice(-2000);
  }

  private async startRedis(port: number): Promise<void> {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    const redis = this.spawnLogged('redis', 'redis-server', [...args, '--dir', this.dir], {
      cwd: this.dir,
      env: { PATH: process.env['PATH'] },
    });
    await waitFor(`${this.name}'s redis-server`, redis, () => portAnswers('127.0.0.1', port)).catch(
      (error: Error) => {
        throw new Error(`${error.message}; its log ends:\n${this.logTail('redis')}`);
      },
    );
  }

  private sdkEnvironment(redis: number, inbound: number, outbound: number, metrics: number) {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      NODE_ENV: 'production',
      DFSP_ID: this.name,
      PEER_ENDPOINT: this.options.peerEndpoint,
      ALS_ENDPOINT: this.options.peerEndpoint,
      BACKEND_ENDPOINT: this.backend.url,
      CACHE_URL: `redis://127.0.0.1:${redis}`,
      INBOUND_LISTEN_PORT: String(inbound),
      OUTBOUND_LISTEN_PORT: String(outbound),
      METRICS_SERVER_LISTEN_PORT: String(metrics),
      TEST_LISTEN_PORT: String(metrics),
      MGMT_API_WS_PORT: String(metrics),
      PM4ML_ENABLED: 'false',
      ENABLE_TEST_FEATURES: 'false',
      JWS_SIGN: 'false',
      VALIDATE_INBOUND_JWS: 'false',
      VALIDATE_INBOUND_PUT_PARTIES_JWS: 'false',
      ILP_SECRET: randomBytes(24).toString('hex'),
      CHECK_ILP: 'true',
      EXPIRY_SECONDS: '60',
      AUTO_ACCEPT_PARTY: 'true',
      AUTO_ACCEPT_QUOTES: 'true',
      AUTO_ACCEPT_PARTICIPANTS_PUT: 'true',
      // The SDK's own wait for a callback. A refused request must come back long before it.
      REQUEST_PROCESSING_TIMEOUT_SECONDS: '20',
      LOG_INDENT: '0',
      INTEROP_ACCEPT_FSPIOP2: String(this.options.acceptFspiop2 ?? false),
    };
    if (this.options.resourceVersions) env['RESOURCE_VERSIONS'] = this.options.resourceVersions;
    return env;
  }

  private spawnLogged(
    label: string,
    command: string,
    args: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
  ): ChildProcess {
    const log = openSync(join(this.dir, `${label}.log`), 'a');
    const child = spawn(command, args, { ...options, stdio: ['ignore', log, log] });
    // A missing binary (no redis-server on PATH) is an 'error' event, not an exit.
    child.on('error', (error) => spawnErrors.set(child, error));
    this.children.push({ name: label, process: child });
    return child;
  }
}

const spawnErrors = new WeakMap<ChildProcess, Error>();

async function waitFor(what: string, child: ChildProcess, ready: () => Promise<boolean>) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const spawnError = spawnErrors.get(child);
    if (spawnError) throw new Error(`${what} did not start: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer within 60 s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(killer);
}
