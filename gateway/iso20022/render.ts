// Renders each callback in its receiver's API type, for the notifier (runtime/notifier/render.ts).
// A relayed message whose sender and receiver use the same type goes as written, bytes and
// headers (relay fidelity, issue 20: its end-to-end signature stays valid). Across types, the body
// is translated, the media types follow, the sender's now meaningless FSPIOP-Signature is dropped
// and the notifier signs the translation with the hub's key when it has one; FSPIOP-Source stays
// the sender. A hub-originated message (errors, PATCH, GET results, timeouts) is written in FSPIOP
// by its actor and rendered in ISO for an ISO receiver. Resources outside the binding are FSPIOP
// for everyone. The GrpHdr.MsgId of a rendering derives from the callback id, so a redelivery
// carries the same one.

import type { Callback } from '../../actors/callback.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import type { CallbackRenderer, Rendered } from '../../runtime/notifier/render.ts';
import { derivedMsgId, type IsoContext } from './context.ts';
import { fspiopToIso, ISO_RESOURCES, isoMessageKind, isoToFspiop } from './messages.ts';

/** The version of every message rendered across types: the binding exists only in v2.0. */
const BINDING_VERSION = '2.0';

export function isIsoMediaType(value: string | undefined): boolean {
  return value?.includes('.iso20022.') === true;
}

function mediaType(callback: Callback, iso: boolean, version = BINDING_VERSION): string {
  const binding = iso ? 'iso20022.' : '';
  return `application/vnd.interoperability.${binding}${callback.resource}+json;version=${version}`;
}

export function isoRenderer(hubName: string): CallbackRenderer {
  return (callback, receiver, nowMs) => renderFor(callback, receiver, { hubName, nowMs });
}

type RenderOptions = { readonly hubName: string; readonly nowMs: number };

export function renderFor(
  callback: Callback,
  receiver: ParticipantDirectoryEntry | undefined,
  options: RenderOptions,
): Rendered {
  const unchanged: Rendered = { kind: 'callback', callback, translated: false };
  if (!ISO_RESOURCES.has(callback.resource)) return unchanged;
  const toIso = receiver?.apiType === 'iso20022';
  const relay = callback.relay;
  const isIso = relay ? isIsoMediaType(relay.headers['content-type']) : callback.iso === true;
  if (toIso === isIso) return unchanged;
  try {
    return relay ? translateRelay(callback, toIso, options) : renderHub(callback, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'untranslatable', error: `${callback.method} ${callback.path}: ${reason}` };
  }
}

function contextOf(callback: Callback, source: string | undefined, nowMs: number): IsoContext {
  const pathId = callback.path.split('/')[2];
  return {
    msgId: derivedMsgId(callback.id),
    createdAt: new Date(nowMs).toISOString(),
    ...(source === undefined ? {} : { source }),
    destination: callback.to,
    ...(pathId === undefined ? {} : { pathId }),
  };
}

function translatedBody(callback: Callback, body: unknown, toIso: boolean, ctx: IsoContext) {
  const kind = isoMessageKind(callback.resource, callback.method, callback.path);
  if (kind === undefined) throw new Error('no ISO 20022 message in the binding');
  return toIso ? fspiopToIso(kind, body, ctx) : isoToFspiop(kind, body);
}

function translateRelay(callback: Callback, toIso: boolean, options: RenderOptions): Rendered {
  const relay = callback.relay ?? { headers: {} };
  const headers: Record<string, string> = { ...relay.headers };
  delete headers['fspiop-signature'];
  if (headers['content-type'] !== undefined) headers['content-type'] = mediaType(callback, toIso);
  if (headers['accept'] !== undefined) headers['accept'] = mediaType(callback, toIso, '2');
  if (relay.body === undefined) {
    return { kind: 'callback', callback: { ...callback, relay: { headers } }, translated: true };
  }
  const ctx = contextOf(callback, headers['fspiop-source'] ?? options.hubName, options.nowMs);
  const body = translatedBody(callback, JSON.parse(relay.body), toIso, ctx);
  const translated = { ...callback, relay: { headers, body: JSON.stringify(body) } };
  return { kind: 'callback', callback: translated, translated: true };
}

function renderHub(callback: Callback, options: RenderOptions): Rendered {
  const ctx = contextOf(callback, options.hubName, options.nowMs);
  const body =
    callback.body === undefined ? undefined : translatedBody(callback, callback.body, true, ctx);
  const rendered: Callback = {
    ...callback,
    iso: true,
    version: BINDING_VERSION,
    ...(body === undefined ? {} : { body }),
  };
  return { kind: 'callback', callback: rendered, translated: false };
}
