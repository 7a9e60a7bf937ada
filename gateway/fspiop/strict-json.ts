// The hazards JSON.parse lets through, found in one pass over a request body before anything reads
// it: a key given twice (the hub would validate the last value while the DFSP it relays to may
// read the first), nesting deeper than any FSPIOP message, control characters or lone surrogates
// in a key or a string at any depth, and numbers a double cannot hold exactly. A plain syntax
// error is not reported here: JSON.parse reports it where the body is parsed, after the headers
// are checked, so the answer is the one Mojaloop gives. Pure; no Hono.

import { quoted, textFault } from './text.ts';

/** No FSPIOP or Admin message nests half as deep; ISO 20022 JSON reaches about ten. */
export const JSON_DEPTH_MAX = 32;
/** Digits a double holds exactly: Admin amounts may arrive as JSON numbers. */
export const NUMBER_DIGITS_MAX = 15;

export type JsonFault = { readonly pointer: string; readonly reason: string };

const POINTER_SHOWN_MAX = 60;
const SYNTAX_ERROR = Symbol('syntax');
const NUMBER = /-?(0|[1-9]\d*)(?:\.(\d+))?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'];

class Scanner {
  private pos = 0;
  private readonly path: string[] = [];

  constructor(
    private readonly text: string,
    private readonly root: string,
    private readonly exactNumbers: boolean,
  ) {}

  scan(): void {
    this.value(0);
    this.whitespace();
    if (this.pos !== this.text.length) throw SYNTAX_ERROR;
  }

  private fault(reason: string, key?: string): JsonFault {
    const keys = key === undefined ? this.path : [...this.path, key];
    const pointer = [this.root, ...keys.map((k) => quoted(k))].join('/');
    // Descriptions are cut at 128 characters: keep the reason and the innermost part of the path.
    const shown =
      pointer.length <= POINTER_SHOWN_MAX ? pointer : `…${pointer.slice(-POINTER_SHOWN_MAX)}`;
    return { pointer: shown, reason };
  }

  private whitespace(): void {
    const text = this.text;
    let c = text.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++this.pos);
  }

  private value(depth: number): void {
    this.whitespace();
    const c = this.text[this.pos];
    if (c === '{' || c === '[') {
      if (depth >= JSON_DEPTH_MAX) throw this.fault(`nests deeper than ${JSON_DEPTH_MAX} levels`);
      if (c === '{') this.object(depth + 1);
      else this.array(depth + 1);
    } else if (c === '"') {
      const fault = textFault(this.string(), 'freeText');
      if (fault) throw this.fault(fault);
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      this.number();
    } else {
      const literal = LITERALS.find((word) => this.text.startsWith(word, this.pos));
      if (literal === undefined) throw SYNTAX_ERROR;
      this.pos += literal.length;
    }
  }

  private object(depth: number): void {
    this.pos++;
    this.whitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    const keys = new Set<string>();
    for (;;) {
      this.whitespace();
      if (this.text[this.pos] !== '"') throw SYNTAX_ERROR;
      const key = this.string();
      const fault = textFault(key, 'strict');
      if (fault) throw this.fault(`has a property name that ${fault}`);
      if (keys.has(key)) throw this.fault(`has the property '${quoted(key)}' more than once`);
      keys.add(key);
      this.whitespace();
      if (this.text[this.pos++] !== ':') throw SYNTAX_ERROR;
      this.path.push(key);
      this.value(depth);
      this.path.pop();
      if (this.endOf('}')) return;
    }
  }

  private array(depth: number): void {
    this.pos++;
    this.whitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.path.push(String(index));
      this.value(depth);
      this.path.pop();
      if (this.endOf(']')) return;
    }
  }

  /** After a member: true at the closing bracket, false after a comma. */
  private endOf(close: string): boolean {
    this.whitespace();
    const c = this.text[this.pos++];
    if (c === close) return true;
    if (c === ',') return false;
    throw SYNTAX_ERROR;
  }

  /** The decoded string at pos (which is at its opening quote). */
  private string(): string {
    const text = this.text;
    let i = this.pos + 1;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (Number.isNaN(c)) throw SYNTAX_ERROR;
      if (c < 0x20) throw this.fault('must not contain control characters');
      if (c === 0x5c) {
        escaped = true;
        i += 2;
      } else {
        i++;
      }
    }
    const raw = text.slice(this.pos, i + 1);
    this.pos = i + 1;
    if (!escaped) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      throw SYNTAX_ERROR;
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) throw SYNTAX_ERROR;
    this.pos += match[0].length;
    const digits = `${match[1]}${match[2] ?? ''}`.replace(/^0+/, '').replace(/0+$/, '');
    const value = Number(match[0]);
    const exact =
      digits.length <= NUMBER_DIGITS_MAX &&
      Number.isFinite(value) &&
      (value !== 0 || digits.length === 0);
    if (!exact && this.exactNumbers) {
      throw this.fault(`must be a number of at most ${NUMBER_DIGITS_MAX} significant digits`);
    }
  }
}

/**
 * The first hazard in a JSON text, named by its place under `root`; undefined when none.
 * `exactNumbers: false` lets a number past a double's precision through: for a body relayed as
 * written whose numbers the hub never reads (FSPIOP has none: amounts and integers are strings).
 */
export function jsonFault(
  text: string,
  root: string,
  options: { readonly exactNumbers: boolean } = { exactNumbers: true },
): JsonFault | undefined {
  try {
    new Scanner(text, root, options.exactNumbers).scan();
    return undefined;
  } catch (thrown) {
    if (thrown === SYNTAX_ERROR) return undefined;
    if (thrown instanceof Error) throw thrown;
    return thrown as JsonFault;
  }
}
