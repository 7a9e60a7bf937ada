// The transaction facts an interchange fee rule reads, taken from a transfer's ILP packet: an ILP
// v4 Prepare (OER: type 12, then amount, expiry, condition, destination and data), whose data is
// the base64url JSON of the FSPIOP Transaction (scenario, initiator, parties). Pure and total: a
// packet that does not decode yields no facts (and so no fee), never an exception.

import { readIlpPrepare } from '../../schema/fspiop/ilp-prepare.ts';
import type { TransactionFacts } from './interchange-fee.ts';

type Party = { partyIdInfo?: { extensionList?: Extensions }; extensionList?: Extensions };
type Extensions = { extension?: { key?: unknown; value?: unknown }[] };

function accountType(party: Party | undefined): string | undefined {
  const lists = [party?.partyIdInfo?.extensionList, party?.extensionList];
  for (const list of lists) {
    const found = list?.extension?.find((e) => e.key === 'accountType');
    if (typeof found?.value === 'string') return found.value;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The Transaction carried in `ilpPacket` (base64 or base64url), or undefined. */
export function transactionFactsOf(ilpPacket: string): TransactionFacts | undefined {
  const tx = readIlpPrepare(ilpPacket)?.transaction as
    | {
        transactionType?: { scenario?: unknown; initiator?: unknown; initiatorType?: unknown };
        payer?: Party;
        payee?: Party;
      }
    | undefined;
  if (tx === undefined) return undefined;
  try {
    // The packet is the payer's text: a field of another shape than the Transaction's (an
    // extension list that is not an array) must yield no facts, not an exception in the actor.
    const facts: Record<string, string | undefined> = {
      scenario: text(tx.transactionType?.scenario),
      initiator: text(tx.transactionType?.initiator),
      initiatorType: text(tx.transactionType?.initiatorType),
      payerAccountType: accountType(tx.payer),
      payeeAccountType: accountType(tx.payee),
    };
    return Object.fromEntries(
      Object.entries(facts).filter(([, v]) => v !== undefined),
    ) as TransactionFacts;
  } catch {
    return undefined;
  }
}
