// Public entry of the SettlementWindow actor folder.

export { decideWindows, settlementWindowActor } from './actor.ts';
export type * from './messages.ts';
export type * from './state.ts';
