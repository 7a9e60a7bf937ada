// Translation cost on the transfer path, mkondo's own mappings (gateway/iso20022) against
// Mojaloop's @mojaloop/ml-schema-transformer-lib, message by message: the ISO pacs.008 a payer
// sends read into FSPIOP (at the edge, and again when relayed to an FSPIOP payee), the FSPIOP
// prepare rendered as pacs.008 for an ISO payee, and the fulfil both ways (pacs.002). Each side
// parses the body text and produces the text it would send, as the gateway and notifier do.
// Run: node --import tsx tests/bench/iso-translate.ts [iterations]

import { performance } from 'node:perf_hooks';
import { fspiopToIso, isoToFspiop } from '../../gateway/iso20022/messages.ts';
import { ilpPair } from '../helpers/fspiop-client.ts';
import { walletIlpPacket } from '../helpers/ilp-packet.ts';

const iterations = Number(process.argv[2] ?? 20_000);
const loadStart = performance.now();
const { referenceToFspiop, referenceToIso } = await import('../helpers/iso-reference.ts');
const loadMs = performance.now() - loadStart;

const pair = ilpPair();
const CTX = { msgId: '01JBVM14S6SC453EY9XB9GXQB6', createdAt: new Date().toISOString() };
const PREPARE = {
  transferId: '01JBVM14S6SC453EY9XB9GXQB5',
  payerFsp: 'payerfsp',
  payeeFsp: 'payeefsp',
  amount: { currency: 'USD', amount: '12.34' },
  ilpPacket: walletIlpPacket('payerfsp', 'payeefsp', pair.condition),
  condition: pair.condition,
  expiration: '2030-01-01T00:00:00.000Z',
};
const FULFIL = {
  transferState: 'COMMITTED',
  fulfilment: pair.fulfilment,
  completedTimestamp: '2026-12-04T10:00:00.000Z',
};
const texts = {
  prepareIso: JSON.stringify(fspiopToIso('transfers.post', PREPARE, CTX)),
  prepare: JSON.stringify(PREPARE),
  fulfilIso: JSON.stringify(fspiopToIso('transfers.put', FULFIL, CTX)),
  fulfil: JSON.stringify(FULFIL),
};
const params = { ID: PREPARE.transferId };
const headers = { 'fspiop-source': 'payeefsp', 'fspiop-destination': 'payerfsp' };

type Case = {
  readonly name: string;
  readonly mine: () => string;
  readonly theirs: () => Promise<string>;
};

const CASES: readonly Case[] = [
  {
    name: 'pacs.008 -> POST /transfers',
    mine: () => JSON.stringify(isoToFspiop('transfers.post', JSON.parse(texts.prepareIso))),
    theirs: async () =>
      JSON.stringify(
        await referenceToFspiop('transfers.post', { body: JSON.parse(texts.prepareIso) }),
      ),
  },
  {
    name: 'POST /transfers -> pacs.008',
    mine: () => JSON.stringify(fspiopToIso('transfers.post', JSON.parse(texts.prepare), CTX)),
    theirs: async () =>
      JSON.stringify(await referenceToIso('transfers.post', { body: JSON.parse(texts.prepare) })),
  },
  {
    name: 'pacs.002 -> PUT /transfers/{ID}',
    mine: () => JSON.stringify(isoToFspiop('transfers.put', JSON.parse(texts.fulfilIso))),
    theirs: async () =>
      JSON.stringify(
        await referenceToFspiop('transfers.put', { body: JSON.parse(texts.fulfilIso) }),
      ),
  },
  {
    name: 'PUT /transfers/{ID} -> pacs.002',
    mine: () => JSON.stringify(fspiopToIso('transfers.put', JSON.parse(texts.fulfil), CTX)),
    theirs: async () =>
      JSON.stringify(
        await referenceToIso('transfers.put', { body: JSON.parse(texts.fulfil), headers, params }),
      ),
  },
];

async function timeUs(run: () => unknown | Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < Math.min(n, 2_000); i++) await run();
  const start = performance.now();
  for (let i = 0; i < n; i++) await run();
  return ((performance.now() - start) * 1000) / n;
}

console.log(`reference library loaded in ${loadMs.toFixed(0)} ms; ${iterations} iterations each`);
console.log('| message | mkondo µs | ml-schema-transformer-lib µs | ratio |');
console.log('|---|---:|---:|---:|');
const mine: number[] = [];
const theirs: number[] = [];
for (const c of CASES) {
  const ours = await timeUs(c.mine, iterations);
  const reference = await timeUs(c.theirs, Math.max(1, Math.floor(iterations / 10)));
  mine.push(ours);
  theirs.push(reference);
  const ratio = (reference / ours).toFixed(0);
  console.log(`| ${c.name} | ${ours.toFixed(1)} | ${reference.toFixed(1)} | ${ratio}x |`);
}
// An ISO payer paying an FSPIOP payee: pacs.008 read at the edge and again for the payee, the
// payee's fulfil rendered as pacs.002 for the payer.
const perTransfer = (t: readonly number[]) => 2 * (t[0] ?? 0) + (t[3] ?? 0);
console.log(
  `per cross-type transfer: mkondo ${perTransfer(mine).toFixed(1)} µs, ` +
    `ml-schema-transformer-lib ${perTransfer(theirs).toFixed(1)} µs`,
);
