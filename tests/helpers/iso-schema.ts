// The official ISO 20022 JSON schemas of FSPIOP v2.0 (@mojaloop/api-snippets) as validators. The
// published schemas close every choice (`Party52Choice`, `CryptographicLockChoice`, ...) with
// `additionalProperties: false` while declaring the choice's properties only inside its anyOf
// branches, so a strict validator rejects every message that uses one; the branches' properties
// are lifted to the closed object here (the branches still check them), which is how the
// reference validator reads them.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Validate = ((data: unknown) => boolean) & { errors?: unknown };
type AjvClass = new (options: object) => { compile(schema: object): Validate };
const Ajv = (require('ajv') as { default: AjvClass }).default;
const schemas =
  require('@mojaloop/api-snippets/lib/fspiop/v2_0_ISO20022/json-schemas.json') as Record<
    string,
    object
  >;

type Node = Record<string, unknown>;

function liftChoices(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) liftChoices(item);
    return;
  }
  const object = node as Node;
  const branches = [object['anyOf'], object['oneOf']].flat().filter(Boolean) as Node[];
  if (object['additionalProperties'] === false && branches.length > 0) {
    const properties = (object['properties'] ?? {}) as Node;
    for (const branch of branches) {
      for (const key of Object.keys((branch['properties'] ?? {}) as Node)) properties[key] ??= {};
    }
    object['properties'] = properties;
  }
  for (const value of Object.values(object)) liftChoices(value);
}

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, logger: false });
const compiled = new Map<string, Validate>();

/** Validates `body` against the named official schema; returns the first error, or undefined. */
export function isoSchemaFault(name: string, body: unknown): string | undefined {
  let validate = compiled.get(name);
  if (validate === undefined) {
    const schema = structuredClone(schemas[name]);
    if (schema === undefined) throw new Error(`no ISO schema ${name}`);
    liftChoices(schema);
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate(body) ? undefined : JSON.stringify(validate.errors).slice(0, 400);
}
