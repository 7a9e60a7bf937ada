// JSON that keeps bigints exact. Actor state, commands and events carry money as bigint minor
// units; on the wire and in snapshots a bigint is written as {"$bigint":"<digits>"} so that no
// amount ever passes through a JS number.

const BIGINT_TAG = '$bigint';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { [BIGINT_TAG]: value.toString() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const tagged = (value as Record<string, unknown>)[BIGINT_TAG];
    if (typeof tagged === 'string' && Object.keys(value).length === 1) return BigInt(tagged);
  }
  return value;
}

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

export function decodeJson<T = unknown>(text: string): T {
  return JSON.parse(text, reviver) as T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeBytes(value: unknown): Uint8Array {
  return encoder.encode(encodeJson(value));
}

export function decodeBytes<T = unknown>(bytes: Uint8Array): T {
  return decodeJson<T>(decoder.decode(bytes));
}
