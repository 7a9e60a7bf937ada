// Publishing the outbox of a persisted batch. Rows go out pipelined (every publish started, then
// all acks awaited together) with their deterministic Nats-Msg-Id, so re-publishing after a crash
// or a takeover is absorbed by JetStream's duplicate window. Directory entries are outbox rows too:
// a put to a KV bucket is a JetStream publish on `$KV.<bucket>.<key>`.

import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { bucketName } from './names.ts';
import type { OutboxRow } from './snapshot-store.ts';

export async function publishOutbox(
  js: JetStreamClient,
  rows: readonly OutboxRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const acks = new Array<Promise<unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    acks[i] = js.publish(row.subject, row.payload, {
      msgID: row.msgId,
      ...(row.headers ? { headers: toHeaders(row.headers) } : {}),
    });
  }
  await Promise.all(acks);
}

function toHeaders(values: Readonly<Record<string, string>>) {
  const h = natsHeaders();
  for (const [name, value] of Object.entries(values)) h.set(name, value);
  return h;
}

const PLAIN_KV_KEY = /^[A-Za-z0-9_=-]{1,200}$/;

/** KV keys allow fewer characters than actor keys; others are carried as `b64.<base64url>`. */
export function directoryKey(key: string): string {
  return PLAIN_KV_KEY.test(key) ? key : `b64.${Buffer.from(key, 'utf8').toString('base64url')}`;
}

export function actorKeyOf(directoryKeyText: string): string {
  return directoryKeyText.startsWith('b64.')
    ? Buffer.from(directoryKeyText.slice(4), 'base64url').toString('utf8')
    : directoryKeyText;
}

export function directoryBucket(type: string): string {
  return bucketName(`dir-${type}`);
}

export function directorySubject(type: string, key: string): string {
  return `$KV.${directoryBucket(type)}.${directoryKey(key)}`;
}
