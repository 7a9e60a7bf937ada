// An HTTP client for external oracles over the Mojaloop oracle API (synchronous JSON):
// GET/POST/PUT/DELETE {endpoint}/participants/{Type}/{ID} and batch POST {endpoint}/participants.
// The gateway calls it (actors do no I/O) and stamps the answer on the PartyLookup command.
// Every call has a deadline; a failure is thrown as OracleError and becomes an FSPIOP error.
// With allowed ranges, an oracle's name is resolved and judged at connect time, as callbacks are.
// Redirects are not followed (README "Security").

import { isIP } from 'node:net';
import { Agent, type Dispatcher, fetch } from 'undici';
import { guardedLookup, refusedAddress, type TargetRange } from '../notifier/url.ts';

export type OracleParty = {
  readonly fspId: string;
  readonly currency?: string;
  readonly partySubIdOrType?: string;
};

export type OracleTarget = {
  readonly partyIdType: string;
  readonly partyIdentifier: string;
  readonly partySubIdOrType?: string;
  readonly currency?: string;
};

export class OracleError extends Error {
  override readonly name = 'OracleError';
  constructor(
    message: string,
    /** HTTP status of the oracle's answer, or undefined when it could not be reached. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export type OracleClientOptions = {
  readonly timeoutMs?: number;
  /** Non-public ranges an oracle may resolve to (CALLBACK_ALLOWED_RANGES); absent: no check. */
  readonly allowedRanges?: readonly TargetRange[];
};

const TIMEOUT_MS_DEFAULT = 5_000;

function participantUrl(endpoint: string, target: OracleTarget): string {
  const base = endpoint.replace(/\/+$/, '');
  const type = encodeURIComponent(target.partyIdType);
  const url = new URL(`${base}/participants/${type}/${encodeURIComponent(target.partyIdentifier)}`);
  if (target.currency) url.searchParams.set('currency', target.currency);
  if (target.partySubIdOrType) url.searchParams.set('partySubIdOrType', target.partySubIdOrType);
  return url.toString();
}

type CallOptions = {
  readonly timeoutMs: number;
  readonly guard?: { readonly dispatcher: Dispatcher; readonly allowed: readonly TargetRange[] };
};

async function call(
  method: string,
  url: string,
  body: unknown,
  options: CallOptions,
): Promise<unknown> {
  const { timeoutMs, guard } = options;
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    // A literal address is never looked up, so it is judged here.
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const refused = guard && isIP(host) ? refusedAddress(host, guard.allowed) : undefined;
    if (refused !== undefined) throw new Error(`target refused: ${refused}`);
    response = await fetch(url, {
      ...(guard ? { dispatcher: guard.dispatcher } : {}),
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // A redirect could send the hub's request anywhere (an internal service, a metadata
      // address) past the check its registered URL passed: it is an error, never followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // fetch says only "fetch failed"; the reason (refused target, DNS, reset) is its cause.
    const cause = (error as { cause?: { message?: unknown } }).cause?.message;
    const reason = typeof cause === 'string' ? cause : (error as Error).message;
    throw new OracleError(`oracle unreachable: ${reason}`);
  }
  const text = await response.text();
  if (!response.ok) throw new OracleError(`oracle answered ${response.status}`, response.status);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new OracleError('oracle answered invalid JSON', response.status);
  }
}

function partyList(answer: unknown): OracleParty[] {
  const list = (answer as { partyList?: unknown } | undefined)?.partyList;
  if (!Array.isArray(list)) return [];
  return list
    .filter((item): item is OracleParty => typeof item?.fspId === 'string')
    .map((item) => ({
      fspId: item.fspId,
      ...(typeof item.currency === 'string' ? { currency: item.currency } : {}),
      ...(typeof item.partySubIdOrType === 'string'
        ? { partySubIdOrType: item.partySubIdOrType }
        : {}),
    }));
}

export class OracleClient {
  private readonly call: CallOptions;

  constructor(options: OracleClientOptions = {}) {
    const timeoutMs = options.timeoutMs ?? TIMEOUT_MS_DEFAULT;
    const allowed = options.allowedRanges;
    if (allowed === undefined) {
      this.call = { timeoutMs };
      return;
    }
    const dispatcher = new Agent({ connect: { lookup: guardedLookup(allowed) } });
    this.call = { timeoutMs, guard: { dispatcher, allowed } };
  }

  /**
   * Owners of a party, filtered as the ALS does: without SubId keep entries without
   * partySubIdOrType; with SubId keep exact matches.
   */
  async lookup(endpoint: string, target: OracleTarget): Promise<OracleParty[]> {
    const answer = await call('GET', participantUrl(endpoint, target), undefined, this.call);
    return partyList(answer).filter((p) => p.partySubIdOrType === target.partySubIdOrType);
  }

  async register(endpoint: string, target: OracleTarget, fspId: string): Promise<void> {
    const url = participantUrl(endpoint, {
      partyIdType: target.partyIdType,
      partyIdentifier: target.partyIdentifier,
    });
    const body = {
      fspId,
      ...(target.currency ? { currency: target.currency } : {}),
      ...(target.partySubIdOrType ? { partySubIdOrType: target.partySubIdOrType } : {}),
    };
    await call('POST', url, body, this.call);
  }

  async deregister(endpoint: string, target: OracleTarget): Promise<void> {
    await call('DELETE', participantUrl(endpoint, target), undefined, this.call);
  }
}
