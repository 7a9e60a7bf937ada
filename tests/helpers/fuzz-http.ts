// A raw HTTP/1.1 client for the fuzzer: it writes exactly the bytes a hostile client would
// (repeated headers, control bytes, bodies of any size), one request per connection, writes the
// whole body before it reads, as most clients do, and reports what came back within a bound:
// the status and body, or that nothing complete came (timeout, reset, EPIPE).

import { connect } from 'node:net';

export type RawAnswer =
  | { readonly kind: 'answer'; readonly status: number; readonly body: string; readonly ms: number }
  | { readonly kind: 'none'; readonly reason: string; readonly ms: number };

export type RawRequest = {
  readonly method: string;
  readonly path: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
};

function head(base: URL, request: RawRequest): Buffer {
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `host: ${base.host}`];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  if (request.body !== undefined) lines.push(`content-length: ${request.body.length}`);
  lines.push('connection: close', '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf('\r\n', at);
    if (end < 0) break;
    const size = Number.parseInt(body.subarray(at, end).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(body.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Parses a complete response (the server closed the connection after it). */
function parse(bytes: Buffer): { status: number; body: string } | undefined {
  const split = bytes.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const headText = bytes.subarray(0, split).toString('latin1');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headText)?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const raw = bytes.subarray(split + 4);
  const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(headText);
  return { status, body: (chunked ? dechunk(raw) : raw).toString('utf8') };
}

/** Sends one request on its own connection; answers within `boundMs` in every case. */
export function rawRequest(base: URL, request: RawRequest, boundMs: number): Promise<RawAnswer> {
  const startedMs = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let writeError: string | undefined;
    const socket = connect(Number(base.port), base.hostname);
    const finish = (reason: string) => {
      clearTimeout(timer);
      socket.destroy();
      const ms = Date.now() - startedMs;
      const answer = parse(Buffer.concat(chunks));
      resolve(answer ? { kind: 'answer', ...answer, ms } : { kind: 'none', reason, ms });
    };
    const timer = setTimeout(() => finish(`no complete answer within ${boundMs} ms`), boundMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(writeError ?? 'closed without an answer'));
    socket.on('close', () => finish(writeError ?? 'closed without an answer'));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // EPIPE/ECONNRESET while writing: the answer may still be in the receive buffer.
      writeError = error.code ?? error.message;
    });
    socket.on('connect', () => {
      socket.write(head(base, request));
      if (request.body !== undefined) socket.write(request.body);
    });
  });
}
