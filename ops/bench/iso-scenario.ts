// Scenario i (issue 15): scenario a's transfers with the payer DFSP speaking ISO 20022 and the
// payee FSPIOP, so the hub translates every transfer both ways: the payer's pacs.008 prepare into
// the payee's FSPIOP POST /transfers, the payee's FSPIOP fulfil into the payer's pacs.002. The
// ISO binding carries no condition, so each prepare holds an ILP v4 Prepare packet whose
// executionCondition is the transfer's derived condition (fspiop.ts). Ids are ULIDs (the binding's
// TxId). Compared with a, the difference is the cost of translation per transfer.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { derivedMsgId } from '../../gateway/iso20022/context.ts';
import type { Starter } from './flows.ts';
import { NO_HOOKS } from './flows.ts';
import { conditionFor, errorCodeOf, httpDate, type Money } from './fspiop.ts';
import type { ScenarioResult } from './report.ts';
import { type Harness, modeFor, runTransferScenario } from './scenarios.ts';
import type { FspiopSender } from './switch-client.ts';
import type { Flow, Tracker } from './tracker.ts';

const ISO_TRANSFERS = 'application/vnd.interoperability.iso20022.transfers+json;version=2.0';
const EXPIRATION_MS = 60_000;
const AMOUNT = '1';

export async function scenarioI(h: Harness): Promise<ScenarioResult> {
  const [payer = '', payee = ''] = h.dfsps;
  await h.admin.json('PUT', `/participants/${payer}/apiType`, { apiType: 'ISO20022' });
  let tracker: Tracker | undefined;
  const result = await runTransferScenario(h, {
    scenario: 'i',
    title: 'scenario a with an ISO 20022 payer and an FSPIOP payee, translated both ways',
    mode: modeFor(h, 500),
    start: (_, used) => {
      tracker = used;
      h.simulator.use(used, NO_HOOKS);
      const amount = { amount: AMOUNT, currency: h.currency };
      return isoTransferStarter(h.client, used, amount, { payer, payee });
    },
    targetRate: 500,
    targetP99Ms: 50,
  });
  // The payee fulfils only prepares it can read as FSPIOP; the payer's callbacks must be ISO.
  const stats = h.simulator.stats;
  const finals = tracker?.total.finalCallbacks ?? 0;
  const translated = {
    name: 'every payer callback was ISO 20022, every payee prepare FSPIOP',
    ok: finals > 0 && stats.isoReceived === finals && stats.payeePrepares === finals,
    detail:
      `${stats.isoReceived} ISO messages at the payer, ${finals} final callbacks, ` +
      `${stats.payeePrepares} FSPIOP prepares fulfilled by the payee`,
  };
  return { ...result, checks: [...result.checks, translated] };
}

function isoTransferStarter(
  client: FspiopSender,
  tracker: Tracker,
  amount: Money,
  pair: { payer: string; payee: string },
): Starter {
  return (dueMs, measured, onDone) => {
    const flow: Flow = {
      transferId: derivedMsgId(randomUUID()),
      ...pair,
      dueMs,
      measured,
      prepareAccepted: false,
      finals: 0,
      ...(onDone === undefined ? {} : { onDone }),
    };
    tracker.start(flow);
    const headers = {
      'content-type': ISO_TRANSFERS,
      accept: ISO_TRANSFERS,
      date: httpDate(),
      'fspiop-source': flow.payer,
      'fspiop-destination': flow.payee,
    };
    const body = pacs008(flow, amount);
    void client.send('POST', '/transfers', headers, body).then((result) => {
      if (result.status === 202) tracker.prepareAccepted(flow);
      else {
        const code = result.status === 0 ? 'network' : errorCodeOf(result.body);
        tracker.fail(flow, code, performance.now());
      }
    });
  };
}

function pacs008(flow: Flow, amount: Money): string {
  const now = Date.now();
  return JSON.stringify({
    GrpHdr: {
      MsgId: derivedMsgId(`msg:${flow.transferId}`),
      CreDtTm: new Date(now).toISOString(),
      NbOfTxs: '1',
      SttlmInf: { SttlmMtd: 'CLRG' },
      PmtInstrXpryDtTm: new Date(now + EXPIRATION_MS).toISOString(),
    },
    CdtTrfTxInf: {
      PmtId: { TxId: flow.transferId },
      IntrBkSttlmAmt: { Ccy: amount.currency, ActiveCurrencyAndAmount: amount.amount },
      ChrgBr: 'SHAR',
      Dbtr: { Id: { PrvtId: { Othr: { Id: '1', SchmeNm: { Prtry: 'MSISDN' } } } } },
      DbtrAgt: { FinInstnId: { Othr: { Id: flow.payer } } },
      CdtrAgt: { FinInstnId: { Othr: { Id: flow.payee } } },
      Cdtr: { Id: { PrvtId: { Othr: { Id: '2', SchmeNm: { Prtry: 'MSISDN' } } } } },
      VrfctnOfTerms: {
        IlpV4PrepPacket: ilpPrepare(flow.payee, conditionFor(flow.transferId), now),
      },
    },
  });
}

/** OER variable-length octets (lengths below 65,536). */
function oerOctets(bytes: Buffer): Buffer {
  if (bytes.length < 128) return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([Buffer.from([0x82]), length, bytes]);
}

/** An ILP v4 Prepare (type 12) for amount 0 whose executionCondition is `condition`. */
function ilpPrepare(payee: string, condition: string, now: number): string {
  const expiry = new Date(now + EXPIRATION_MS)
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .padEnd(17, '0');
  const content = Buffer.concat([
    Buffer.alloc(8),
    Buffer.from(expiry),
    Buffer.from(condition, 'base64url'),
    oerOctets(Buffer.from(`g.${payee}`)),
    oerOctets(Buffer.alloc(0)),
  ]);
  return Buffer.concat([Buffer.from([12]), oerOctets(content)]).toString('base64url');
}
