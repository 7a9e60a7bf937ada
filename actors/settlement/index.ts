// Public entry of the Settlement actor folder.

export { decideSettlement, settlementActor } from './actor.ts';
export type * from './messages.ts';
export type * from './state.ts';
