// Checks the FX valibot schemas (schema/fspiop/fx.ts) against the FSPIOP v2.0 OpenAPI definition
// shipped in @mojaloop/api-snippets: every body requires the same fields, except where the hub
// is deliberately stricter (an fxTransfer must carry its expiration, so a reservation can end).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type * as v from 'valibot';
import { parse } from 'yaml';
import * as fx from '../../schema/fspiop/fx.ts';

type Schema = { required?: string[] };
const FILE = 'node_modules/@mojaloop/api-snippets/docs/fspiop-rest-v2.0-openapi3-snippets.yaml';
const SCHEMAS = (
  parse(readFileSync(FILE, 'utf8')) as { components: { schemas: Record<string, Schema> } }
).components.schemas;

function requiredOf(schema: v.GenericSchema): string[] {
  const entries = (schema as unknown as { entries: Record<string, { type: string }> }).entries;
  return Object.entries(entries)
    .filter(([, entry]) => entry.type !== 'optional')
    .map(([key]) => key)
    .sort();
}

/** Fields the hub requires beyond the definition, with the reason in the module comment. */
const STRICTER: Record<string, string[]> = { FxTransfersPostRequest: ['expiration'] };

describe('FX valibot schemas against the v2.0 OpenAPI definition', () => {
  for (const [name, schema] of [
    ['FxMoney', fx.FxMoney],
    ['FxCharge', fx.FxCharge],
    ['FxConversion', fx.FxConversion],
    ['FxQuotesPostRequest', fx.FxQuotesPostRequest],
    ['FxQuotesIDPutResponse', fx.FxQuotesIDPutResponse],
    ['FxTransfersPostRequest', fx.FxTransfersPostRequest],
    ['FxTransfersIDPutResponse', fx.FxTransfersIDPutResponse],
    ['FxTransfersIDPatchResponse', fx.FxTransfersIDPatchResponse],
    ['ServicesFXPPutResponse', fx.ServicesFxpPutResponse],
  ] as const) {
    it(`${name} requires the fields the definition requires`, () => {
      const expected = [...(SCHEMAS[name]?.required ?? []), ...(STRICTER[name] ?? [])].sort();
      assert.ok(SCHEMAS[name], `${name} is in the definition`);
      assert.deepEqual(requiredOf(schema), expected);
    });
  }
});
