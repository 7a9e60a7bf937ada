// One HTTP attempt, behind an interface so the delivery logic is tested without sockets. The
// production transport is an undici Agent: keep-alive connections per DFSP origin (at most
// connectionsPerOrigin, so one DFSP cannot take every socket), a connect timeout and an overall
// request deadline. It never throws: a network failure is an AttemptResult with its error code.
// A refusal's body is read (at most ERROR_BODY_BYTES_MAX) for the receiver's FSPIOP error, which
// a failed forward hands on to its sender as Mojaloop's services do.

import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import type { CallbackMethod } from '../../actors/callback.ts';
import type { FspiopError } from '../../schema/fspiop/errors.ts';
import type { AttemptResult } from './retry.ts';
import { guardedLookup, refusedAddress, type TargetRange } from './url.ts';

/** A refusal body larger than this is not read for an errorInformation. */
export const ERROR_BODY_BYTES_MAX = 64 * 1024;

export type HttpRequest = {
  readonly method: CallbackMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
};

export interface Transport {
  send(request: HttpRequest): Promise<AttemptResult>;
  close(): Promise<void>;
}

export type HttpTransportOptions = {
  readonly connectTimeoutMs?: number;
  /** Deadline for one attempt, from sending to the end of the response body. */
  readonly requestTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
  readonly connectionsPerOrigin?: number;
  /** Non-public ranges callbacks may reach (README "Security"); absent: no check. */
  readonly allowedRanges?: readonly TargetRange[];
};

export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const allowed = options.allowedRanges;
  const agent = new Agent({
    connect: {
      timeout: options.connectTimeoutMs ?? 3_000,
      ...(allowed ? { lookup: guardedLookup(allowed) } : {}),
    },
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
    connections: options.connectionsPerOrigin ?? 32,
  });
  return {
    async send(req) {
      // A literal address is never looked up, so it is judged here.
      const host = URL.canParse(req.url) ? new URL(req.url).hostname.replace(/^\[|\]$/g, '') : '';
      if (allowed && isIP(host) && refusedAddress(host, allowed)) {
        return { kind: 'network', error: 'ETARGETREFUSED' };
      }
      try {
        const response = await request(req.url, {
          dispatcher: agent,
          method: req.method,
          headers: req.headers,
          body: req.body ?? null,
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const status = response.statusCode;
        if (status >= 200 && status < 300) {
          // Drain the body so that the keep-alive connection goes back to the pool.
          await response.body.dump();
          return { kind: 'status', status };
        }
        const error = errorInformationOf(await readBounded(response.body));
        return error === undefined ? { kind: 'status', status } : { kind: 'status', status, error };
      } catch (error) {
        return { kind: 'network', error: errorCode(error) };
      }
    },
    async close() {
      await agent.close();
    },
  };
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.name === 'string' ? e.name : 'UNKNOWN';
}

async function readBounded(body: AsyncIterable<Buffer> & { dump(): Promise<void> }) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > ERROR_BODY_BYTES_MAX) {
      await body.dump();
      return '';
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The `errorInformation` of a refusal body, when it is a well-formed FSPIOP error. */
export function errorInformationOf(text: string): FspiopError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const info = (parsed as { errorInformation?: Record<string, unknown> } | null)?.errorInformation;
  const code = info?.['errorCode'];
  const description = info?.['errorDescription'];
  if (typeof code !== 'string' || !/^\d{4}$/.test(code)) return undefined;
  if (typeof description !== 'string' || description.length === 0) return undefined;
  return { errorCode: code, errorDescription: description.slice(0, 128) };
}
