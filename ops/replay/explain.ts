// `mkondo explain <dfsp> <currency>`: why a participant's balances are what they are. It replays
// the participant actor's own commands from the CMD stream (one subject, read by an ordered
// consumer) with the actor's code, and lists every command that moved one of its accounts in the
// currency: the transfer, funds movement or settlement posting that caused it, the change of
// posted and reserved amounts, and the value before and after. The changes of each account sum
// to its value; that sum is checked against the snapshot the database holds.

import type { NatsConnection } from '@nats-io/transport-node';
import { sql } from 'drizzle-orm';
import type { Account } from '../../actors/participant/ledger.ts';
import type { ParticipantState } from '../../actors/participant/state.ts';
import { decodeBytes, decodeJson } from '../../runtime/codec.ts';
import type { Db } from '../../runtime/db.ts';
import type { Envelope } from '../../runtime/envelope.ts';
import { CMD_STREAM } from '../../runtime/names.ts';
import { commandSubject, partitionOf } from '../../runtime/partition.ts';
import { formatAmount } from '../../schema/money.ts';
import { ReplayEngine, type ReplaySettings } from './engine.ts';
import { forEachMessage } from './streams.ts';

export type Movement = {
  readonly seq: number;
  readonly atMs: number;
  /** The command's kind, e.g. ReserveFunds, CommitReservation, RecordFundsIn. */
  readonly command: string;
  /** What caused it: `transfer <id>`, `posting <id>`, `settlement window <id>`. */
  readonly cause: string;
  readonly accountId: number;
  readonly ledgerAccountType: string;
  readonly postedDeltaMinor: bigint;
  readonly reservedDeltaMinor: bigint;
  /** posted + reserved, as Mojaloop shows an account's value. */
  readonly valueBeforeMinor: bigint;
  readonly valueAfterMinor: bigint;
};

export type AccountCheck = {
  readonly accountId: number;
  readonly ledgerAccountType: string;
  /** The sum of every change of the account's value since it opened. */
  readonly sumMinor: bigint;
  /** Its value in the database snapshot (undefined: no such account there). */
  readonly databaseMinor: bigint | undefined;
  readonly ok: boolean;
};

export type Explanation = {
  readonly dfsp: string;
  readonly currency: string;
  /** Every movement of the currency's accounts, oldest first. */
  readonly movements: readonly Movement[];
  readonly accounts: readonly AccountCheck[];
  /** Commands of the participant read from the stream. */
  readonly commands: number;
  /** Why the history is not complete, when it is not (the stream lost its start). */
  readonly incomplete?: string;
};

export type ExplainOptions = {
  readonly nc: NatsConnection;
  readonly db: Db;
  readonly settings: ReplaySettings;
  readonly dfsp: string;
  readonly currency: string;
};

export async function explainPosition(options: ExplainOptions): Promise<Explanation> {
  const { dfsp, currency } = options;
  const partitions = (await recordedPartitions(options.db)) ?? options.settings.partitions;
  const settings = { ...options.settings, partitions };
  const partition = partitionOf('participant', dfsp, partitions);
  const held = await readParticipant(options.db, dfsp, partition);
  const engine = new ReplayEngine(settings, {
    checkpoints: new Map([[partition, held.checkpoint]]),
    parkedSeqs: held.parkedSeqs,
  });
  const movements: Movement[] = [];
  const subject = commandSubject('participant', dfsp, partitions);
  let commands = 0;
  const read = await forEachMessage(options.nc, CMD_STREAM, subject, (message) => {
    const before = accountsOf(engine.stateOf('participant', dfsp), currency);
    if (engine.apply(message).kind !== 'applied') return;
    commands++;
    const after = accountsOf(engine.stateOf('participant', dfsp), currency);
    const env = decodeBytes<Envelope>(message.data);
    movements.push(...movementsOf(message.seq, env, before, after));
  });
  const final = accountsOf(engine.stateOf('participant', dfsp), currency);
  const stored = accountsOf(held.state, currency);
  const accounts = [...final.values()].map((account) => {
    const sumMinor = movements
      .filter((m) => m.accountId === account.id)
      .reduce((sum, m) => sum + m.postedDeltaMinor + m.reservedDeltaMinor, 0n);
    const inDb = stored.get(account.id);
    const databaseMinor = inDb === undefined ? undefined : inDb.postedMinor + inDb.reservedMinor;
    const { id: accountId, ledgerAccountType } = account;
    return {
      accountId,
      ledgerAccountType,
      sumMinor,
      databaseMinor,
      ok: sumMinor === databaseMinor,
    };
  });
  const incomplete =
    read.firstSeq > 1 && read.count > 0
      ? `the CMD stream starts at sequence ${read.firstSeq}: older movements are gone`
      : undefined;
  return {
    dfsp,
    currency,
    movements,
    accounts,
    commands,
    ...(incomplete === undefined ? {} : { incomplete }),
  };
}

