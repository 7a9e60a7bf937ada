// Simulated DFSP HTTP servers for end-to-end tests: each records every callback it receives
// (method, path, lower-case headers, parsed body) and, when asked, answers a forwarded POST
// /transfers by PUTting a fulfilment (or an error) back to the switch, as a payee DFSP would.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly text: string;
};

/** How the simulated payee answers a POST /transfers. */
export type PayeeBehaviour =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'fulfil';
      readonly fulfilment: string;
      readonly transferState?: 'COMMITTED' | 'RESERVED';
    }
  | { readonly kind: 'reject'; readonly errorCode: string; readonly errorDescription: string };

export type DfspSimOptions = {
  readonly name: string;
  /** Base URL of the switch's FSPIOP API, for the payee's answers. */
  readonly switchUrl?: string;
  /** Decides per transfer how to answer a forwarded prepare; default: record only. */
  readonly onPrepare?: (body: Record<string, unknown>) => PayeeBehaviour;
  /** Media-type version used for answers (default 1.1). */
  readonly version?: string;
  /** The HTTP answer to a request the DFSP refuses (recorded all the same); default 200. */
  readonly refuse?: (received: Received) => { status: number; body?: unknown } | undefined;
};

export class DfspSim {
  readonly received: Received[] = [];
  private readonly waiters: Array<{
    match: (r: Received) => boolean;
    resolve: (r: Received) => void;
  }> = [];
  private server?: Server;
  url = '';

  constructor(private readonly options: DfspSimOptions) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (refusal) => {
          if (refusal === undefined) return res.writeHead(200).end();
          const body = refusal.body === undefined ? '' : JSON.stringify(refusal.body);
          res.writeHead(refusal.status, { 'content-type': 'application/json' }).end(body);
        },
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** Resolves with the first received request (past or future) matching `match`. */
  waitFor(match: (r: Received) => boolean, timeoutMs = 10_000): Promise<Received> {
    const found = this.received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (r: Received) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      // A waiter that timed out leaves the list, so it neither leaks nor matches later.
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`${this.options.name}: no callback`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Callbacks received for one transfer id (path contains it). */
  forTransfer(transferId: string): Received[] {
    return this.received.filter((r) => r.path.includes(transferId) || bodyId(r) === transferId);
  }

  private async handle(req: IncomingMessage) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers[name.toLowerCase()] = value;
    }
    const received = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers,
      body: parse(text),
      text,
    };
    this.received.push(received);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(received)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(received);
      }
    }
    const refusal = this.options.refuse?.(received);
    if (refusal) return refusal;
    if (received.method === 'POST' && received.path.endsWith('/transfers')) {
      setImmediate(() => void this.answerPrepare(received).catch(() => undefined));
    }
    return undefined;
  }

  private async answerPrepare(received: Received): Promise<void> {
    const body = received.body as Record<string, unknown>;
    const behaviour = this.options.onPrepare?.(body) ?? { kind: 'none' };
    if (behaviour.kind === 'none' || !this.options.switchUrl) return;
    const transferId = String(body['transferId']);
    const payer = String(body['payerFsp']);
    const content =
      behaviour.kind === 'fulfil'
        ? {
            transferState: behaviour.transferState ?? 'COMMITTED',
            fulfilment: behaviour.fulfilment,
            completedTimestamp: new Date().toISOString(),
          }
        : {
            errorInformation: {
              errorCode: behaviour.errorCode,
              errorDescription: behaviour.errorDescription,
            },
          };
    const suffix = behaviour.kind === 'fulfil' ? '' : '/error';
    await fetch(`${this.options.switchUrl}/transfers/${transferId}${suffix}`, {
      method: 'PUT',
      headers: fspiopHeaders(this.options.name, payer, this.options.version ?? '1.1'),
      body: JSON.stringify(content),
    });
  }
}

/** Headers a DFSP sends on a transfers request or callback. */
export function fspiopHeaders(
  source: string,
  destination: string,
  version = '1.1',
): Record<string, string> {
  const media = `application/vnd.interoperability.transfers+json;version=${version}`;
  return {
    'content-type': media,
    accept: media,
    date: new Date().toUTCString(),
    'fspiop-source': source,
    'fspiop-destination': destination,
  };
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

function bodyId(received: Received): unknown {
  const body = received.body as Record<string, unknown> | undefined;
  return body && typeof body === 'object' ? body['transferId'] : undefined;
}
