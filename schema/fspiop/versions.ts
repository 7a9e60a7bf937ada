// FSPIOP version mediation for relayed messages (fspiop.md §1.4), rewriting only the version
// parameter of the Content-Type, never the body:
// - an answer goes back to its requester in a version the requester's Accept allows (a payee may
//   answer 2.0 to a payer that asked for 1.x; a minor version is backward compatible);
// - a request whose ids are ULIDs (valid only from 2.0, yet sent with 1.x headers by clients
//   such as the Mojaloop Testing Toolkit) is forwarded labelled 2.0, the lowest version in which
//   it is valid, so a strict receiver does not refuse it.
// Pure string functions, used by the actors and the notifier.

/** Concrete versions the hub speaks, lowest first. */
const HUB_VERSIONS = ['1.0', '1.1', '2.0'] as const;

/**
 * The version the hub labels relayed answers with when the payee's is not acceptable: the
 * default of hub-originated callbacks (FSPIOP DEFAULT_API_VERSIONS), as the reference ALS rewrites
 * an unlisted Content-Type version to its configured default.
 */
const PREFERRED_VERSION = '1.0';

const ACCEPT_ITEM = /^application\/vnd\.interoperability\.(?:iso20022\.)?[A-Za-z]+\+json(.*)$/;
const VERSION_PARAM = /;\s?version=(\d+(?:\.\d+)?)\s*$/;
const CONTENT_VERSION = /(;\s?version=)(\d+\.\d+)(\s*)$/;

/** Versions listed in an Accept header; 'any' when an item has no version (or none parses). */
export function acceptedVersions(accept: string | undefined): readonly string[] | 'any' {
  if (accept === undefined) return 'any';
  const versions: string[] = [];
  for (const part of accept.split(',')) {
    const item = ACCEPT_ITEM.exec(part.trim());
    if (!item) continue;
    const version = VERSION_PARAM.exec(item[1] ?? '')?.[1];
    if (version === undefined) return 'any';
    versions.push(version);
  }
  return versions.length === 0 ? 'any' : versions;
}

/** Does an Accept entry (`1`, `1.1`, `2.0`) let its sender read a `major.minor` message? */
function reads(entry: string, version: string): boolean {
  const [major, minor] = entry.split('.');
  const [vMajor, vMinor = '0'] = version.split('.');
  if (major !== vMajor) return false;
  return minor === undefined || Number(vMinor) <= Number(minor);
}

/**
 * The version to relay a `version` message with to a requester whose Accept was `accept`: the
 * payee's own when the requester reads it, else the hub's preferred one when readable, else the
 * highest hub version the requester reads; unchanged when it reads none of them.
 */
export function negotiatedVersion(version: string, accept: string | undefined): string {
  const accepted = acceptedVersions(accept);
  if (accepted === 'any') return version;
  const readable = (v: string) => accepted.some((entry) => reads(entry, v));
  if (readable(version)) return version;
  if (readable(PREFERRED_VERSION)) return PREFERRED_VERSION;
  return [...HUB_VERSIONS].reverse().find(readable) ?? version;
}

/** The Content-Type with only its version parameter replaced as negotiated. */
export function negotiatedContentType(contentType: string, accept: string | undefined): string {
  const match = CONTENT_VERSION.exec(contentType);
  const version = match?.[2];
  if (version === undefined) return contentType;
  const chosen = negotiatedVersion(version, accept);
  return chosen === version ? contentType : contentType.replace(CONTENT_VERSION, `$1${chosen}$3`);
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// A message's ids are in its path and its endpoint parameters (transferId, the quote's ID...):
// checking those needs no parse of a body the hub otherwise relays as opaque bytes.
function carriesUlid(path: string, params: Readonly<Record<string, string>>): boolean {
  if (path.split(/[/?]/).some((segment) => ULID.test(segment))) return true;
  return Object.values(params).some((value) => ULID.test(value));
}

/** The Content-Type a forwarded 1.x request carries: 2.0 when its ids exist only in 2.0. */
export function contentTypeForIds(
  contentType: string,
  path: string,
  params: Readonly<Record<string, string>>,
): string {
  const version = CONTENT_VERSION.exec(contentType)?.[2];
  if (version === undefined || !version.startsWith('1.')) return contentType;
  if (!carriesUlid(path, params)) return contentType;
  return contentType.replace(CONTENT_VERSION, '$12.0$3');
}

/**
 * The version of the hub's own PATCH to a payee, answering its RESERVED fulfil in `answered`.
 * When the prepare went out relabelled 2.0 only because its ids are ULIDs, the payee answered in
 * that label; the PATCH then speaks the version the payer opened the transfer in, as a switch
 * that relays versions unchanged would (and as the Mojaloop Testing Toolkit expects).
 */
export function versionForPayee(
  answered: string,
  payerVersion: string | undefined,
  transferId: string,
): string {
  const relabelled = payerVersion?.startsWith('1.') === true && ULID.test(transferId);
  return relabelled && answered === '2.0' ? payerVersion : answered;
}

/** The `major.minor` version of a Content-Type, if it carries one. */
export function contentVersion(contentType: string | undefined): string | undefined {
  return contentType === undefined ? undefined : CONTENT_VERSION.exec(contentType)?.[2];
}
