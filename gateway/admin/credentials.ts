// Admin routes for a participant's credentials (README "Security"): the TLS client certificates
// that authenticate it on the FSPIOP port, `/participants/{name}/certificates`, and the JWS keys
// that verify its FSPIOP-Signature, `/participants/{name}/jwscerts` (the Mojaloop Connection
// Manager's name and its `jwsCertificate` field; a bare `publicKey` is accepted too). PEM is
// parsed here, at the edge: the Credential actor only ever sees fingerprints, names and keys.

import { createPublicKey, X509Certificate } from 'node:crypto';
import { Hono } from 'hono';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import * as v from 'valibot';
import {
  type ClientCertificate,
  CREDENTIAL_ACTOR_TYPE,
  type CredentialCommand,
  type CredentialReply,
  type CredentialState,
  type JwsKey,
} from '../../actors/credential/index.ts';
import { type AdminDeps, adminError, expectOk, parseBody } from './http.ts';
import { requireParticipant } from './views.ts';

const PEM_CHARS_MAX = 16_384;
const pem = v.pipe(v.string(), v.minLength(1), v.maxLength(PEM_CHARS_MAX));
const FINGERPRINT = /^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/;

const CertificateBody = v.object({
  certificate: v.optional(pem),
  fingerprint: v.optional(v.pipe(v.string(), v.regex(FINGERPRINT, 'must be a SHA-256 hex'))),
  subject: v.optional(v.pipe(v.string(), v.regex(/^[\x20-\x7e]{1,128}$/, 'must be a CN'))),
});

const JwsBody = v.object({
  jwsCertificate: v.optional(pem),
  publicKey: v.optional(pem),
  kid: v.optional(v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,128}$/, 'must be printable'))),
});

/** `AB:CD:...` upper case, the shape of node's X509Certificate.fingerprint256. */
export function normalFingerprint(hex: string): string {
  const bare = hex.replace(/:/g, '').toUpperCase();
  return bare.match(/.{2}/g)?.join(':') ?? bare;
}

function clientCertificate(body: v.InferOutput<typeof CertificateBody>, nowMs: number) {
  const given = [body.certificate, body.fingerprint, body.subject].filter((x) => x !== undefined);
  if (given.length !== 1) {
    throw adminError('3100', 'give exactly one of certificate, fingerprint or subject');
  }
  if (body.subject !== undefined) {
    return { id: `subject:${body.subject}`, subject: body.subject, createdAtMs: nowMs };
  }
  let fingerprint = body.fingerprint;
  if (body.certificate !== undefined) {
    try {
      fingerprint = new X509Certificate(body.certificate).fingerprint256;
    } catch {
      throw adminError('3101', '"certificate" is not a PEM X.509 certificate');
    }
  }
  const fingerprint256 = normalFingerprint(fingerprint ?? '');
  return { id: `sha256:${fingerprint256.replace(/:/g, '')}`, fingerprint256, createdAtMs: nowMs };
}

async function jwsKey(body: v.InferOutput<typeof JwsBody>, nowMs: number): Promise<JwsKey> {
  if ((body.jwsCertificate === undefined) === (body.publicKey === undefined)) {
    throw adminError('3100', 'give exactly one of jwsCertificate or publicKey');
  }
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = body.jwsCertificate
      ? new X509Certificate(body.jwsCertificate).publicKey
      : createPublicKey(body.publicKey ?? '');
  } catch {
    throw adminError('3101', 'not a PEM certificate or public key');
  }
  const type = key.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec') throw adminError('3100', 'the key must be RSA or EC');
  if (type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw adminError('3100', 'an RSA key must have at least 2048 bits');
  }
  const publicKeyPem = key.export({ type: 'spki', format: 'pem' }).toString();
  const kid = body.kid ?? (await calculateJwkThumbprint(await exportJWK(key)));
  return {
    kid,
    publicKeyPem,
    ...(body.jwsCertificate ? { certificatePem: body.jwsCertificate } : {}),
    createdAtMs: nowMs,
  };
}

export function credentialRoutes(deps: AdminDeps): Hono {
  const app = new Hono();
  const now = () => (deps.nowMs ?? Date.now)();
  const ref = (name: string) => ({ type: CREDENTIAL_ACTOR_TYPE, key: name });
  const send = async (name: string, command: CredentialCommand) => {
    await requireParticipant(deps, name);
    expectOk(await deps.bus.request<CredentialReply>(ref(name), command, { nowMs: now() }));
    await deps.directory?.refresh?.(CREDENTIAL_ACTOR_TYPE, name);
  };
  const stateOf = async (name: string): Promise<CredentialState> => {
    await requireParticipant(deps, name);
    return (await deps.reader.get<CredentialState>(ref(name))) ?? { certificates: [], jwsKeys: [] };
  };

  app.get('/participants/:name/certificates', async (c) =>
    c.json((await stateOf(c.req.param('name'))).certificates),
  );
  app.post('/participants/:name/certificates', async (c) => {
    const certificate: ClientCertificate = clientCertificate(
      await parseBody(c, CertificateBody),
      now(),
    );
    await send(c.req.param('name'), { kind: 'AddClientCertificate', certificate });
    return c.json(certificate, 201);
  });
  app.delete('/participants/:name/certificates/:id', async (c) => {
    await send(c.req.param('name'), { kind: 'RemoveClientCertificate', id: c.req.param('id') });
    return c.body(null, 204);
  });

  app.get('/participants/:name/jwscerts', async (c) => {
    const keys = (await stateOf(c.req.param('name'))).jwsKeys;
    return c.json(
      keys.map(({ kid, publicKeyPem, createdAtMs }) => ({ kid, publicKeyPem, createdAtMs })),
    );
  });
  app.post('/participants/:name/jwscerts', async (c) => {
    const key = await jwsKey(await parseBody(c, JwsBody), now());
    await send(c.req.param('name'), { kind: 'AddJwsKey', key });
    return c.json({ kid: key.kid, createdAtMs: key.createdAtMs }, 201);
  });
  app.delete('/participants/:name/jwscerts/:kid', async (c) => {
    await send(c.req.param('name'), { kind: 'RemoveJwsKey', kid: c.req.param('kid') });
    return c.body(null, 204);
  });
  return app;
}
