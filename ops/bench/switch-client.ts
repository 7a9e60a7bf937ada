// The simulators' and the load generator's HTTP client to the switch: one undici keep-alive pool
// per base URL, bodies read as text (the callers parse only what they need). A network error is a
// result with status 0, never a throw: the load generator counts it and goes on.

import { Pool } from 'undici';
import type { HeaderSet } from './fspiop.ts';

export type HttpResult = { readonly status: number; readonly body: string };

/** What sends FSPIOP requests for the simulated DFSPs: a SwitchClient or secure.ts's SignedClients. */
export type FspiopSender = Pick<SwitchClient, 'send' | 'close'>;

/** Client certificate and CA of a mutual-TLS connection (scenario s). */
export type ClientTls = { readonly ca: string; readonly cert: string; readonly key: string };

export class SwitchClient {
  private readonly pool: Pool;

  constructor(baseUrl: string, connections = 64, tls?: ClientTls) {
    this.pool = new Pool(baseUrl, {
      connections,
      ...(tls === undefined ? {} : { connect: { ...tls } }),
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
  }

  async send(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    headers: HeaderSet,
    body?: string,
  ): Promise<HttpResult> {
    try {
      const response = await this.pool.request({
        method,
        path,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      return { status: response.statusCode, body: await response.body.text() };
    } catch (error) {
      return { status: 0, body: String((error as Error).message ?? error) };
    }
  }

  /** Plain JSON (Admin API). Throws on a non-2xx answer: onboarding must not half-succeed. */
  async json(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const result = await this.send(
      method,
      path,
      { 'content-type': 'application/json', 'fspiop-source': 'hub_operator' },
      body === undefined ? undefined : JSON.stringify(body),
    );
    if (result.status < 200 || result.status >= 300) {
      throw new Error(`${method} ${path} answered ${result.status}: ${result.body.slice(0, 300)}`);
    }
    return result.body === '' ? undefined : JSON.parse(result.body);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
