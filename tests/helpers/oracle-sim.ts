// A small external oracle for tests: the Mojaloop oracle API (synchronous JSON) over node:http,
// GET/POST/PUT/DELETE /participants/{Type}/{ID} and batch POST /participants, with entries in
// memory. It records every request so tests can assert that the hub really called it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OracleEntry = {
  readonly fspId: string;
  readonly currency?: string;
  readonly partySubIdOrType?: string;
};

export type OracleSimRequest = {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
};

export type OracleSim = {
  /** Base URL to register as the oracle endpoint, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Entries by `TYPE/ID`. */
  readonly entries: Map<string, OracleEntry[]>;
  readonly requests: OracleSimRequest[];
  close(): Promise<void>;
};

type Batch = { partyList?: { partyIdType: string; partyIdentifier: string; fspId?: string }[] };

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function matches(entry: OracleEntry, url: URL): boolean {
  const currency = url.searchParams.get('currency');
  const subId = url.searchParams.get('partySubIdOrType');
  return (
    (currency === null || entry.currency === undefined || entry.currency === currency) &&
    (subId === null || entry.partySubIdOrType === subId)
  );
}

function handle(sim: OracleSim, method: string, url: URL, body: unknown, res: ServerResponse) {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'participants') return send(res, 404);
  if (parts.length === 1 && method === 'POST') {
    for (const party of (body as Batch).partyList ?? []) {
      const key = `${party.partyIdType}/${party.partyIdentifier}`;
      sim.entries.set(key, [...(sim.entries.get(key) ?? []), { fspId: party.fspId ?? '' }]);
    }
    return send(res, 201);
  }
  if (parts.length !== 3) return send(res, 404);
  const key = `${parts[1]}/${parts[2]}`;
  const existing = sim.entries.get(key) ?? [];
  switch (method) {
    case 'GET':
      return send(res, 200, { partyList: existing.filter((e) => matches(e, url)) });
    case 'POST':
    case 'PUT':
      sim.entries.set(key, [...(method === 'PUT' ? [] : existing), body as OracleEntry]);
      return send(res, 201);
    case 'DELETE':
      if (existing.length === 0) return send(res, 404, { errorInformation: { errorCode: '3204' } });
      sim.entries.set(
        key,
        existing.filter((e) => !matches(e, url)),
      );
      return send(res, 204);
    default:
      return send(res, 405);
  }
}

/** Starts the oracle on a free loopback port. */
export async function startOracleSim(): Promise<OracleSim> {
  let server: Server | undefined;
  const sim: OracleSim = {
    url: '',
    entries: new Map(),
    requests: [],
    close: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://oracle');
    const method = req.method ?? 'GET';
    readBody(req)
      .then((body) => {
        sim.requests.push(
          body === undefined
            ? { method, url: req.url ?? '' }
            : { method, url: req.url ?? '', body },
        );
        handle(sim, method, url, body, res);
      })
      .catch(() => send(res, 400, { errorInformation: { errorCode: '3101' } }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { ...sim, url: `http://127.0.0.1:${port}`, close: sim.close };
}
