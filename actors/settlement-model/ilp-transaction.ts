// The transaction facts an interchange fee rule reads, taken from a transfer's ILP packet: an ILP
// v4 Prepare (OER: type 12, then amount, expiry, condition, destination and data), whose data is
// the base64url JSON of the FSPIOP Transaction (scenario, initiator, parties). Pure and total: a
// packet that does not decode yields no facts (and so no fee), never an exception.

import type { TransactionFacts } from './interchange-fee.ts';

const ILP_PREPARE = 12;
/** amount (8) + expiresAt (17) + executionCondition (32). */
const FIXED_FIELDS = 57;

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

type Party = { partyIdInfo?: { extensionList?: Extensions }; extensionList?: Extensions };
type Extensions = { extension?: { key?: unknown; value?: unknown }[] };

function accountType(party: Party | undefined): string | undefined {
  const lists = [party?.partyIdInfo?.extensionList, party?.extensionList];
  for (const list of lists) {
    const found = list?.extension?.find((e) => e.key === 'accountType');
    if (typeof found?.value === 'string') return found.value;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The Transaction carried in `ilpPacket` (base64 or base64url), or undefined. */
export function transactionFactsOf(ilpPacket: string): TransactionFacts | undefined {
  const bytes = Buffer.from(ilpPacket, 'base64');
  if (bytes[0] !== ILP_PREPARE) return undefined;
  const envelope = varOctets({ bytes, offset: 1 });
  if (!envelope || envelope.length < FIXED_FIELDS) return undefined;
  const inner: Cursor = { bytes: envelope, offset: FIXED_FIELDS };
  if (!varOctets(inner)) return undefined; // destination address
  const data = varOctets(inner);
  if (!data) return undefined;
  try {
    const json = Buffer.from(Buffer.from(data).toString('utf8'), 'base64').toString('utf8');
    const tx = JSON.parse(json) as {
      transactionType?: { scenario?: unknown; initiator?: unknown; initiatorType?: unknown };
      payer?: Party;
      payee?: Party;
    };
    const facts: Record<string, string | undefined> = {
      scenario: text(tx.transactionType?.scenario),
      initiator: text(tx.transactionType?.initiator),
      initiatorType: text(tx.transactionType?.initiatorType),
      payerAccountType: accountType(tx.payer),
      payeeAccountType: accountType(tx.payee),
    };
    return Object.fromEntries(
      Object.entries(facts).filter(([, v]) => v !== undefined),
    ) as TransactionFacts;
  } catch {
    return undefined;
  }
}
