// Checks mkondo's valibot FSPIOP schemas against the official OpenAPI definitions shipped in
// @mojaloop/api-snippets (v1.1 and v2.0): the transfer and bulk bodies require the same fields, and the
// patterns for Amount, DateTime, ids, IlpCondition and IlpFulfilment accept and reject the same
// samples as the OpenAPI regexes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { parse } from 'yaml';
import * as bulk from '../../schema/fspiop/bulk.ts';
import * as common from '../../schema/fspiop/common.ts';
import * as transfers from '../../schema/fspiop/transfers.ts';

type Schema = { required?: string[]; pattern?: string; properties?: Record<string, unknown> };
const DOCS = 'node_modules/@mojaloop/api-snippets/docs';

function load(file: string): Record<string, Schema> {
  const doc = parse(readFileSync(`${DOCS}/${file}`, 'utf8')) as {
    components: { schemas: Record<string, Schema> };
  };
  return doc.components.schemas;
}

const VERSIONS = {
  '1.1': load('fspiop-rest-v1.1-openapi3-snippets.yaml'),
  '2.0': load('fspiop-rest-v2.0-openapi3-snippets.yaml'),
};

function requiredOf(schema: v.GenericSchema): string[] {
  const entries = (schema as unknown as { entries: Record<string, { type: string }> }).entries;
  return Object.entries(entries)
    .filter(([, entry]) => entry.type !== 'optional')
    .map(([key]) => key)
    .sort();
}

const SAMPLES: Record<string, { schema: v.GenericSchema; samples: string[] }> = {
  Amount: {
    schema: common.Amount,
    samples: [
      '0',
      '1',
      '10.5',
      '60.1234',
      '10.12345',
      '01',
      '1.10',
      '1234567890123456789',
      '-1',
      '',
    ],
  },
  DateTime: {
    schema: common.DateTime,
    samples: [
      '2016-05-24T08:38:08.699-04:00',
      '2026-05-28T20:26:40.000Z',
      '2026-05-28T20:26:40Z',
      '2023-02-29T00:00:00.000Z',
      '2024-02-29T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
    ],
  },
  IlpCondition: {
    schema: common.IlpCondition,
    samples: [
      'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM',
      'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAf',
      'GRzLaTP7DJ9t4P+a/BA0WA9wzzlsugf00-Tn6kESAfM',
    ],
  },
  IlpFulfilment: {
    schema: common.IlpFulfilment,
    samples: [
      'UNlJ98hZTY_dsw0cAqw4i_UN3v4utt7CZFB4yfLbVFA',
      '_3cco-YN5OGpRKVWV3n6x6uNpBTH9tYUdOYmHA-----',
      'short',
    ],
  },
};

const IDS = [
  'b51ec534-ee48-4575-b6a9-ead2955b8069',
  '01J9ZQ4C5W3V6XK8R2M7N0P1QS',
  'B51EC534-EE48-4575-B6A9-EAD2955B8069',
  'b51ec534-ee48-8575-b6a9-ead2955b8069',
  '01J9ZQ4C5W3V6XK8R2M7N0P1QI',
];

describe('FSPIOP valibot schemas against the official OpenAPI definitions', () => {
  for (const [version, schemas] of Object.entries(VERSIONS)) {
    for (const [name, schema] of [
      ['TransfersPostRequest', transfers.TransfersPostRequest],
      ['TransfersIDPutResponse', transfers.TransfersIDPutResponse],
      ['TransfersIDPatchResponse', transfers.TransfersIDPatchResponse],
      ['ErrorInformation', common.ErrorInformation],
      ['Money', common.Money],
      ['ExtensionList', common.ExtensionList],
      ['BulkQuotesPostRequest', bulk.BulkQuotesPostRequest],
      ['BulkQuotesIDPutResponse', bulk.BulkQuotesIDPutResponse],
      ['IndividualQuote', bulk.IndividualQuote],
      ['IndividualQuoteResult', bulk.IndividualQuoteResult],
      ['BulkTransfersPostRequest', bulk.BulkTransfersPostRequest],
      ['BulkTransfersIDPutResponse', bulk.BulkTransfersIDPutResponse],
      ['IndividualTransfer', bulk.IndividualTransfer],
      ['IndividualTransferResult', bulk.IndividualTransferResult],
    ] as const) {
      it(`${name} requires the same fields as v${version}`, () => {
        assert.deepEqual(requiredOf(schema), [...(schemas[name]?.required ?? [])].sort());
      });
    }
    for (const [name, { schema, samples }] of Object.entries(SAMPLES)) {
      it(`${name} accepts and rejects what the v${version} pattern does`, () => {
        const pattern = new RegExp(schemas[name]?.pattern ?? '$^');
        for (const sample of samples) {
          assert.equal(v.is(schema, sample), pattern.test(sample), `${name} '${sample}'`);
        }
      });
    }
  }

  it('CorrelationId is the v2.0 pattern (UUID or ULID), accepted in every version', () => {
    const pattern = new RegExp(VERSIONS['2.0'].CorrelationId?.pattern ?? '$^');
    for (const id of IDS) assert.equal(v.is(common.CorrelationId, id), pattern.test(id), id);
    const v11 = new RegExp(VERSIONS['1.1'].CorrelationId?.pattern ?? '$^');
    assert.equal(v11.test(IDS[0] ?? ''), true);
  });
});
