// The money invariants (DESIGN.md §7), checked on what is durable after every batch write, and
// once more when the run has healed and settled. Per write: no position past its net debit cap
// (§7.4); a transfer reaches one terminal state and keeps it (§7.2); every snapshot written is its
// durable predecessor folded with the events written beside it, i.e. no update is lost or built
// on a stale or initial state (§7.5); and, from those events, each transfer reserves, commits or
// releases, and credits at most once, only after the transfer itself is durably final (§7.2–3).

import type { AnyActor } from '../../actors/actor.ts';
import { accountValueMinor } from '../../actors/participant/ledger.ts';
import type { ParticipantEvent } from '../../actors/participant/messages.ts';
import type { ParticipantState } from '../../actors/participant/state.ts';
import type { TransferState } from '../../actors/transfer/state.ts';
import { decodeJson, encodeJson } from '../../runtime/codec.ts';
import { eventSubject } from '../../runtime/partition.ts';
import { actorId, type BatchWrite, type OutboxRow } from '../../runtime/snapshot-store.ts';
import type { SimDatabase, SnapshotRecord } from './database.ts';
import { SIM_START_MS } from './scheduler.ts';

/** What the checks need to know of the CMD stream (from the model and the stream itself). */
export type CommandFacts = {
  readonly mustTakeEffect: ReadonlyMap<number, string>;
  /** The CreditPosition copies of a transfer on CMD, for the report. */
  readonly creditSeqs: ReadonlyMap<string, readonly string[]>;
  partitionOfSeq(seq: number): number;
};

type Postings = { reserved: number; committed: number; released: number; credited: number };

/** Durable versions kept per actor to say which one a bad write was built on. */
const HISTORY_MAX = 12;

export class MoneyChecks {
  readonly violations: string[] = [];
  private readonly terminal = new Map<string, string>();
  private readonly postings = new Map<string, Postings>();
  private readonly history = new Map<string, Array<{ version: number; stateJson: string }>>();
  /** Source sequences of every outbox row ever written: the commands that took effect. */
  private readonly tookEffect = new Set<number>();
  /** Per partition, the highest checkpoint written so far. */
  private readonly passed = new Map<number, number>();

  constructor(
    private readonly db: SimDatabase,
    private readonly actors: ReadonlyMap<string, AnyActor>,
    private readonly commands: CommandFacts,
    private readonly clock: () => number,
  ) {
    db.observe((write, before) => this.afterWrite(write, before));
  }

  private report(kind: string, text: string): void {
    if (this.violations.length < 50) {
      this.violations.push(`[${kind}] t=+${this.clock() - SIM_START_MS}ms: ${text}`);
    }
  }

  private afterWrite(write: BatchWrite, before: ReadonlyMap<string, SnapshotRecord | undefined>) {
    for (const row of write.outbox) this.tookEffect.add(row.sourceSeq);
    this.checkNothingSkipped(write);
    for (const snapshot of write.snapshots) {
      const id = actorId(snapshot.type, snapshot.key);
      const events = eventsOf(write.outbox, snapshot.type, snapshot.key);
      const previous = before.get(id);
      const continuous = this.checkContinuity(
        snapshot.type,
        snapshot.key,
        previous,
        events,
        snapshot.stateJson,
      );
      if (continuous && previous !== undefined && snapshot.version <= previous.version) {
        // Same state by chance, but decided on an older version: its effects may be wrong.
        this.report(
          'stale-base',
          `lost update: ${snapshot.type} ${snapshot.key} was written as v${snapshot.version} ` +
            `over the durable v${previous.version}: decided on a state older than the database's`,
        );
      }
      this.remember(id, snapshot.version, snapshot.stateJson);
      if (snapshot.type === 'transfer') this.checkTerminal(snapshot.key, snapshot.stateJson);
      if (snapshot.type === 'participant') {
        this.checkCap(snapshot.stateJson);
        this.journal(snapshot.key, events as ParticipantEvent[]);
      }
    }
  }

  /** Every command the checkpoint passes that must take effect did (issue 9, finding 1). */
  private checkNothingSkipped(write: BatchWrite): void {
    const from = this.passed.get(write.partition) ?? 0;
    if (write.lastSeq <= from) return;
    this.passed.set(write.partition, write.lastSeq);
    for (const [seq, what] of this.commands.mustTakeEffect) {
      if (seq <= from || seq > write.lastSeq || this.tookEffect.has(seq)) continue;
      if (this.commands.partitionOfSeq(seq) !== write.partition) continue;
      this.report(
        'skipped-command',
        `partition ${write.partition}'s checkpoint moved from #${from} to #${write.lastSeq} ` +
          `past ${what}, which never took effect`,
      );
    }
  }

