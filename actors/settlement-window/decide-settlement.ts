// CreateSettlement: which closed window contents a settlement takes, and the net of every
// participant account in them. A content is taken when its ledger account type is the model's
// and its currency is the model's (or, for a default model, a currency without a model of its
// own), and it is CLOSED or ABORTED (an aborted settlement's windows are settleable again).
// Taking it is one event, so no two settlements can hold the same content.

import { fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext, Decision } from '../actor.ts';
import {
  type OpenSettlement,
  SETTLEMENT_ACTOR_TYPE,
  type SettlementAccountNet,
} from '../contracts/window-settlement.ts';
import type { CreateSettlement, WindowEvent, WindowReply } from './messages.ts';
import type { RunningWindows, WindowContent } from './state.ts';

type WindowDecision = Decision<WindowEvent, WindowReply>;

export function refuseWindow(detail: string): WindowDecision {
  return { events: [], effects: [], reply: { ok: false, error: fspiopError('3100', detail) } };
}

function matches(content: WindowContent, model: CreateSettlement['model']): boolean {
  if (content.ledgerAccountType !== model.ledgerAccountType) return false;
  if (content.state !== 'CLOSED' && content.state !== 'ABORTED') return false;
  return model.currency === undefined
    ? !model.excludedCurrencies.includes(content.currency)
    : content.currency === model.currency;
}

export function decideCreateSettlement(
  state: RunningWindows,
  cmd: CreateSettlement,
  ctx: DecideContext,
): WindowDecision {
  if (cmd.windowIds.length === 0) return refuseWindow('No settlement windows given');
  const taken: WindowContent[] = [];
  for (const id of cmd.windowIds) {
    const w = state.windows[String(id)];
    if (!w) return refuseWindow(`Settlement window ${id} not found`);
    if (w.state === 'OPEN' || w.state === 'PROCESSING') {
      return refuseWindow(`Settlement window ${id} is not closed`);
    }
    taken.push(...w.contents.filter((c) => matches(c, cmd.model)));
  }
  if (taken.length === 0) {
    return refuseWindow(`No window content to settle under model ${cmd.model.name}`);
  }
  const accounts = accountNets(taken, cmd);
  if (typeof accounts === 'string') return refuseWindow(accounts);
  const settlementId = state.settlementSeq + 1;
  const open: OpenSettlement = {
    kind: 'OpenSettlement',
    settlementId,
    reason: cmd.reason,
    model: {
      name: cmd.model.name,
      ledgerAccountType: cmd.model.ledgerAccountType,
      autoPositionReset: cmd.model.autoPositionReset,
    },
    windowIds: [...new Set(cmd.windowIds)].sort((a, b) => a - b),
    accounts,
  };
  return {
    events: [
      {
        type: 'SettlementContentsTaken',
        settlementId,
        contentIds: taken.map((c) => c.id),
        atMs: ctx.nowMs,
      },
    ],
    effects: [
      {
        kind: 'send',
        to: { type: SETTLEMENT_ACTOR_TYPE, key: String(settlementId) },
        command: open,
      },
    ],
    reply: { ok: true, settlementId },
  };
}

// Sums the taken contents per participant account; an error text when the directory misses one.
function accountNets(
  taken: readonly WindowContent[],
  cmd: CreateSettlement,
): SettlementAccountNet[] | string {
  const sums = new Map<string, SettlementAccountNet>();
  for (const content of taken) {
    for (const [participant, netMinor] of Object.entries(content.nets)) {
      const entry = cmd.participants[participant];
      const accountId = entry?.accounts[`${content.currency}/${content.ledgerAccountType}`];
      if (!entry || accountId === undefined) {
        return `Participant ${participant} has no ${content.currency} ${content.ledgerAccountType} account`;
      }
      const key = `${participant}/${content.currency}`;
      const before = sums.get(key);
      sums.set(key, {
        participant,
        participantId: entry.participantId,
        accountId,
        currency: content.currency,
        netMinor: (before?.netMinor ?? 0n) + netMinor,
      });
    }
  }
  return [...sums.values()].sort(
    (a, b) => a.participantId - b.participantId || a.accountId - b.accountId,
  );
}
