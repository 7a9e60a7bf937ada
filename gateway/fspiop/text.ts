// Which text the edge lets into the switch. Control characters and lone UTF-16 surrogates have no
// place in an FSPIOP or Admin request: PostgreSQL refuses NUL in text and JSONB, a lone surrogate
// cannot be written as UTF-8, and C1 controls turn up only in mangled input. Identifiers, object
// keys, path segments, query and header values get the strict rule (no control character at all);
// free text inside a JSON body may also carry tab, line feed and carriage return, which JSON
// escapes and every store keeps. Pure functions, shared by the FSPIOP and the Admin API.

/** C0 controls, DEL and C1 controls: Unicode category Cc. */
const CONTROL = /\p{Cc}/u;
/** The same without tab, line feed and carriage return. */
const CONTROL_BUT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;
/** Header values: HTTP allows horizontal tab between tokens. */
const CONTROL_BUT_TAB = /(?!\t)\p{Cc}/u;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type TextRule = 'strict' | 'freeText' | 'header';

const RULES: Record<TextRule, RegExp> = {
  strict: CONTROL,
  freeText: CONTROL_BUT_LINE_BREAKS,
  header: CONTROL_BUT_TAB,
};

/** Why `text` may not enter the switch under `rule`, or undefined when it may. */
export function textFault(text: string, rule: TextRule): string | undefined {
  if (RULES[rule].test(text)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain lone UTF-16 surrogates';
  return undefined;
}

/** A value as it may be quoted in an error description: escaped and at most `max` characters. */
export function quoted(text: string, max = 24): string {
  const escaped = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return escaped.slice(1, -1);
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly: invalid byte sequences are an error, never U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** decodeURIComponent that answers undefined for bad escapes or non-UTF-8 bytes. */
export function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
