// Comparing what the replay rebuilt with what the database holds, actor by actor: version,
// partition, expiry timer and the state, byte for byte after canonical encoding (canonical.ts).
// Each difference is one sentence naming the actor and the first place the states part.

import { decodeJson } from '../../runtime/codec.ts';
import { canonicalJson } from './canonical.ts';
import type { DbSnapshot } from './database.ts';
import type { ReplayedActor } from './engine.ts';

export type Difference = {
  /** snapshot | outbox | stream | replay */
  readonly kind: string;
  readonly subject: string;
  readonly detail: string;
};

export function snapshotDifferences(
  replayed: readonly ReplayedActor[],
  snapshots: readonly DbSnapshot[],
): Difference[] {
  const differences: Difference[] = [];
  const rebuilt = new Map(replayed.map((a) => [`${a.type}/${a.key}`, a]));
  for (const snap of snapshots) {
    const name = `${snap.type}/${snap.key}`;
    const actor = rebuilt.get(name);
    rebuilt.delete(name);
    const differ = (detail: string) =>
      differences.push({ kind: 'snapshot', subject: name, detail });
    if (actor === undefined) {
      differ(`the database holds version ${snap.version}; the replay never changed this actor`);
      continue;
    }
    if (actor.version !== snap.version) {
      differ(`version: database ${snap.version}, replay ${actor.version}`);
    }
    if (actor.partition !== snap.partition) {
      differ(`partition: database ${snap.partition}, replay ${actor.partition}`);
    }
    if (actor.timerAtMs !== snap.timerAtMs) {
      differ(`expiry timer: database ${snap.timerAtMs}, replay ${actor.timerAtMs}`);
    }
    const stored = decodeJson(snap.stateText);
    if (canonicalJson(stored) !== canonicalJson(actor.state)) {
      differ(`state differs at ${firstDifference(stored, actor.state, '$')}`);
    }
  }
  for (const [name, actor] of rebuilt) {
    differences.push({
      kind: 'snapshot',
      subject: name,
      detail: `the replay rebuilt version ${actor.version}; the database has no snapshot`,
    });
  }
  return differences;
}

/** The path of the first place two decoded JSON values part, with both values there. */
export function firstDifference(stored: unknown, replayed: unknown, path: string): string {
  const bothObjects =
    stored !== null &&
    replayed !== null &&
    typeof stored === 'object' &&
    typeof replayed === 'object' &&
    Array.isArray(stored) === Array.isArray(replayed);
  if (bothObjects) {
    const a = stored as Record<string, unknown>;
    const b = replayed as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      if (canonicalJson(a[key]) !== canonicalJson(b[key])) {
        return firstDifference(a[key], b[key], `${path}.${key}`);
      }
    }
  }
  const show = (value: unknown) => canonicalJson(value).slice(0, 200);
  return `${path}: database ${show(stored)}, replay ${show(replayed)}`;
}
