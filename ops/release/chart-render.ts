// Renders charts/mkondo for CI where no `helm` binary can be installed (Debian has none, and the
// Go toolchain Debian ships is too old to build it): a small interpreter of the part of Helm's
// template language the chart uses, and nothing more. Actions: `if` / `else` / `end`; terms
// `.Values.a.b`, `.Release.Name`, `.Release.Namespace`, `.Chart.Name`, `.Chart.AppVersion`,
// string and integer literals; functions `not`, `and`, `or`, `eq`, `default`, `quote`,
// `toYaml`, `indent`, `nindent`, `printf "%s"`, `sha256sum`; pipelines with `|`; `{{-` and `-}}` trim
// whitespace. Anything else is an error naming the template and the action, so the chart cannot
// drift into syntax this renderer would get wrong. Values files merge left to right as in Helm.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

type Scope = {
  readonly Values: Record<string, unknown>;
  readonly Release: { readonly Name: string; readonly Namespace: string };
  readonly Chart: { readonly Name: string; readonly AppVersion: string; readonly Version: string };
};

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'out'; readonly expr: string }
  | {
      readonly kind: 'if';
      readonly expr: string;
      readonly whenTrue: Node[];
      readonly otherwise: Node[];
    };

class TemplateError extends Error {}

/** Splits a template into text and actions, applying `{{-` / `-}}` whitespace trimming. */
function tokens(source: string): Array<{ text: string } | { action: string }> {
  const out: Array<{ text: string } | { action: string }> = [];
  const pattern = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
  let last = 0;
  let trimNext = false;
  for (const match of source.matchAll(pattern)) {
    let text = source.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1] === '-') text = text.replace(/\s+$/, '');
    out.push({ text });
    const action = match[2] ?? '';
    if (!action.startsWith('/*')) out.push({ action });
    trimNext = match[3] === '-';
    last = (match.index ?? 0) + match[0].length;
  }
  let rest = source.slice(last);
  if (trimNext) rest = rest.replace(/^\s+/, '');
  out.push({ text: rest });
  return out;
}

function tree(source: string, name: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ node: Extract<Node, { kind: 'if' }>; inElse: boolean }> = [];
  const target = () => {
    const top = stack[stack.length - 1];
    return top === undefined ? root : top.inElse ? top.node.otherwise : top.node.whenTrue;
  };
  for (const token of tokens(source)) {
    if ('text' in token) {
      if (token.text !== '') target().push({ kind: 'text', text: token.text });
      continue;
    }
    const action = token.action;
    if (action.startsWith('if ')) {
      const node = { kind: 'if' as const, expr: action.slice(3), whenTrue: [], otherwise: [] };
      target().push(node);
      stack.push({ node, inElse: false });
    } else if (action === 'else') {
      const top = stack[stack.length - 1];
      if (top === undefined) throw new TemplateError(`${name}: else without if`);
      top.inElse = true;
    } else if (action === 'end') {
      if (stack.pop() === undefined) throw new TemplateError(`${name}: end without if`);
    } else {
      target().push({ kind: 'out', expr: action });
    }
  }
  if (stack.length > 0) throw new TemplateError(`${name}: if without end`);
  return root;
}

/** Words of an action: quoted strings kept whole. */
function words(expr: string): string[] {
  return [...expr.matchAll(/"(?:[^"\\]|\\.)*"|\S+/g)].map((m) => m[0]);
}

function term(word: string, scope: Scope, name: string): unknown {
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (/^-?\d+$/.test(word)) return Number(word);
  if (word === 'true' || word === 'false') return word === 'true';
  if (word.startsWith('.')) {
    let value: unknown = scope;
    for (const key of word.slice(1).split('.')) {
      value = (value as Record<string, unknown> | undefined)?.[key];
    }
    return value;
  }
  throw new TemplateError(`${name}: unknown term ${word}`);
}

const empty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === false ||
  value === '' ||
  value === 0 ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

function yamlOf(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  not: (a) => empty(a),
  and: (...args) => args.every((a) => !empty(a)),
  or: (...args) => args.some((a) => !empty(a)),
  eq: (a, b) => a === b,
  default: (fallback, value) => (empty(value) ? fallback : value),
  quote: (value) => JSON.stringify(String(value ?? '')),
  toYaml: (value) => (value === undefined ? '' : yamlOf(value)),
  indent: (n, text) =>
    String(text)
      .split('\n')
      .map((line) => ' '.repeat(Number(n)) + line)
      .join('\n'),
  nindent: (n, text) => `\n${FUNCTIONS['indent']?.(n, text)}`,
  sha256sum: (text) => createHash('sha256').update(String(text)).digest('hex'),
  printf: (format, ...args) => {
    let i = 0;
    return String(format).replace(/%[sd]/g, () => String(args[i++] ?? ''));
  },
};

function evaluate(expr: string, scope: Scope, name: string): unknown {
  let value: unknown;
  let first = true;
  for (const stage of expr.split('|').map((s) => s.trim())) {
    const [head = '', ...rest] = words(stage);
    const fn = FUNCTIONS[head];
    const args = rest.map((w) => term(w, scope, name));
    if (!first) args.push(value);
    if (fn !== undefined) value = fn(...args);
    else if (first && rest.length === 0) value = term(head, scope, name);
    else throw new TemplateError(`${name}: unsupported action {{ ${expr} }}`);
    first = false;
  }
  return value;
}

function render(nodes: readonly Node[], scope: Scope, name: string): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'out') {
      const value = evaluate(node.expr, scope, name);
      out += typeof value === 'object' && value !== null ? yamlOf(value) : String(value ?? '');
    } else {
      const chosen = empty(evaluate(node.expr, scope, name)) ? node.otherwise : node.whenTrue;
      out += render(chosen, scope, name);
    }
  }
  return out;
}

function merge(base: unknown, over: unknown): unknown {
  if (
    typeof base !== 'object' ||
    base === null ||
    Array.isArray(base) ||
    typeof over !== 'object' ||
    over === null ||
    Array.isArray(over)
  ) {
    return over === undefined ? base : over;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) out[key] = merge(out[key], value);
  return out;
}

/** The chart's manifests (name -> YAML text) for these values files, merged in order. */
export function renderChart(
  chartDir: string,
  valuesFiles: readonly string[],
  release = { Name: 'mkondo', Namespace: 'mkondo' },
): Map<string, string> {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as {
    name: string;
    version: string;
    appVersion: string;
  };
  let values: unknown = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8'));
  for (const file of valuesFiles) values = merge(values, parse(readFileSync(file, 'utf8')));
  const scope: Scope = {
    Values: values as Record<string, unknown>,
    Release: release,
    Chart: { Name: chart.name, AppVersion: chart.appVersion, Version: chart.version },
  };
  const rendered = new Map<string, string>();
  const dir = join(chartDir, 'templates');
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.yaml')) continue;
    const name = `templates/${file}`;
    rendered.set(name, render(tree(readFileSync(join(dir, file), 'utf8'), name), scope, name));
  }
  return rendered;
}
