// Public entry of the SettlementModel actor folder.

export { SETTLEMENT_MODEL_ACTOR_TYPE, settlementModelActor } from './actor.ts';
