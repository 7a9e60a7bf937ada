// The simulated users of the switch: the hub operator onboards the hub and three DFSPs (accounts,
// net debit cap, funds in) with the Admin API's real commands, payer DFSPs prepare transfers, and
// payee DFSPs answer the POST the switch forwards to them (a valid fulfilment, a wrong one, a
// rejection, silence until expiry, or a fulfilment after expiry). Everything enters as an
// envelope on CMD, stamped with the simulated clock, the way the gateway publishes it.

import { createHash } from 'node:crypto';
import type { Callback } from '../../actors/callback.ts';
import type { ParticipantCommand } from '../../actors/participant/messages.ts';
import type {
  FulfilTransfer,
  PrepareTransfer,
  RejectTransfer,
} from '../../actors/transfer/messages.ts';
import { decodeJson, encodeBytes } from '../../runtime/codec.ts';
import type { Envelope } from '../../runtime/envelope.ts';
import { commandSubject } from '../../runtime/partition.ts';
import { fspiopError } from '../../schema/fspiop/errors.ts';
import type { SimJetStream, StoredMsg } from './jetstream.ts';
import type { Prng } from './prng.ts';
import type { SimScheduler } from './scheduler.ts';

export const CURRENCY = 'USD';
export const HUB_NAME = 'Hub';
export const DFSPS = ['dfspa', 'dfspb', 'dfspc'] as const;
export const NET_DEBIT_CAP_MINOR = 400_000n;
export const FUNDS_IN_MINOR = 500_000n;
const PARTICIPANT_ID_BASE = 1001;

export type PayeeBehaviour = 'fulfil' | 'wrong-fulfilment' | 'reject' | 'silent' | 'late';

export type TransferPlan = {
  readonly transferId: string;
  readonly payerFsp: string;
  readonly payeeFsp: string;
  readonly amountMinor: bigint;
  readonly expiresAtMs: number;
  readonly fulfilment: string;
  readonly condition: string;
  readonly behaviour: PayeeBehaviour;
  readonly answerDelayMs: number;
};

export function settlementAccountId(dfspIndex: number): number {
  return (PARTICIPANT_ID_BASE + dfspIndex) * 100 + 2;
}

export class Workload {
  readonly plans = new Map<string, TransferPlan>();
  private readonly answered = new Set<string>();
  private next = 0;

  constructor(
    private readonly sched: SimScheduler,
    private readonly prng: Prng,
    private readonly js: SimJetStream,
    private readonly options: {
      readonly partitions: number;
      readonly expiryMaxMs: number;
      /** Chance that a DFSP sends its request twice (same body). */
      readonly resendChance: () => number;
    },
  ) {
    js.watchOut((msg) => this.onCallback(msg));
  }

  /** Publishes one command as the gateway does: an envelope stamped with the clock. */
  send(type: string, key: string, command: unknown): void {
    const envelope: Envelope = { type, key, nowMs: this.sched.nowMs, command };
    this.js.publish(commandSubject(type, key, this.options.partitions), encodeBytes(envelope));
  }

  private sendMaybeTwice(type: string, key: string, command: unknown): void {
    this.send(type, key, command);
    if (this.prng.chance(this.options.resendChance())) {
      const delayMs = this.prng.between(1, 2000);
      this.sched.after(delayMs, undefined, 'dfsp resend', () => this.send(type, key, command));
    }
  }

