// Dependent transfers (fspiop.md §10, payer-DFSP conversion). A conversion names the transfer
// it depends on (determiningTransferId) and tells it where it stands (LinkConversion), so the
// Transfer actor decides from its own state. A transfer prepared while a conversion is linked
// is a dependent transfer, and this module is everything that differs for it, as one wrapper
// around the plain decide():
// - prepare: the conversion must be fulfilled, by this payer, into this currency and for its
//   target amount (else 3100);
// - the position side is the FXP's target-currency position, not the payer's: every
//   reservation command decide() addresses to the payer goes to the FXP instead (NDC and
//   liquidity are checked there), without the payer's interchange fee (fxpReservation);
// - when the transfer commits, the conversion commits (CommitConversion); when it aborts,
//   whatever the cause, the conversion aborts (AbortConversion). The message is an effect of the
//   durable transfer state, published from the outbox, so after any crash both or neither end,
//   and it carries the transfer's callbacks, which leave with the conversion's last posting.

import { formatDateTime } from '../../schema/fspiop/datetime.ts';
import { type FspiopError, fspiopError } from '../../schema/fspiop/errors.ts';
import { type DecideContext, type Decision, type Effect, invariant } from '../actor.ts';
import type { Callback } from '../callback.ts';
import {
  type AbortConversion,
  type CommitConversion,
  type ConversionLink,
  fxTransferRef,
  type LinkConversion,
} from '../contracts/transfer-fx.ts';
import { PARTICIPANT_ACTOR_TYPE } from '../participant/directory.ts';
import type { ReserveFunds } from '../participant/messages.ts';
import { reportTo } from './bulk.ts';
import { hubError } from './callbacks.ts';
import { decide } from './decide.ts';
import { ignore } from './decision.ts';
import type { TransferEvent } from './events.ts';
import { evolve } from './evolve.ts';
import type { PrepareTransfer, TransferCommand, TransferReply } from './messages.ts';
import type { TransferState, TransferTerms } from './state.ts';

export type ConversionLinked = {
  readonly type: 'ConversionLinked';
  readonly conversion: ConversionLink;
};

export type TransferActorCommand = TransferCommand | LinkConversion;
export type TransferActorEvent = TransferEvent | ConversionLinked;
type ActorDecision = Decision<TransferActorEvent, TransferReply>;

/** The commands decide() addresses to the payer that a dependent transfer sends to the FXP. */
const POSITION_COMMANDS = new Set(['ReserveFunds', 'CommitReservation', 'ReleaseReservation']);

export function decideTransfer(
  state: TransferState,
  command: TransferActorCommand,
  ctx: DecideContext,
): ActorDecision {
  if (command.kind === 'LinkConversion') return decideLink(state, command);
  const link = state.phase === 'absent' ? state.conversion : state.terms.conversion;
  if (link === undefined) return decide(state, command, ctx);
  if (command.kind === 'PrepareTransfer' && state.phase === 'absent') {
    if (command.source !== link.payerFsp) return notFromPayer(link, command);
    const refusal = dependentRefusal(link, command);
    if (refusal) return invalidDependent(link, command, refusal, ctx);
  }
  return asDependent(link, ctx.actorId, decide(state, command, ctx));
}

export function evolveTransfer(state: TransferState, event: TransferActorEvent): TransferState {
  if (event.type !== 'ConversionLinked') return evolve(state, event);
  invariant(state.phase === 'absent', 'a conversion links to a transfer not yet prepared');
  return { phase: 'absent', conversion: event.conversion };
}

/** The dependent prepare's own rules, checked before the plain ones (3100 reasons). */
function dependentRefusal(link: ConversionLink, cmd: PrepareTransfer): string | undefined {
  if (link.state !== 'FULFILLED') return 'Related FX Transfer is not fulfilled';
  if (cmd.payerFsp !== link.payerFsp) {
    return 'Payer FSP does not match the initiatingFsp of the related FX Transfer';
  }
  if (cmd.currency !== link.targetCurrency) {
    return 'Transfer currency does not match the target currency of the related FX Transfer';
  }
  // The FXP agreed to pay out exactly the target amount (Mojaloop's cyril reserves the
  // fxTransfer's targetAmount on the FXP): any other amount would be paid from its position.
  if (cmd.amountMinor !== link.targetAmountMinor) {
    return 'Transfer amount does not match the target amount of the related FX Transfer';
  }
  return undefined;
}