function accountsOf(state: unknown, currency: string): Map<number, Account> {
  const found = new Map<number, Account>();
  const participant = state as ParticipantState | undefined;
  if (participant?.phase !== 'registered') return found;
  for (const account of Object.values(participant.accounts)) {
    if (account.currency === currency) found.set(account.id, account);
  }
  return found;
}

function movementsOf(
  seq: number,
  env: Envelope,
  before: ReadonlyMap<number, Account>,
  after: ReadonlyMap<number, Account>,
): Movement[] {
  const command = env.command as Record<string, unknown>;
  const moved: Movement[] = [];
  for (const account of after.values()) {
    const was = before.get(account.id);
    const postedDeltaMinor = account.postedMinor - (was?.postedMinor ?? 0n);
    const reservedDeltaMinor = account.reservedMinor - (was?.reservedMinor ?? 0n);
    if (postedDeltaMinor === 0n && reservedDeltaMinor === 0n) continue;
    const valueBeforeMinor = was === undefined ? 0n : was.postedMinor + was.reservedMinor;
    moved.push({
      seq,
      atMs: env.nowMs,
      command: String(command['kind']),
      cause: causeOf(command),
      accountId: account.id,
      ledgerAccountType: account.ledgerAccountType,
      postedDeltaMinor,
      reservedDeltaMinor,
      valueBeforeMinor,
      valueAfterMinor: account.postedMinor + account.reservedMinor,
    });
  }
  return moved;
}

const CAUSES = [
  ['transferId', 'transfer'],
  ['postingId', 'posting'],
  ['settlementId', 'settlement'],
  ['settlementWindowId', 'settlement window'],
] as const;

function causeOf(command: Record<string, unknown>): string {
  for (const [field, name] of CAUSES) {
    const value = command[field];
    if (typeof value === 'string' || typeof value === 'number') return `${name} ${value}`;
  }
  return String(command['kind']);
}

type Held = {
  readonly state: unknown;
  readonly checkpoint: number;
  readonly parkedSeqs: ReadonlySet<number>;
};

/** The participant's snapshot with its partition's checkpoint and poison, at one moment. */
async function readParticipant(db: Db, dfsp: string, partition: number): Promise<Held> {
  return db.transaction(
    async (tx) => {
      const rows = (r: unknown) => (r as { rows: Array<Record<string, unknown>> }).rows;
      const snapshot = rows(
        await tx.execute(sql`select state::text as state from actor_snapshots
          where type = 'participant' and key = ${dfsp}`),
      );
      const checkpoint = rows(
        await tx.execute(sql`select seq from partition_checkpoints where partition = ${partition}`),
      );
      const poison = rows(
        await tx.execute(sql`select seq from poison_messages
          where partition = ${partition} and status in ('parked', 'dropped')`),
      );
      const text = snapshot[0]?.['state'];
      return {
        state: typeof text === 'string' ? decodeJson(text) : undefined,
        checkpoint: Number(checkpoint[0]?.['seq'] ?? 0),
        parkedSeqs: new Set(poison.map((p) => Number(p['seq']))),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

async function recordedPartitions(db: Db): Promise<number | undefined> {
  const result = await db.execute(sql`select value from switch_settings where name = 'partitions'`);
  const value = (result as unknown as { rows: Array<Record<string, unknown>> }).rows[0]?.['value'];
  return value === undefined ? undefined : Number(value);
}

/** The explanation as text: one line per movement, then each account's sum and check. */
export function formatExplanation(e: Explanation, fromMs = 0, toMs = Infinity): string {
  const lines = [
    `${e.dfsp} ${e.currency}: ${e.commands} commands, ${e.movements.length} movements`,
  ];
  if (e.incomplete !== undefined) lines.push(`incomplete: ${e.incomplete}`);
  lines.push('time\tseq\taccount\tcommand\tcause\tposted\treserved\tbefore\tafter');
  for (const m of e.movements) {
    if (m.atMs < fromMs || m.atMs > toMs) continue;
    lines.push(
      [
        new Date(m.atMs).toISOString(),
        m.seq,
        `${m.ledgerAccountType} ${m.accountId}`,
        m.command,
        m.cause,
        signed(m.postedDeltaMinor),
        signed(m.reservedDeltaMinor),
        formatAmount(m.valueBeforeMinor),
        formatAmount(m.valueAfterMinor),
      ].join('\t'),
    );
  }
  for (const a of e.accounts) {
    const db = a.databaseMinor === undefined ? 'absent' : formatAmount(a.databaseMinor);
    const verdict = a.ok ? 'ok' : 'MISMATCH';
    lines.push(
      `${a.ledgerAccountType} ${a.accountId}: changes sum to ${formatAmount(a.sumMinor)}, ` +
        `database ${db}: ${verdict}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const signed = (minor: bigint) => (minor > 0n ? `+${formatAmount(minor)}` : formatAmount(minor));
