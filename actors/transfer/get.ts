// GetTransfer (GET /transfers/{ID}): the hub answers from the transfer's state with a PUT to the
// requester. Unknown id ⇒ 3208; a requester that is neither payer nor payee ⇒ 3000 (§3.6).

import { FspiopCode, fspiopError } from '../../schema/fspiop/errors.ts';
import type { DecideContext } from '../actor.ts';
import { hubPut, stateBody } from './callbacks.ts';
import { callbackEffect, refuse, sameFsp, type TransferDecision } from './decision.ts';
import type { GetTransfer } from './messages.ts';
import type { TransferState } from './state.ts';

export function decideGet(
  state: TransferState,
  cmd: GetTransfer,
  ctx: DecideContext,
): TransferDecision {
  const id = `get/${cmd.source}/${ctx.nowMs}`;
  if (state.phase === 'absent') {
    // central-ledger's wording; the golden-path get_transfers collection asserts it exactly.
    const detail = 'Provided Transfer ID was not found on the server.';
    return refuse(cmd, fspiopError(FspiopCode.TRANSFER_ID_NOT_FOUND, detail), id);
  }
  const { payerFsp, payeeFsp } = state.terms;
  if (!sameFsp(cmd.source, payerFsp) && !sameFsp(cmd.source, payeeFsp)) {
    // central-ledger raises the bare CLIENT_ERROR ("Generic client error", no detail), which
    // get_transfers asserts exactly (src/handlers/transfers/handler.js getTransfer).
    return refuse(cmd, fspiopError(FspiopCode.GENERIC_CLIENT_ERROR), id);
  }
  return {
    events: [],
    effects: [callbackEffect(hubPut(cmd.source, cmd.transferId, stateBody(state), id))],
    reply: { kind: 'accepted' },
  };
}
