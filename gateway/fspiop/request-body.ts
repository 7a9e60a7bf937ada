// Reading a request body within a byte limit, so that every request gets its answer. A body over
// the limit is still read to its end (and dropped, up to DRAIN_BYTES_MAX) before the 3104 answer:
// a client that writes its whole body before reading, as most do, would otherwise see the
// connection reset under it (EPIPE) instead of the answer. The text must be UTF-8; it is kept
// for the routes, which relay it byte for byte and hash it.

import type { Context } from 'hono';
import { FspiopCode } from '../../schema/fspiop/errors.ts';
import { FspiopHttpError } from './problem.ts';
import { decodeUtf8 } from './text.ts';

/** Past this much, an oversized body is no longer drained: the answer goes and the socket closes. */
export const DRAIN_BYTES_MAX = 16 * 1024 * 1024;

export class BodyTooLargeError extends FspiopHttpError {
  constructor(bodyBytesMax: number) {
    super(FspiopCode.TOO_LARGE_PAYLOAD, `/requestBody exceeds ${bodyBytesMax} bytes`);
  }
}

const texts = new WeakMap<Request, string>();

/** The body text the edge read for this request ('' when none); undefined if it read none. */
export function bodyTextOf(c: Context): string | undefined {
  return texts.get(c.req.raw);
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, read: number) {
  let bytes = read;
  while (bytes <= DRAIN_BYTES_MAX) {
    const chunk = await reader.read();
    if (chunk.done) return;
    bytes += chunk.value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
}

async function readBytes(request: Request, bodyBytesMax: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > bodyBytesMax) {
    await drain(reader, 0);
    throw new BodyTooLargeError(bodyBytesMax);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    total += chunk.value.byteLength;
    if (total > bodyBytesMax) {
      await drain(reader, total);
      throw new BodyTooLargeError(bodyBytesMax);
    }
    chunks.push(chunk.value);
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
}

/** Reads the whole body (3104 past the limit, 3101 if not UTF-8) and keeps it for the routes. */
export async function readRequestBody(c: Context, bodyBytesMax: number): Promise<string> {
  const bytes = await readBytes(c.req.raw, bodyBytesMax);
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    throw new FspiopHttpError(FspiopCode.MALFORMED_SYNTAX, '/requestBody is not valid UTF-8');
  }
  texts.set(c.req.raw, text);
  return text;
}
