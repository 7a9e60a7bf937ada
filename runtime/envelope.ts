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

/**
 * What a requester hears when its command was parked instead of applied (runtime/poison.ts):
 * the command changed nothing, and waiting longer will not change that.
 */
export type FailureReply = { readonly mkondoCommandFailed: { readonly reason: string } };

export function failureReply(reason: string): FailureReply {
  return { mkondoCommandFailed: { reason } };
}

export function isFailureReply(value: unknown): value is FailureReply {
  if (value === null || typeof value !== 'object') return false;
  const failed = (value as Record<string, unknown>)['mkondoCommandFailed'];
  return failed !== null && typeof failed === 'object';
}
