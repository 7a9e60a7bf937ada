// The text of a request, checked before any route sees it: every path segment and query value
// decodes as UTF-8 and holds no control character or lone surrogate, and neither does any header
// value. Faults are named as the FSPIOP validator names fields (`/params/SubId`,
// `/query/currency`, `header 'fspiop-source'`) and answered 3101 Malformed syntax.

import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { FspiopCode } from '../../schema/fspiop/errors.ts';
import { FspiopHttpError } from './problem.ts';
import { decodeComponent, quoted, textFault } from './text.ts';

/** How the API names a route's path parameters in errors (`id` ⇒ `ID`); unlisted: as is. */
export type ParamNames = Readonly<Record<string, string>>;

function malformed(field: string, reason: string): FspiopHttpError {
  return new FspiopHttpError(FspiopCode.MALFORMED_SYNTAX, `${field} ${reason}`);
}

/** The names of the path parameters of the route that matched, by segment index. */
function segmentNames(c: Context, names: ParamNames): ReadonlyArray<string | undefined> {
  const routes = matchedRoutes(c).filter((route) => route.path.includes(':'));
  const path = routes.at(-1)?.path;
  if (path === undefined) return [];
  return path.split('/').map((segment) => {
    if (!segment.startsWith(':')) return undefined;
    const name = segment.slice(1).replace(/\?$/, '');
    return names[name] ?? name;
  });
}

function checkPath(c: Context, url: URL, names: ParamNames): void {
  const segments = url.pathname.split('/');
  const named = segmentNames(c, names);
  segments.forEach((raw, index) => {
    const name = named[index];
    const field = name === undefined ? `/path segment ${index}` : `/params/${name}`;
    const decoded = decodeComponent(raw);
    if (decoded === undefined) throw malformed(field, 'is not percent-encoded UTF-8');
    const fault = textFault(decoded, 'strict');
    if (fault) throw malformed(field, fault);
  });
}

function checkQuery(url: URL): void {
  if (url.search.length <= 1) return;
  for (const pair of url.search.slice(1).split('&')) {
    const [rawName = '', ...rest] = pair.split('=');
    const name = decodeComponent(rawName.replaceAll('+', ' '));
    const field = name === undefined ? '/query' : `/query/${quoted(name)}`;
    for (const text of [name, decodeComponent(rest.join('=').replaceAll('+', ' '))]) {
      if (text === undefined) throw malformed(field, 'is not percent-encoded UTF-8');
      const fault = textFault(text, 'strict');
      if (fault) throw malformed(field, fault);
    }
  }
}

function checkHeaders(c: Context): void {
  c.req.raw.headers.forEach((value, name) => {
    const fault = textFault(value, 'header');
    if (fault) throw malformed(`header '${name.toLowerCase()}'`, fault);
  });
}

/** Throws 3101 naming the first path segment, query parameter or header with bad text. */
export function checkRequestText(c: Context, names: ParamNames): void {
  const url = new URL(c.req.url);
  checkPath(c, url, names);
  checkQuery(url);
  checkHeaders(c);
}
