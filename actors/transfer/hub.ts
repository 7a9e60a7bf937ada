// RecordHubTransfer: the Participant actor records Admin funds in/out movements here, so that
// GET /transfers/{ID} answers them like any transfer (TTK funds_in/funds_out assert on it).
// RESERVED may move on to COMMITTED or ABORTED; a repeat of the current state is a no-op.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import { parseAdminAmount } from '../../schema/money.ts';
import type { DecideContext } from '../actor.ts';
import { ignore, type TransferDecision } from './decision.ts';
import type { RecordHubTransfer } from './messages.ts';
import { externalState, type TransferState, type TransferTerms } from './state.ts';

export function decideRecordHubTransfer(
  state: TransferState,
  cmd: RecordHubTransfer,
  ctx: DecideContext,
): TransferDecision {
  if (state.phase !== 'absent') {
    if (!state.hub) return ignore('an FSPIOP transfer has this id');
    if (externalState(state) === cmd.state) return ignore('hub transfer already in this state');
    if (state.phase !== 'reserved') return ignore('hub transfer already final');
  }
  const amount = parseAdminAmount(cmd.amount.amount);
  const terms: TransferTerms = {
    transferId: cmd.transferId,
    payerFsp: cmd.payerFsp,
    payeeFsp: cmd.payeeFsp,
    currency: cmd.amount.currency,
    amountMinor: amount.ok ? amount.minor : 0n,
    condition: '',
    expiresAtMs: 0,
    ...(cmd.extensionList === undefined ? {} : { extensionList: cmd.extensionList }),
  };
  const error =
    cmd.state === 'ABORTED'
      ? {
          error: fspiopError(
            FspiopCode.GENERIC_CLIENT_ERROR,
            cmd.reason ?? 'aborted by the hub operator',
          ),
        }
      : {};
  return {
    events: [
      {
        type: 'HubTransferRecorded',
        terms,
        state: cmd.state,
        completedTimestamp: formatDateTime(ctx.nowMs),
        ...error,
      },
    ],
    effects: [],
    reply: { kind: 'accepted' },
  };
}
