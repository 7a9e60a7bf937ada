// The envelope of every command on the CMD stream. The publisher stamps `nowMs`, which becomes
// ctx.nowMs in decide(): replaying the stream replays the same clock, so snapshots rebuild exactly.

export type Envelope = {
  /** Actor type (folder name in actors/). */
  readonly type: string;
  /** Actor key; the subject may carry it encoded, the envelope carries it verbatim. */
  readonly key: string;
  readonly nowMs: number;
  readonly command: unknown;
  /** Core NATS inbox that waits for the actor's reply (Admin API writes); optional. */
  readonly replyTo?: string;
};

export function isEnvelope(value: unknown): value is Envelope {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['type'] === 'string' &&
    typeof candidate['key'] === 'string' &&
    typeof candidate['nowMs'] === 'number' &&
    candidate['command'] !== undefined &&
    (candidate['replyTo'] === undefined || typeof candidate['replyTo'] === 'string')
  );
}
