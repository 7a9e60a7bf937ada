// Reading and validating FSPIOP bodies at the edge. The exact body text is kept: relayed
// messages forward it byte for byte and the duplicate check hashes it. Malformed JSON ⇒ 3101;
// a schema violation ⇒ 3100 with a description that names the offending field, in the
// reference's OpenAPI-validator wording (`/requestBody/amount must have required property ...`).

import type { Context } from 'hono';
import * as v from 'valibot';
import { FspiopCode } from '../../schema/fspiop/errors.ts';
import { fspiopBodyOf } from '../iso20022/edge.ts';
import { FspiopHttpError } from './problem.ts';
import { bodyTextOf } from './request-body.ts';

export type ParsedBody<T> = { readonly text: string; readonly value: T };

/** The body text: as the edge read and checked it (edge.ts), else read now. */
export async function requestText(c: Context): Promise<string> {
  return bodyTextOf(c) ?? (await c.req.text());
}

/** Reads the body text and parses it as a JSON object (an ISO 20022 one mapped to FSPIOP). */
export async function readJsonBody(c: Context): Promise<ParsedBody<unknown>> {
  const text = await requestText(c);
  if (text.trim().length === 0) {
    throw new FspiopHttpError(FspiopCode.MISSING_ELEMENT, '/requestBody is required');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FspiopHttpError(FspiopCode.MALFORMED_SYNTAX, 'request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FspiopHttpError(FspiopCode.MALFORMED_SYNTAX, '/requestBody must be object');
  }
  return { text, value: fspiopBodyOf(c, value) };
}

/** Reads the body and validates it with a valibot schema (3101 malformed JSON, 3100 invalid). */
export async function parseBody<S extends v.GenericSchema>(
  c: Context,
  schema: S,
): Promise<ParsedBody<v.InferOutput<S>>> {
  const body = await readJsonBody(c);
  return { text: body.text, value: validate(schema, body.value, '/requestBody') };
}

/** Validates a value; throws 3100 naming the first failing field under `root`. */
export function validate<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
  root: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  throw new FspiopHttpError(
    FspiopCode.GENERIC_VALIDATION_ERROR,
    issue ? describeIssue(issue, root) : `${root} is invalid`,
  );
}

type Issue = v.BaseIssue<unknown>;

/** `/requestBody/amount/currency must be equal to one of the allowed values`, etc. */
export function describeIssue(issue: Issue, root: string): string {
  const keys = (issue.path ?? []).map((item) => String(item.key));
  const last = keys.at(-1);
  const parent = [root, ...keys.slice(0, -1)].join('/');
  if (last !== undefined && issue.input === undefined && issue.kind === 'schema') {
    return `${parent} must have required property '${last}'`;
  }
  const where = [root, ...keys].join('/');
  switch (issue.type) {
    case 'regex':
      return `${where} must match pattern "${issue.requirement instanceof RegExp ? issue.requirement.source : ''}"`;
    case 'picklist':
      return `${where} must be equal to one of the allowed values`;
    case 'min_length':
    case 'max_length':
      return `${where} ${issue.message}`;
    case 'check':
      return `${where} ${issue.message}`;
    case 'strict_object':
      return `${where} must NOT have additional properties`;
    default:
      return `${where} must be ${issue.expected ?? 'valid'}`;
  }
}
