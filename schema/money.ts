// FSPIOP amounts are decimal strings with at most 18 integer and 4 fractional digits. mkondo holds
// every amount as a bigint of minor units at one fixed scale (10^-4), whatever the currency, so
// arithmetic is exact and amounts of different precision compare directly. Never a JS number.

export const AMOUNT_SCALE = 4;
const SCALE_FACTOR = 10n ** BigInt(AMOUNT_SCALE);

/** The FSPIOP `Amount` pattern: no leading zeros, no trailing fractional zeros. */
export const FSPIOP_AMOUNT_PATTERN = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/;

/** Looser input accepted by the Admin API (e.g. "100.00", "0.5000"): up to 18.4 digits. */
const ADMIN_AMOUNT_PATTERN = /^-?(\d{1,18})(\.(\d{0,4}))?$/;

export type AmountParse =
  | { readonly ok: true; readonly minor: bigint }
  | { readonly ok: false; readonly reason: string };

function toMinor(integer: string, fraction: string, negative: boolean): bigint {
  const minor = BigInt(integer) * SCALE_FACTOR + BigInt(fraction.padEnd(AMOUNT_SCALE, '0'));
  return negative ? -minor : minor;
}

/** Parses a strict FSPIOP Amount string. */
export function parseFspiopAmount(text: string): AmountParse {
  if (!FSPIOP_AMOUNT_PATTERN.test(text)) {
    return { ok: false, reason: `amount '${text}' is not a valid FSPIOP Amount` };
  }
  const [integer = '0', fraction = ''] = text.split('.');
  return { ok: true, minor: toMinor(integer, fraction, false) };
}

/** Parses an Admin API amount (number or string, trailing zeros allowed, sign allowed). */
export function parseAdminAmount(value: unknown): AmountParse {
  const text = typeof value === 'number' ? numberToText(value) : value;
  if (typeof text !== 'string') return { ok: false, reason: 'amount must be a decimal string' };
  const match = ADMIN_AMOUNT_PATTERN.exec(text.trim());
  if (!match) {
    return { ok: false, reason: `amount '${text}' must have at most 18 digits and 4 decimals` };
  }
  return { ok: true, minor: toMinor(match[1] ?? '0', match[3] ?? '', text.trim().startsWith('-')) };
}

// A JSON number (Admin API bodies sometimes carry them) converted without float arithmetic.
function numberToText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}

/** Renders minor units as the canonical FSPIOP Amount text ("100", "10.5", "-3.0001"). */
export function formatAmount(minor: bigint): string {
  const negative = minor < 0n;
  const absolute = negative ? -minor : minor;
  const integer = absolute / SCALE_FACTOR;
  const fraction = (absolute % SCALE_FACTOR).toString().padStart(AMOUNT_SCALE, '0');
  const trimmed = fraction.replace(/0+$/, '');
  return `${negative ? '-' : ''}${integer}${trimmed ? `.${trimmed}` : ''}`;
}

/**
 * Renders minor units as a JSON number for Admin API answers that carry numbers (value, NDC), as
 * central-ledger does. Only at that edge: a decimal of at most 15 significant digits (amounts
 * below 10^11 at 4 decimals) survives the double and JSON.stringify prints it back digit for
 * digit; all arithmetic stays in bigint minor units.
 */
export function amountAsNumber(minor: bigint): number {
  return Number(formatAmount(minor));
}
