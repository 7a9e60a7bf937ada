// Requests Node's HTTP parser refuses before any app sees them (headers over 16 KiB, a control
// byte in a header, a malformed request line) still get an FSPIOP answer the client can read.
// Node's default writes a bare 400 and destroys the socket at once: unread request bytes then
// turn the close into a reset, and a client still writing its body never reads the answer
// (ECONNRESET/EPIPE). Here the answer goes out, the rest of the request is read and dropped for
// a bounded time, and the connection closes gracefully.

import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, type FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';

/** How long a refused connection is drained before it is closed regardless. */
export const CLIENT_ERROR_DRAIN_MS = 5000;

type Refusal = { status: number; reason: string; code: FspiopCode; detail: string };

function refusalFor(error: NodeJS.ErrnoException): Refusal {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const detail = 'the request headers exceed the server limit';
    return { status: 431, reason: 'Request Header Fields Too Large', code: '3104', detail };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const detail = 'the request was not received in time';
    return { status: 408, reason: 'Request Timeout', code: '3000', detail };
  }
  const detail = `the request is not valid HTTP/1.1 (${error.code ?? 'parse error'})`;
  return { status: 400, reason: 'Bad Request', code: '3101', detail };
}

/** The raw HTTP/1.1 answer for a refused request: an FSPIOP error body, then close. */
export function clientErrorResponse(error: NodeJS.ErrnoException): string {
  const refusal = refusalFor(error);
  const body = JSON.stringify(errorBody(fspiopError(refusal.code, refusal.detail)));
  return [
    `HTTP/1.1 ${refusal.status} ${refusal.reason}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Makes `server` answer parser-level refusals with FSPIOP errors and close gracefully. */
export function answerClientErrors(server: Server): void {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node reports every later chunk of a refused request again; the first report answers.
    if (answered.has(socket)) return;
    answered.add(socket);
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error));
    setTimeout(() => socket.destroy(), CLIENT_ERROR_DRAIN_MS).unref();
  });
}
