// The parts of an ILP v4 Prepare packet the ISO 20022 binding needs. The binding carries the
// packet (`VrfctnOfTerms.IlpV4PrepPacket`) but not the condition, so the hub takes the condition
// from the packet (OER: type 12, then amount, expiry, executionCondition, destination, data); the
// data is the base64url JSON of the FSPIOP Transaction, whose payer and payee name the ISO
// debtor and creditor when the hub renders an FSPIOP message in ISO. Pure and total: a packet
// that does not decode yields undefined, never an exception (schema/fspiop/ilp-prepare.ts).

import { readIlpPrepare } from '../../schema/fspiop/ilp-prepare.ts';

export type IlpPrepare = {
  /** executionCondition, base64url (43 characters), as FSPIOP writes `condition`. */
  readonly condition: string;
  /** The FSPIOP Transaction in the packet's data, when it is JSON. */
  readonly transaction?: IlpTransaction;
};

export type IlpParty = {
  readonly partyIdInfo?: {
    readonly partyIdType?: string;
    readonly partyIdentifier?: string;
    readonly partySubIdOrType?: string;
    readonly fspId?: string;
  };
  readonly name?: string;
};

export type IlpTransaction = { readonly payer?: IlpParty; readonly payee?: IlpParty };

/** The condition and transaction of an ILP v4 Prepare (base64 or base64url), or undefined. */
export function ilpPrepareOf(packet: string): IlpPrepare | undefined {
  return readIlpPrepare(packet) as IlpPrepare | undefined;
}
