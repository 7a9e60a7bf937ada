// Registration-time check of callback and oracle URLs (README "Security"): a DFSP endpoint or an
// oracle must be an http(s) URL without credentials, and a literal address in it must be public
// unless CALLBACK_ALLOWED_RANGES allows its range (development allows loopback). Host names are
// judged again at delivery, against the addresses they resolve to then.

import { refusedTarget, type TargetRange } from '../../runtime/notifier/url.ts';

/** The URL a registration names; e-mail endpoints (`*_EMAIL`) name none. */
function urlIn(path: string, body: unknown): string | undefined {
  const record = (body ?? {}) as {
    type?: unknown;
    value?: unknown;
    endpoint?: { value?: unknown };
  };
  if (path.startsWith('/oracles')) {
    const value = record.endpoint?.value;
    return typeof value === 'string' ? value : undefined;
  }
  const isUrl = typeof record.type === 'string' && record.type.includes('URL');
  return isUrl && typeof record.value === 'string' ? record.value : undefined;
}

/** Why this Admin request registers a refused target, or undefined (also for non-registrations). */
export function refusedRegistration(
  method: string,
  path: string,
  body: string | null,
  allowed: readonly TargetRange[],
): string | undefined {
  const registers =
    (method === 'POST' && /^\/participants\/[^/]+\/endpoints$/.test(path)) ||
    ((method === 'POST' || method === 'PUT') && /^\/oracles(\/[^/]+)?$/.test(path));
  if (!registers || body === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined; // the route answers malformed JSON
  }
  const url = urlIn(path, parsed);
  const reason = url === undefined ? undefined : refusedTarget(url, allowed);
  return reason === undefined ? undefined : `callback target refused: ${reason}`;
}
