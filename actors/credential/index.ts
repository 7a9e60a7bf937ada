// The credentials of one participant (key: its name): the TLS client identities that
// authenticate it on the FSPIOP port (a certificate's SHA-256 fingerprint or its subject common
// name) and the public keys that verify its FSPIOP-Signature (several at once, for rotation, each
// with a kid). The Admin API parses certificates at the edge and sends plain values here; the
// directory projection `dir-credential/<name>` is what the FSPIOP gateway checks requests against.

import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import type { ActorDefinition, Decision } from '../actor.ts';
import { assertNever } from '../actor.ts';

export const CREDENTIAL_ACTOR_TYPE = 'credential';

/** A registered TLS client identity: exactly one of fingerprint256 or subject. */
export type ClientCertificate = {
  /** `sha256:<hex>` of the fingerprint, or `subject:<CN>`: how the Admin API names it. */
  readonly id: string;
  /** Upper-case hex SHA-256 of the certificate DER, colon separated (node's fingerprint256). */
  readonly fingerprint256?: string;
  /** The certificate subject's common name. */
  readonly subject?: string;
  readonly createdAtMs: number;
};

/** A JWS verification key (SPKI PEM) and its kid. */
export type JwsKey = {
  readonly kid: string;
  readonly publicKeyPem: string;
  /** The certificate it came from, when registered as one (MCM's jwsCertificate). */
  readonly certificatePem?: string;
  readonly createdAtMs: number;
};

export type CredentialState = {
  readonly certificates: readonly ClientCertificate[];
  readonly jwsKeys: readonly JwsKey[];
};

export type CredentialCommand =
  | { readonly kind: 'AddClientCertificate'; readonly certificate: ClientCertificate }
  | { readonly kind: 'RemoveClientCertificate'; readonly id: string }
  | { readonly kind: 'AddJwsKey'; readonly key: JwsKey }
  | { readonly kind: 'RemoveJwsKey'; readonly kid: string };

export type CredentialEvent =
  | { readonly type: 'ClientCertificateAdded'; readonly certificate: ClientCertificate }
  | { readonly type: 'ClientCertificateRemoved'; readonly id: string }
  | { readonly type: 'JwsKeyAdded'; readonly key: JwsKey }
  | { readonly type: 'JwsKeyRemoved'; readonly kid: string };

export type CredentialReply =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: FspiopError };

/** Bounds what one participant can register (STYLE.md rule 6). */
export const CREDENTIALS_PER_KIND_MAX = 16;

type CredentialDecision = Decision<CredentialEvent, CredentialReply>;

const OK: CredentialReply = { ok: true };

function refuse(code: '3000' | '3003' | '3200', detail: string): CredentialDecision {
  return { events: [], effects: [], reply: { ok: false, error: fspiopError(code, detail) } };
}

function decideAddCertificate(
  state: CredentialState,
  certificate: ClientCertificate,
): CredentialDecision {
  // Re-running an onboarding script registers the same certificate again: answered as done.
  if (state.certificates.some((c) => c.id === certificate.id))
    return { events: [], effects: [], reply: OK };
  if (state.certificates.length >= CREDENTIALS_PER_KIND_MAX) {
    return refuse('3000', `at most ${CREDENTIALS_PER_KIND_MAX} client certificates`);
  }
  return { events: [{ type: 'ClientCertificateAdded', certificate }], effects: [], reply: OK };
}

function decideAddKey(state: CredentialState, key: JwsKey): CredentialDecision {
  const same = state.jwsKeys.find((k) => k.kid === key.kid);
  if (same && same.publicKeyPem === key.publicKeyPem) return { events: [], effects: [], reply: OK };
  if (same) return refuse('3003', `kid ${key.kid} is registered with another key`);
  if (state.jwsKeys.length >= CREDENTIALS_PER_KIND_MAX) {
    return refuse('3000', `at most ${CREDENTIALS_PER_KIND_MAX} JWS keys`);
  }
  return { events: [{ type: 'JwsKeyAdded', key }], effects: [], reply: OK };
}

export function decideCredential(
  state: CredentialState,
  command: CredentialCommand,
): CredentialDecision {
  switch (command.kind) {
    case 'AddClientCertificate':
      return decideAddCertificate(state, command.certificate);
    case 'RemoveClientCertificate':
      if (!state.certificates.some((c) => c.id === command.id)) {
        return refuse('3200', `client certificate ${command.id} not found`);
      }
      return {
        events: [{ type: 'ClientCertificateRemoved', id: command.id }],
        effects: [],
        reply: OK,
      };
    case 'AddJwsKey':
      return decideAddKey(state, command.key);
    case 'RemoveJwsKey':
      if (!state.jwsKeys.some((k) => k.kid === command.kid)) {
        return refuse('3200', `JWS key ${command.kid} not found`);
      }
      return { events: [{ type: 'JwsKeyRemoved', kid: command.kid }], effects: [], reply: OK };
    default:
      return assertNever(command);
  }
}

export function evolveCredential(state: CredentialState, event: CredentialEvent): CredentialState {
  switch (event.type) {
    case 'ClientCertificateAdded':
      return { ...state, certificates: [...state.certificates, event.certificate] };
    case 'ClientCertificateRemoved':
      return { ...state, certificates: state.certificates.filter((c) => c.id !== event.id) };
    case 'JwsKeyAdded':
      return { ...state, jwsKeys: [...state.jwsKeys, event.key] };
    case 'JwsKeyRemoved':
      return { ...state, jwsKeys: state.jwsKeys.filter((k) => k.kid !== event.kid) };
    default:
      return assertNever(event);
  }
}

/** Directory projection: what the FSPIOP gateway authenticates a participant's requests with. */
export type CredentialDirectoryEntry = CredentialState;

export const credentialActor: ActorDefinition<
  CredentialState,
  CredentialCommand,
  CredentialEvent,
  CredentialReply
> = {
  type: CREDENTIAL_ACTOR_TYPE,
  initial: { certificates: [], jwsKeys: [] },
  decide: (state, command) => decideCredential(state, command),
  evolve: evolveCredential,
  directoryEntry: (state): CredentialDirectoryEntry => state,
};
