// The independent model of expected outcomes. It reads the CMD stream as a DFSP or an auditor
// could (the order JetStream assigned, the clock each publisher stamped) and folds each transfer
// through the FSPIOP lifecycle on its own, from the plan the simulated DFSPs followed: the first
// deciding command in stream order wins. It never reads actor state, so a runtime that drops,
// repeats or misapplies commands disagrees with it. Its ledger is what the positions must be.

import { decodeBytes } from '../../runtime/codec.ts';
import type { Envelope } from '../../runtime/envelope.ts';
import type { StoredMsg } from './jetstream.ts';
import { SIM_START_MS } from './scheduler.ts';
import type { TransferPlan } from './workload.ts';

export type ExpectedPhase = 'received' | 'reserved' | 'committed' | 'aborted';

export type ExpectedTransfer = {
  phase: ExpectedPhase;
  /** The stream sequence and kind of the command that decided the phase, for the report. */
  decidedBy: string;
};

type Command = {
  readonly kind: string;
  readonly transferId?: string;
  readonly fulfilment?: string;
};

export class ExpectedOutcomes {
  readonly transfers = new Map<string, ExpectedTransfer>();
  /** Every CreditPosition per transfer, `#<seq> at +<ms>` (a copy past the windows shows here). */
  readonly creditSeqs = new Map<string, string[]>();
  /**
   * Commands that must leave a trace (an event or an effect) once applied: the ones that move a
   * transfer's phase in this model, every ReserveFunds (it always answers) and the first
   * CreditPosition of a transfer. By stream sequence, with a description for the report.
   */
  readonly mustTakeEffect = new Map<number, string>();

  constructor(private readonly plans: ReadonlyMap<string, TransferPlan>) {}

  private readonly msgIds = new Set<string>();

  onCommand(msg: StoredMsg): void {
    const env = decodeBytes<Envelope>(msg.data);
    const command = env.command as Command;
    const what = `#${msg.seq} ${command.kind} for ${env.type} ${env.key}`;
    // A later copy of an outbox command (re-published past JetStream's window) is rightly
    // skipped by a runtime that remembers applying the first one; only the first must act.
    const msgId = msg.headers?.['Nats-Msg-Id'];
    const firstCopy = msgId === undefined || !this.msgIds.has(msgId);
    if (msgId !== undefined) this.msgIds.add(msgId);
    if (env.type === 'participant' && command.kind === 'CreditPosition') {
      const id = command.transferId ?? '';
      const copies = this.creditSeqs.get(id) ?? [];
      if (copies.length === 0) this.mustTakeEffect.set(msg.seq, what);
      const at = `#${msg.seq} at +${msg.storedAtMs - SIM_START_MS}ms`;
      this.creditSeqs.set(id, [...copies, at]);
    }
    if (!firstCopy) return;
    if (env.type === 'participant' && command.kind === 'ReserveFunds') {
      this.mustTakeEffect.set(msg.seq, what);
    }
    if (env.type !== 'transfer') return;
    const plan = this.plans.get(env.key);
    if (plan === undefined) return;
    const current = this.transfers.get(env.key);
    const next = step(current?.phase, command, env.nowMs, plan);
    if (next !== undefined && next !== current?.phase) {
      this.transfers.set(env.key, { phase: next, decidedBy: `#${msg.seq} ${command.kind}` });
      this.mustTakeEffect.set(msg.seq, what);
    }
  }

  /** POSITION per DFSP once every expected transfer is final: payers owe, payees are owed. */
  expectedPositions(): Map<string, bigint> {
    const positions = new Map<string, bigint>();
    for (const [id, expected] of this.transfers) {
      const plan = this.plans.get(id);
      if (plan === undefined || expected.phase !== 'committed') continue;
      positions.set(plan.payerFsp, (positions.get(plan.payerFsp) ?? 0n) + plan.amountMinor);
      positions.set(plan.payeeFsp, (positions.get(plan.payeeFsp) ?? 0n) - plan.amountMinor);
    }
    return positions;
  }
}

/** The FSPIOP lifecycle of one transfer for the commands this workload sends. */
function step(
  phase: ExpectedPhase | undefined,
  command: Command,
  nowMs: number,
  plan: TransferPlan,
): ExpectedPhase | undefined {
  const expired = nowMs >= plan.expiresAtMs;
  switch (phase) {
    case undefined:
      return command.kind === 'PrepareTransfer' && !expired ? 'received' : undefined;
    case 'received':
      if (command.kind === 'FundsReserved') return 'reserved';
      if (command.kind === 'ReservationRejected') return 'aborted';
      if (command.kind === 'ExpireTransfer' && expired) return 'aborted';
      return phase;
    case 'reserved':
      if (command.kind === 'FulfilTransfer') {
        return !expired && command.fulfilment === plan.fulfilment ? 'committed' : 'aborted';
      }
      if (command.kind === 'RejectTransfer') return 'aborted';
      if (command.kind === 'ExpireTransfer' && expired) return 'aborted';
      return phase;
    default:
      return phase;
  }
}