/**
 * A prepare of a determining transfer sent by anyone but the conversion's payer (the FXP, or any
 * DFSP that learnt the id) is refused to its sender only: no event, the conversion untouched, the
 * transfer still absent with its link, so the payer's own prepare is accepted later. Recording it
 * would burn the payer's transferId and abort a fulfilled conversion on a third party's word.
 */
function notFromPayer(link: ConversionLink, cmd: PrepareTransfer): ActorDecision {
  const reason = dependentRefusal(link, cmd) ?? 'FSPIOP-Source header should match Payer';
  const error = fspiopError('3100', reason);
  return { events: [], effects: [refusalOf(cmd, error)], reply: { kind: 'rejected', error } };
}

/**
 * The refusal of a dependent prepare, to its sender: a callback, or for a bulk individual its
 * outcome to the bulk (these refusals bypass decide(), so asBulkIndividual never sees them).
 */
function refusalOf(cmd: PrepareTransfer, error: FspiopError): Effect {
  if (cmd.bulkTransferId !== undefined) {
    return reportTo(cmd.bulkTransferId, cmd.transferId, { state: 'ABORTED', error });
  }
  return {
    kind: 'callback',
    callback: hubError(cmd.source, cmd.transferId, error, 'prepare/invalid'),
  };
}

/** The payer's own dependent prepare broke a rule: it is recorded, and its conversion aborts. */
function invalidDependent(
  link: ConversionLink,
  cmd: PrepareTransfer,
  reason: string,
  ctx: DecideContext,
): ActorDecision {
  const error = fspiopError('3100', reason);
  const terms: TransferTerms = {
    transferId: cmd.transferId,
    payerFsp: cmd.payerFsp,
    payeeFsp: cmd.payeeFsp,
    currency: cmd.currency,
    amountMinor: cmd.amountMinor,
    condition: cmd.condition,
    expiresAtMs: cmd.expiresAtMs,
    conversion: link,
    ...(cmd.bulkTransferId === undefined ? {} : { bulkTransferId: cmd.bulkTransferId }),
  };
  const events: TransferActorEvent[] = [
    {
      type: 'TransferInvalidated',
      terms,
      prepareHash: cmd.requestHash,
      error,
      completedTimestamp: formatDateTime(ctx.nowMs),
    },
  ];
  const refusal = refusalOf(cmd, error);
  // The payer's callback leaves with the conversion's release; a bulk's report goes at once, as
  // asDependent sends it for any other aborted individual.
  const effects =
    link.state === 'ABORTED'
      ? [refusal]
      : refusal.kind === 'callback'
        ? [abortConversion(link, cmd.transferId, error, [refusal])]
        : [refusal, abortConversion(link, cmd.transferId, error)];
  return { events, effects, reply: { kind: 'rejected', error } };
}

/** decide()'s answer for a dependent transfer: FXP position, conversion commit or abort. */
function asDependent(
  link: ConversionLink,
  transferId: string,
  decision: ActorDecision,
): ActorDecision {
  const events = decision.events.map((event) =>
    event.type === 'TransferPrepared' || event.type === 'TransferInvalidated'
      ? { ...event, terms: { ...event.terms, conversion: link } }
      : event,
  );
  const effects = decision.effects.map((effect) => toFxp(link, effect));
  const end = events.find(
    (e) =>
      e.type === 'TransferCommitted' ||
      e.type === 'TransferAborted' ||
      e.type === 'TransferInvalidated',
  );
  if (end === undefined || (end.type !== 'TransferCommitted' && link.state === 'ABORTED')) {
    return { ...decision, events, effects };
  }
  // Payer and payee hear the transfer's end only with the conversion's last ledger command, in
  // the order decide() gave (a DFSP that plays both roles must see the payer's answer first).
  const isCallback = (e: Effect) => e.kind === 'callback';
  const notices = effects.filter(isCallback);
  const rest = effects.filter((e) => !isCallback(e));
  const conversion =
    end.type === 'TransferCommitted'
      ? commitConversion(link, transferId, end.completedTimestamp, notices)
      : abortConversion(link, transferId, end.error, notices);
  return { ...decision, events, effects: [...rest, conversion] };
}