  onboard(): void {
    for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
      this.send('participant', HUB_NAME, {
        kind: 'AddHubAccount',
        ledgerAccountType: type,
        currency: CURRENCY,
      });
    }
    DFSPS.forEach((name, i) => {
      const commands: ParticipantCommand[] = [
        {
          kind: 'CreateParticipant',
          participantId: PARTICIPANT_ID_BASE + i,
          currency: CURRENCY,
          isProxy: false,
          accountTypes: ['POSITION', 'SETTLEMENT'],
        },
        {
          kind: 'SetInitialPositionAndLimits',
          currency: CURRENCY,
          netDebitCapMinor: NET_DEBIT_CAP_MINOR,
          alarmPercentage: 10,
          initialPositionMinor: 0n,
        },
        {
          kind: 'RecordFundsIn',
          transferId: `funds-in-${name}`,
          accountId: settlementAccountId(i),
          currency: CURRENCY,
          amountMinor: FUNDS_IN_MINOR,
        },
      ];
      for (const command of commands) this.send('participant', name, command);
    });
  }

  /** A payer DFSP prepares one transfer. */
  prepareOne(): TransferPlan {
    const { prng } = this;
    const n = this.next++;
    const payerFsp = prng.pick(DFSPS);
    const payeeFsp = prng.pick(DFSPS.filter((d) => d !== payerFsp));
    const preimage = Buffer.from(prng.bytes(32));
    const plan: TransferPlan = {
      transferId: `t${String(n).padStart(5, '0')}`,
      payerFsp,
      payeeFsp,
      amountMinor: BigInt(prng.between(1, 1500)) * 100n,
      expiresAtMs: this.sched.nowMs + prng.between(4_000, this.options.expiryMaxMs),
      fulfilment: preimage.toString('base64url'),
      condition: createHash('sha256').update(preimage).digest('base64url'),
      behaviour: pickBehaviour(prng),
      answerDelayMs: prng.between(5, 3_000),
    };
    this.plans.set(plan.transferId, plan);
    const body = JSON.stringify({ transferId: plan.transferId, amount: String(plan.amountMinor) });
    const prepare: PrepareTransfer = {
      kind: 'PrepareTransfer',
      transferId: plan.transferId,
      source: payerFsp,
      requestHash: `prepare-${plan.transferId}`,
      payerFsp,
      payeeFsp,
      currency: CURRENCY,
      amountMinor: plan.amountMinor,
      condition: plan.condition,
      expiresAtMs: plan.expiresAtMs,
      payee: { isActive: true, positionAccountActive: true },
      relay: { headers: transferHeaders(payerFsp, payeeFsp), body },
    };
    this.sendMaybeTwice('transfer', plan.transferId, prepare);
    return plan;
  }

  /** A payee DFSP receives the forwarded POST /transfers and answers as planned, once. */
  private onCallback(msg: StoredMsg): void {
    const callback = decodeJson<Callback>(new TextDecoder().decode(msg.data));
    if (callback.method !== 'POST' || callback.path !== '/transfers') return;
    const transferId = callback.params['transferId'] ?? '';
    const plan = this.plans.get(transferId);
    if (plan === undefined || this.answered.has(transferId)) return;
    this.answered.add(transferId);
    if (plan.behaviour === 'silent') return;
    const delayMs =
      plan.behaviour === 'late'
        ? plan.expiresAtMs - this.sched.nowMs + plan.answerDelayMs
        : plan.answerDelayMs;
    this.sched.after(delayMs, undefined, `dfsp ${plan.payeeFsp} answers`, () =>
      this.sendMaybeTwice('transfer', transferId, this.answerOf(plan)),
    );
  }

  private answerOf(plan: TransferPlan): FulfilTransfer | RejectTransfer {
    const { transferId, payeeFsp, payerFsp } = plan;
    const relay = { headers: transferHeaders(payeeFsp, payerFsp), body: `{"id":"${transferId}"}` };
    if (plan.behaviour === 'reject') {
      return {
        kind: 'RejectTransfer',
        transferId,
        source: payeeFsp,
        destination: payerFsp,
        requestHash: `reject-${transferId}`,
        errorInformation: fspiopError('5100'),
        relay,
      };
    }
    const fulfilment =
      plan.behaviour === 'wrong-fulfilment'
        ? Buffer.from(this.prng.bytes(32)).toString('base64url')
        : plan.fulfilment;
    return {
      kind: 'FulfilTransfer',
      transferId,
      source: payeeFsp,
      destination: payerFsp,
      requestHash: `fulfil-${transferId}`,
      version: '1.1',
      transferState: 'COMMITTED',
      fulfilment,
      relay,
    };
  }
}

function pickBehaviour(prng: Prng): PayeeBehaviour {
  const roll = prng.int(100);
  if (roll < 70) return 'fulfil';
  if (roll < 76) return 'wrong-fulfilment';
  if (roll < 86) return 'reject';
  if (roll < 94) return 'silent';
  return 'late';
}

function transferHeaders(source: string, destination: string): Record<string, string> {
  return {
    'content-type': 'application/vnd.interoperability.transfers+json;version=1.1',
    'fspiop-source': source,
    'fspiop-destination': destination,
  };
}
