// The contract between the SettlementWindow actor and the Participant actors. A participant
// records, in its own state, the nets of the transfers it commits as payer in the window it
// believes open; the window actor tells every participant when a window closes, and each answers
// once with what it recorded. Both sides are idempotent: a repeated close changes nothing, and a
// repeated report for a window no longer awaiting the participant is ignored when empty.

export const SETTLEMENT_WINDOW_ACTOR_TYPE = 'settlementWindow';
/** One window sequence per hub: the actor's key. */
export const SETTLEMENT_WINDOW_KEY = 'hub';

export const settlementWindowRef = {
  type: SETTLEMENT_WINDOW_ACTOR_TYPE,
  key: SETTLEMENT_WINDOW_KEY,
};

/**
 * Net amounts of one window: [ledgerAccountType][currency][participant] in signed minor units.
 * Positive: the participant owes (it paid more than it received); negative: it is owed.
 */
export type WindowNets = Readonly<
  Record<string, Readonly<Record<string, Readonly<Record<string, bigint>>>>>
>;

/** Window → participant: window `windowId` closed; record from now on in `nextWindowId`. */
export type CloseParticipantWindow = {
  readonly kind: 'CloseParticipantWindow';
  readonly windowId: number;
  readonly nextWindowId: number;
};

/** Participant → window: a new participant, recording in `windowId` since it registered. */
export type JoinSettlementWindows = {
  readonly kind: 'JoinSettlementWindows';
  readonly participant: string;
  readonly windowId: number;
};

/** Participant → window: what it recorded in `windowId` as payer (its own and its payees'). */
export type ParticipantWindowClosed = {
  readonly kind: 'ParticipantWindowClosed';
  readonly participant: string;
  readonly windowId: number;
  readonly nets: WindowNets;
};

/** Adds `amountMinor` owed by `payer` to `payee` into `nets` (a new object; input untouched). */
export function addNet(
  nets: WindowNets,
  entry: {
    readonly ledgerAccountType: string;
    readonly currency: string;
    readonly payer: string;
    readonly payee: string;
    readonly amountMinor: bigint;
  },
): WindowNets {
  const byCurrency = nets[entry.ledgerAccountType] ?? {};
  const byParticipant = { ...(byCurrency[entry.currency] ?? {}) };
  byParticipant[entry.payer] = (byParticipant[entry.payer] ?? 0n) + entry.amountMinor;
  byParticipant[entry.payee] = (byParticipant[entry.payee] ?? 0n) - entry.amountMinor;
  return {
    ...nets,
    [entry.ledgerAccountType]: { ...byCurrency, [entry.currency]: byParticipant },
  };
}

/** Sums two nets tables. */
export function mergeNets(a: WindowNets, b: WindowNets): WindowNets {
  const out: Record<string, Record<string, Record<string, bigint>>> = {};
  for (const table of [a, b]) {
    for (const [type, byCurrency] of Object.entries(table)) {
      const outType = out[type] ?? {};
      out[type] = outType;
      for (const [currency, byParticipant] of Object.entries(byCurrency)) {
        const outCurrency = outType[currency] ?? {};
        outType[currency] = outCurrency;
        for (const [name, value] of Object.entries(byParticipant)) {
          outCurrency[name] = (outCurrency[name] ?? 0n) + value;
        }
      }
    }
  }
  return out;
}

export function isEmptyNets(nets: WindowNets): boolean {
  return Object.values(nets).every((byCurrency) => Object.keys(byCurrency).length === 0);
}
