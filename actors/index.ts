// The registry of actor types the runtime hosts. Each actor type lives in its own folder.

import type { AnyActor } from './actor.ts';
import { authorizationActor } from './authorization/index.ts';
import { bulkQuoteActor } from './bulk-quote/index.ts';
import { bulkTransferActor } from './bulk-transfer/index.ts';
import { conversionRequestActor } from './conversion-request/index.ts';
import { credentialActor } from './credential/index.ts';
import { fxServicesActor } from './fx-services/index.ts';
import { fxTransferActor } from './fx-transfer/index.ts';
import { oracleRegistryActor } from './oracle-registry/index.ts';
import { participantActor } from './participant/index.ts';
import { partyActor } from './party/index.ts';
import { quoteActor } from './quote/index.ts';
import { settlementActor } from './settlement/index.ts';
import { settlementModelActor } from './settlement-model/index.ts';
import { settlementWindowActor } from './settlement-window/index.ts';
import { transactionRequestActor } from './transaction-request/index.ts';
import { transferActor } from './transfer/index.ts';

export const ACTORS: readonly AnyActor[] = [
  partyActor,
  quoteActor,
  transactionRequestActor,
  authorizationActor,
  oracleRegistryActor,
  transferActor,
  participantActor,
  settlementModelActor,
  credentialActor,
  settlementWindowActor,
  settlementActor,
  conversionRequestActor,
  fxTransferActor,
  fxServicesActor,
  bulkQuoteActor,
  bulkTransferActor,
];
