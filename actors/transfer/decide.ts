// decide(): dispatches a Transfer command to the small function that owns it.

import { assertNever, type DecideContext } from '../actor.ts';
import { asBulkIndividual } from './bulk.ts';
import type { TransferDecision } from './decision.ts';
import { decideExpire } from './expiry.ts';
import { decideForwardFailed } from './forward.ts';
import { decideFulfil } from './fulfil.ts';
import { decideGet } from './get.ts';
import { decideRecordHubTransfer } from './hub.ts';
import type { TransferCommand } from './messages.ts';
import { decidePrepare } from './prepare.ts';
import { decideReject } from './reject.ts';
import { decideFundsReserved, decideReservationRejected } from './reservation.ts';
import type { TransferState } from './state.ts';

export function decide(
  state: TransferState,
  command: TransferCommand,
  ctx: DecideContext,
): TransferDecision {
  return asBulkIndividual(state, command, decideSingle(state, command, ctx));
}

function decideSingle(
  state: TransferState,
  command: TransferCommand,
  ctx: DecideContext,
): TransferDecision {
  switch (command.kind) {
    case 'PrepareTransfer':
      return decidePrepare(state, command, ctx);
    case 'FulfilTransfer':
      return decideFulfil(state, command, ctx);
    case 'RejectTransfer':
      return decideReject(state, command, ctx);
    case 'GetTransfer':
      return decideGet(state, command, ctx);
    case 'ExpireTransfer':
      return decideExpire(state, command, ctx);
    case 'FundsReserved':
      return decideFundsReserved(state, command);
    case 'ReservationRejected':
      return decideReservationRejected(state, command, ctx);
    case 'RecordHubTransfer':
      return decideRecordHubTransfer(state, command, ctx);
    case 'ForwardFailed':
      return decideForwardFailed(state, command, ctx);
    default:
      return assertNever(command);
  }
}