function toFxp(link: ConversionLink, effect: Effect): Effect {
  if (effect.kind !== 'send' || effect.to.type !== PARTICIPANT_ACTOR_TYPE) return effect;
  const command = effect.command as { kind: string; payerFsp?: string };
  if (!POSITION_COMMANDS.has(command.kind)) return effect;
  const rewritten = command.kind === 'ReserveFunds' ? fxpReservation(link, command) : command;
  return {
    kind: 'send',
    to: { type: PARTICIPANT_ACTOR_TYPE, key: link.fxpFsp },
    command: rewritten,
  };
}

/**
 * The payer's ReserveFunds as the FXP's. The interchange fee is left out: it is owed by the payer
 * DFSP, booked at commit by whoever holds the reservation, and here that is the FXP, which agreed
 * to pay the target amount and nothing more. The payer pays in the source currency through the
 * conversion, so no fee is charged on a dependent transfer (no rule yet prices one in FX).
 */
function fxpReservation(link: ConversionLink, command: { kind: string }): object {
  const { interchangeFeeMinor: _fee, ...reserve } = command as ReserveFunds;
  return { ...reserve, payerFsp: link.fxpFsp };
}

function commitConversion(
  link: ConversionLink,
  transferId: string,
  completedTimestamp: string,
  notices: readonly Effect[],
): Effect {
  const command: CommitConversion = {
    kind: 'CommitConversion',
    commitRequestId: link.commitRequestId,
    transferId,
    completedTimestamp,
    ...notifyOf(notices),
  };
  return { kind: 'send', to: fxTransferRef(link.commitRequestId), command };
}

function abortConversion(
  link: Pick<ConversionLink, 'commitRequestId'>,
  transferId: string,
  error: FspiopError,
  notices: readonly Effect[] = [],
): Effect {
  const command: AbortConversion = {
    kind: 'AbortConversion',
    commitRequestId: link.commitRequestId,
    transferId,
    error,
    ...notifyOf(notices),
  };
  return { kind: 'send', to: fxTransferRef(link.commitRequestId), command };
}

function notifyOf(notices: readonly Effect[]): { notify?: readonly Callback[] } {
  const notify = notices.flatMap((e) => (e.kind === 'callback' ? [e.callback] : []));
  return notify.length === 0 ? {} : { notify };
}

/**
 * A conversion tells its transfer where it stands. Before the prepare, the transfer remembers
 * it (its latest word: PENDING, then FULFILLED or ABORTED). Once the transfer exists without
 * it (prepared before the conversion was fulfilled, or another conversion already linked), the
 * conversion can never be completed by it, so it is aborted at once rather than left waiting.
 */
function decideLink(state: TransferState, cmd: LinkConversion): ActorDecision {
  const { kind: _kind, transferId, ...link } = cmd;
  if (state.phase !== 'absent') {
    if (state.terms.conversion?.commitRequestId === cmd.commitRequestId) {
      return ignore('conversion already linked');
    }
    if (cmd.state === 'ABORTED') return ignore('conversion aborted');
    const error = fspiopError('3100', `Transfer ${transferId} already exists`);
    return {
      events: [],
      effects: [abortConversion(link, transferId, error)],
      reply: refused(error),
    };
  }
  const known = state.conversion;
  if (known !== undefined && known.commitRequestId !== cmd.commitRequestId) {
    if (known.state === 'ABORTED') return linked(link);
    if (cmd.state === 'ABORTED') return ignore('another conversion is linked');
    const error = fspiopError('3100', `Transfer ${transferId} depends on another conversion`);
    return {
      events: [],
      effects: [abortConversion(link, transferId, error)],
      reply: refused(error),
    };
  }
  if (known === undefined) return cmd.state === 'ABORTED' ? ignore('nothing linked') : linked(link);
  if (known.state === cmd.state || known.state === 'ABORTED') return ignore('link unchanged');
  if (known.state === 'FULFILLED' && cmd.state === 'PENDING') return ignore('stale link');
  return linked(link);
}

function linked(conversion: ConversionLink): ActorDecision {
  return {
    events: [{ type: 'ConversionLinked', conversion }],
    effects: [],
    reply: { kind: 'accepted' },
  };
}

function refused(error: FspiopError): TransferReply {
  return { kind: 'rejected', error };
}
