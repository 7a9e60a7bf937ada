// The decision type of the BulkTransfer actor and its smallest builders.

import type { Decision } from '../actor.ts';
import type { BulkTransferEvent } from './events.ts';
import type { BulkTransferReply } from './messages.ts';

export type BulkDecision = Decision<BulkTransferEvent, BulkTransferReply>;

export function ignore(reason: string): BulkDecision {
  return { events: [], effects: [], reply: { kind: 'ignored', reason } };
}