  private checkContinuity(
    type: string,
    key: string,
    previous: SnapshotRecord | undefined,
    events: readonly unknown[],
    writtenJson: string,
  ): boolean {
    const def = this.actors.get(type);
    if (def === undefined) return true;
    const durableState = previous === undefined ? def.initial : decodeJson(previous.stateJson);
    const rebuilt = fold(def, durableState, events);
    if (rebuilt === writtenJson) return true;
    const durable = previous === undefined ? 'nothing' : `v${previous.version}`;
    const base = this.builtOn(def, actorId(type, key), events, writtenJson);
    this.report(
      base.kind,
      `lost update: ${type} ${key} was written with a state that is not the durable ` +
        `${durable} plus its ${events.length} event(s); it was built on ${base.text}`,
    );
    return false;
  }

  /** Which earlier durable version (or the initial state) the written state was built on. */
  private builtOn(def: AnyActor, id: string, events: readonly unknown[], written: string) {
    if (fold(def, def.initial, events) === written) {
      return { kind: 'initial-base', text: 'its INITIAL state (its snapshot was ignored)' };
    }
    for (const old of [...(this.history.get(id) ?? [])].reverse()) {
      if (fold(def, decodeJson(old.stateJson), events) === written) {
        return { kind: 'stale-base', text: `the STALE v${old.version}` };
      }
    }
    return { kind: 'unknown-base', text: 'a state the database never held' };
  }

  private remember(id: string, version: number, stateJson: string): void {
    const list = this.history.get(id) ?? [];
    list.push({ version, stateJson });
    if (list.length > HISTORY_MAX) list.shift();
    this.history.set(id, list);
  }

  private checkTerminal(transferId: string, stateJson: string): void {
    const state = decodeJson<TransferState>(stateJson);
    const seen = this.terminal.get(transferId);
    const now = state.phase === 'committed' || state.phase === 'aborted' ? state.phase : undefined;
    if (seen !== undefined && now !== seen) {
      this.report(
        'left-terminal',
        `transfer ${transferId} left its terminal state ${seen} for ${state.phase}`,
      );
    }
    if (seen === undefined && now !== undefined) this.terminal.set(transferId, now);
  }

  private checkCap(stateJson: string): void {
    const state = decodeJson<ParticipantState>(stateJson);
    if (state.phase !== 'registered') return;
    for (const account of Object.values(state.accounts)) {
      const cap = state.limits[account.currency]?.valueMinor;
      if (account.ledgerAccountType !== 'POSITION' || cap === undefined) continue;
      if (accountValueMinor(account) > cap) {
        this.report(
          'past-cap',
          `${state.name} position ${accountValueMinor(account)} is past its cap ${cap}`,
        );
      }
    }
  }

  private journal(participant: string, events: readonly ParticipantEvent[]): void {
    for (const event of events) {
      const posting = postingOf(event);
      if (posting === undefined) continue;
      const [transferId, field] = posting;
      const p = this.postings.get(transferId) ?? {
        reserved: 0,
        committed: 0,
        released: 0,
        credited: 0,
      };
      p[field]++;
      this.postings.set(transferId, p);
      if (p[field] > 1 || p.committed + p.released > 1) {
        const credits = this.commands.creditSeqs.get(transferId)?.join(', ') ?? 'none';
        this.report(
          'double-posting',
          `transfer ${transferId}: ${participant} posted '${field}' again (${show(p)}); ` +
            `its CreditPosition copies on CMD: ${credits}`,
        );
      }
      const durable = this.transferPhase(transferId);
      const needs = field === 'committed' || field === 'credited' ? 'committed' : undefined;
      if (needs !== undefined && durable !== needs) {
        this.report(
          'posting-before-final',
          `transfer ${transferId}: ${participant} ${field} while it is ${durable}`,
        );
      }
    }
  }

  transferPhase(transferId: string): string {
    const row = this.db.snapshots.get(actorId('transfer', transferId));
    return row === undefined ? 'absent' : decodeJson<TransferState>(row.stateJson).phase;
  }
}

function eventsOf(outbox: readonly OutboxRow[], type: string, key: string): unknown[] {
  const subject = eventSubject(type, key);
  return outbox
    .filter((row) => row.subject === subject)
    .map((row) => decodeJson<{ event: unknown }>(row.payload).event);
}

function fold(def: AnyActor, base: unknown, events: readonly unknown[]): string {
  try {
    let state = base;
    for (const event of events) state = def.evolve(state, event);
    return encodeJson(state);
  } catch (error) {
    return `evolve refused: ${String(error)}`;
  }
}

function postingOf(event: ParticipantEvent): [string, keyof Postings] | undefined {
  switch (event.type) {
    case 'FundsReserved':
      return event.purpose === 'TRANSFER' ? [event.transferId, 'reserved'] : undefined;
    case 'ReservationCommitted':
      return event.transferId.startsWith('t') ? [event.transferId, 'committed'] : undefined;
    case 'ReservationReleased':
      return event.transferId.startsWith('t') ? [event.transferId, 'released'] : undefined;
    case 'BalancePosted':
      return event.postingId.startsWith('credit:')
        ? [event.postingId.slice(7), 'credited']
        : undefined;
    default:
      return undefined;
  }
}

function show(p: Postings): string {
  const { reserved, committed, released, credited } = p;
  return `reserved ${reserved}, committed ${committed}, released ${released}, credited ${credited}`;
}
