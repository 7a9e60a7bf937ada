// What a mapping needs besides the message: the identity of the hop (FSPIOP-Source and
// FSPIOP-Destination, which acmt.024 also names in its body) and, for a message the hub writes in
// ISO, a message id and a creation time. Both are given, never drawn, so that a mapping is a pure
// function and a redelivered callback is rendered the same way each time.

import { createHash } from 'node:crypto';

export type IsoContext = {
  /** GrpHdr.MsgId / Assgnmt.MsgId of a message the hub renders in ISO. */
  readonly msgId: string;
  /** GrpHdr.CreDtTm / Assgnmt.CreDtTm, ISO 8601 with milliseconds. */
  readonly createdAt: string;
  readonly source?: string;
  readonly destination?: string;
  /** The `{ID}` of the path (`/quotes/{ID}`): pacs.082 names the quote only there. */
  readonly pathId?: string;
};

/** A fault in an ISO message (or one that cannot be rendered), with the ISO path at fault. */
export class IsoMappingError extends Error {
  override readonly name = 'IsoMappingError';
  constructor(
    readonly code: '3100' | '3101' | '3102',
    message: string,
  ) {
    super(message);
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-shaped id derived from `seed` (26 Crockford base-32 characters, first one 0–7): the same
 * callback always gets the same MsgId, so a receiver can recognise a redelivery.
 */
export function derivedMsgId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 17)) bits = (bits << 8n) | BigInt(byte);
  bits >>= 6n; // 130 bits: 26 characters of 5 bits, the first below 8.
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = (CROCKFORD[Number(bits & 31n)] ?? '0') + out;
    bits >>= 5n;
  }
  return out;
}

/** An ISO amount in FSPIOP's canonical form: no trailing fraction zeros (`10.50` ⇒ `10.5`). */
export function fspiopAmountOf(isoAmount: string): string {
  if (!isoAmount.includes('.')) return isoAmount;
  const trimmed = isoAmount.replace(/0+$/, '');
  return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
}
