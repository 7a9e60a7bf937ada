// An ILP v4 Prepare packet (base64 or base64url), read the way FSPIOP carries it: OER type 12,
// then an envelope of amount (8), expiresAt (17), executionCondition (32), destination address and
// data, where the data is the base64url JSON of the FSPIOP Transaction. Both the interchange fee
// rule (the transaction's facts) and the ISO 20022 binding (the condition, the parties) read it.
// Pure and total: a packet that does not decode yields undefined, never an exception.

const ILP_PREPARE = 12;
/** amount (8) + expiresAt (17) before the executionCondition (32). */
const CONDITION_OFFSET = 25;
const CONDITION_BYTES = 32;

type Cursor = { readonly bytes: Uint8Array; offset: number };

// OER variable-length octet string: a length (short form < 128, else 0x80 | count of length
// bytes), then that many bytes; undefined past the end.
function varOctets(c: Cursor): Uint8Array | undefined {
  const first = c.bytes[c.offset];
  if (first === undefined) return undefined;
  c.offset += 1;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 3) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = c.bytes[c.offset + i];
      if (b === undefined) return undefined;
      length = length * 256 + b;
    }
    c.offset += count;
  }
  if (c.offset + length > c.bytes.length) return undefined;
  const out = c.bytes.subarray(c.offset, c.offset + length);
  c.offset += length;
  return out;
}

export type IlpPrepareRead = {
  /** executionCondition, base64url (43 characters), as FSPIOP writes `condition`. */
  readonly condition: string;
  /** The data's JSON object (the FSPIOP Transaction), when it has one. */
  readonly transaction?: object;
};

/** The condition and the transaction JSON of an ILP v4 Prepare, or undefined. */
export function readIlpPrepare(packet: string): IlpPrepareRead | undefined {
  const bytes = Buffer.from(packet, 'base64');
  if (bytes[0] !== ILP_PREPARE) return undefined;
  const envelope = varOctets({ bytes, offset: 1 });
  const end = CONDITION_OFFSET + CONDITION_BYTES;
  if (!envelope || envelope.length < end) return undefined;
  const condition = Buffer.from(envelope.subarray(CONDITION_OFFSET, end)).toString('base64url');
  const inner: Cursor = { bytes: envelope, offset: end };
  if (!varOctets(inner)) return { condition }; // destination address
  const data = varOctets(inner);
  const transaction = data === undefined ? undefined : jsonObjectOf(data);
  return transaction === undefined ? { condition } : { condition, transaction };
}

function jsonObjectOf(data: Uint8Array): object | undefined {
  try {
    const text = Buffer.from(Buffer.from(data).toString('utf8'), 'base64').toString('utf8');
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}
