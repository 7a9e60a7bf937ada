// How the Settlement API talks to the actors: send a command and wait for the actor's reply (its
// state is durable by then), then, where an answer depends on other actors' follow-up work (a
// window's participants reporting, a settlement opening), poll the snapshots for a bounded time.
// Only the operator's HTTP call waits; the transfer path never does.

import { settlementWindowRef } from '../../actors/contracts/window-participant.ts';
import { SETTLEMENT_ACTOR_TYPE } from '../../actors/contracts/window-settlement.ts';
import type { SettlementCommand, SettlementReply } from '../../actors/settlement/index.ts';
import type { WindowCommand, WindowReply } from '../../actors/settlement-window/index.ts';
import { type AdminDeps, expectOk } from '../admin/http.ts';
import { nowOption } from '../admin/participants.ts';

/** How long an answer waits for follow-up work before answering with what is there. */
export const followUpWaitMs = 10_000;
const pollEveryMs = 25;

export async function windowCommand(deps: AdminDeps, command: WindowCommand) {
  return expectOk(
    await deps.bus.request<WindowReply>(settlementWindowRef, command, nowOption(deps)),
  );
}

export async function settlementCommand(
  deps: AdminDeps,
  settlementId: number,
  command: SettlementCommand,
) {
  const ref = { type: SETTLEMENT_ACTOR_TYPE, key: String(settlementId) };
  return expectOk(await deps.bus.request<SettlementReply>(ref, command, nowOption(deps)));
}

/** Reads until `done` holds or the wait is over; answers the last read either way. */
export async function readUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  waitMs = followUpWaitMs,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
  }
}
