// A pure, in-memory world for the FX tests: the Participant, Transfer and FxTransfer actors run
// their real decide/evolve, and every `send` effect is delivered in order (a FIFO queue) to the
// addressed actor, as the runtime would after each state is durable. Callbacks are recorded.
// Onboarded: payer (USD), fxp (USD and EUR) and payee (EUR), each with an NDC of 1,000 and funds
// in of 1,000 per currency, and the hub's accounts, so per-currency sums can be checked.

import type { DecideContext } from '../../actors/actor.ts';
import type { Callback } from '../../actors/callback.ts';
import { fxTransferActor } from '../../actors/fx-transfer/index.ts';
import { participantActor } from '../../actors/participant/actor.ts';
import { accountValueMinor } from '../../actors/participant/ledger.ts';
import type { ParticipantCommand } from '../../actors/participant/messages.ts';
import type { ParticipantState } from '../../actors/participant/state.ts';
import { transferActor } from '../../actors/transfer/index.ts';

const HUB = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: false };
export const START_MS = 1_780_000_000_000;

// biome-ignore lint/suspicious/noExplicitAny: the world hosts actors of three state types.
const ACTORS: Record<string, { initial: any; decide: any; evolve: any }> = {
  participant: participantActor,
  transfer: transferActor,
  'fx-transfer': fxTransferActor,
};

type Queued = { readonly type: string; readonly key: string; readonly command: unknown };

export class FxWorld {
  nowMs = START_MS;
  readonly callbacks: Callback[] = [];
  /** Per callback (same index): the four FX positions when it left, as `payer:USD` → value. */
  readonly positionsAtCallback: Record<string, bigint>[] = [];
  readonly replies: { type: string; key: string; reply: unknown }[] = [];
  private readonly states = new Map<string, unknown>();
  private readonly queue: Queued[] = [];
  private nextParticipantId = 10;

  constructor() {
    for (const currency of ['USD', 'EUR']) {
      for (const ledgerAccountType of ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT']) {
        this.send('participant', 'Hub', { kind: 'AddHubAccount', ledgerAccountType, currency });
      }
    }
    this.onboard('payer', ['USD']);
    this.onboard('fxp', ['USD', 'EUR']);
    this.onboard('payee', ['EUR']);
    this.callbacks.length = 0;
    this.positionsAtCallback.length = 0;
    this.replies.length = 0;
  }

  /** The positions when the last callback to `to` with `path` left. */
  positionsWhenSent(to: string, path: string): Record<string, bigint> | undefined {
    for (let i = this.callbacks.length - 1; i >= 0; i--) {
      const c = this.callbacks[i];
      if (c?.to === to && c.path === path) return this.positionsAtCallback[i];
    }
    return undefined;
  }

  private snapshot(): Record<string, bigint> {
    const pairs = ['payer:USD', 'fxp:USD', 'fxp:EUR', 'payee:EUR'];
    const registered = (name: string) =>
      this.state<ParticipantState>('participant', name).phase === 'registered';
    if (!['payer', 'fxp', 'payee'].every(registered)) return {};
    return Object.fromEntries(
      pairs.map((pair) => {
        const [name = '', currency = ''] = pair.split(':');
        return [pair, this.position(name, currency)];
      }),
    );
  }

  /** Delivers one command and everything it causes, in order. */
  send(type: string, key: string, command: unknown): void {
    this.queue.push({ type, key, command });
    while (this.queue.length > 0) this.step(this.queue.shift() as Queued);
  }

  state<S>(type: string, key: string): S {
    return (this.states.get(`${type}/${key}`) ?? ACTORS[type]?.initial) as S;
  }

  /** POSITION value (posted + reserved) in minor units. */
  position(name: string, currency: string): bigint {
    const state = this.state<ParticipantState>('participant', name);
    if (state.phase !== 'registered') throw new Error(`${name} is not registered`);
    const account = Object.values(state.accounts).find(
      (a) => a.currency === currency && a.ledgerAccountType === 'POSITION',
    );
    if (!account) throw new Error(`${name} has no ${currency} position`);
    return accountValueMinor(account);
  }

  /** Per currency, the sum of every account of every participant (DESIGN.md §7 invariant 1). */
  sums(): Record<string, bigint> {
    const sums: Record<string, bigint> = {};
    for (const name of ['Hub', 'payer', 'fxp', 'payee']) {
      const state = this.state<ParticipantState>('participant', name);
      if (state.phase !== 'registered') continue;
      for (const account of Object.values(state.accounts)) {
        sums[account.currency] = (sums[account.currency] ?? 0n) + accountValueMinor(account);
      }
    }
    return sums;
  }

  /** Reservations still held by any participant. */
  reservations(): string[] {
    return ['payer', 'fxp', 'payee'].flatMap((name) => {
      const state = this.state<ParticipantState>('participant', name);
      return state.phase === 'registered' ? Object.keys(state.reservations) : [];
    });
  }

  /** Callbacks to `to`, as `METHOD path [state or error code]`. */
  trail(to: string): string[] {
    return this.callbacks
      .filter((c) => c.to === to)
      .map((c) => {
        const body = (c.body ?? safeParse(c.relay?.body)) as Record<string, unknown> | undefined;
        const error = (body?.['errorInformation'] as { errorCode?: string } | undefined)?.errorCode;
        const state = body?.['conversionState'] ?? body?.['transferState'];
        return [c.method, c.path, error ?? state ?? ''].filter(Boolean).join(' ');
      });
  }

  private step({ type, key, command }: Queued): void {
    const actor = ACTORS[type];
    if (!actor) throw new Error(`no actor type ${type}`);
    const ctx: DecideContext = { actorId: key, nowMs: this.nowMs, hub: HUB };
    const state = this.state(type, key);
    const decision = actor.decide(state, command, ctx);
    this.states.set(`${type}/${key}`, decision.events.reduce(actor.evolve, state));
    this.replies.push({ type, key, reply: decision.reply });
    for (const effect of decision.effects) {
      if (effect.kind === 'callback') {
        this.callbacks.push(effect.callback);
        this.positionsAtCallback.push(this.snapshot());
      } else this.queue.push({ type: effect.to.type, key: effect.to.key, command: effect.command });
    }
  }

  private onboard(name: string, currencies: readonly string[]): void {
    const participantId = this.nextParticipantId++;
    for (const currency of currencies) {
      const commands: ParticipantCommand[] = [
        {
          kind: 'CreateParticipant',
          participantId,
          currency,
          isProxy: false,
          accountTypes: ['POSITION', 'SETTLEMENT'],
        },
        {
          kind: 'SetInitialPositionAndLimits',
          currency,
          netDebitCapMinor: 1_000_0000n,
          alarmPercentage: 10,
          initialPositionMinor: 0n,
        },
      ];
      for (const command of commands) this.send('participant', name, command);
      const state = this.state<ParticipantState>('participant', name);
      if (state.phase !== 'registered') throw new Error(`${name} was not created`);
      const settlement = Object.values(state.accounts).find(
        (a) => a.currency === currency && a.ledgerAccountType === 'SETTLEMENT',
      );
      this.send('participant', name, {
        kind: 'RecordFundsIn',
        transferId: `funds-${name}-${currency}`,
        accountId: settlement?.id ?? 0,
        currency,
        amountMinor: 1_000_0000n,
      });
    }
  }
}

function safeParse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
