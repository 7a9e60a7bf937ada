// What the simulated DFSPs and the load generator put on the wire: FSPIOP v1.1 headers and bodies
// (fspiop.md §1–§3, §8, §9), and the (fulfilment, condition) pair of a transfer. The pair is
// derived from the transferId, so the payee simulator can fulfil any prepare without shared
// state: fulfilment = sha256('secret:' + id), condition = sha256(fulfilment bytes), base64url.

import { createHash } from 'node:crypto';

export type Resource = 'transfers' | 'parties' | 'quotes' | 'participants' | 'bulkTransfers';

const VERSION = '1.1';

/** A small, valid ILP v1 packet; the hub stores it verbatim and never decodes it. */
export const ILP_PACKET =
  'AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQ' +
  'U0svMS4wCk5vbmNlOiB1SXlweUYzY3pYSXBFdzVVc05TYWh3CkVuY3J5cHRpb246IG5vbmUKUGF5bWVudC1JZDogMTMy' +
  'MzZhM2ItOGZhOC00MTYzLTg0NDctNGMzZWQzZGE5OGE3CgpDb250ZW50LUxlbmd0aDogMTM1CkNvbnRlbnQtVHlwZTog' +
  'YXBwbGljYXRpb24vanNvbgpTZW5kZXItSWRlbnRpZmllcjogOTI4MDYzOTEKCiJ7XCJmZWVcIjowLFwidHJhbnNmZXJD' +
  'b2RlXCI6XCJpbnZvaWNlXCIsXCJkZWJpdE5hbWVcIjpcImFsaWNlIGNvb3BlclwiLFwiY3JlZGl0TmFtZVwiOlwibWVy' +
  'IGNoYW50XCIsXCJkZWJpdElkZW50aWZpZXJcIjpcIjkyODA2MzkxXCJ9IgA';

export function fulfilmentFor(transferId: string): Buffer {
  return createHash('sha256').update(`secret:${transferId}`).digest();
}

export function conditionFor(transferId: string): string {
  return createHash('sha256').update(fulfilmentFor(transferId)).digest('base64url');
}

let dateSecond = 0;
let dateText = '';

/** RFC 1123 date, cached per second: the generator sends thousands of requests a second. */
export function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

export type HeaderSet = Record<string, string>;

/** Headers of a request (POST/GET: with Accept) or a callback (PUT: no Accept). */
export function fspiopHeaders(
  resource: Resource,
  method: 'GET' | 'POST' | 'PUT',
  source: string,
  destination?: string,
): HeaderSet {
  const media = `application/vnd.interoperability.${resource}+json;version=${VERSION}`;
  const headers: HeaderSet = {
    'content-type': media,
    date: httpDate(),
    'fspiop-source': source,
  };
  if (method !== 'PUT') headers['accept'] = media;
  if (destination !== undefined) headers['fspiop-destination'] = destination;
  return headers;
}

export type Money = { readonly amount: string; readonly currency: string };

export function prepareBody(options: {
  transferId: string;
  payerFsp: string;
  payeeFsp: string;
  amount: Money;
  condition: string;
  expirationMs: number;
}): string {
  return JSON.stringify({
    transferId: options.transferId,
    payeeFsp: options.payeeFsp,
    payerFsp: options.payerFsp,
    amount: options.amount,
    ilpPacket: ILP_PACKET,
    condition: options.condition,
    expiration: new Date(options.expirationMs).toISOString(),
  });
}

export function fulfilBody(transferId: string): string {
  return JSON.stringify({
    transferState: 'COMMITTED',
    fulfilment: fulfilmentFor(transferId).toString('base64url'),
    completedTimestamp: new Date().toISOString(),
  });
}

/** POST /bulkTransfers: one payer, one payee, every individual with its derived condition. */
export function bulkPrepareBody(options: {
  bulkTransferId: string;
  payerFsp: string;
  payeeFsp: string;
  transferIds: readonly string[];
  amount: Money;
  expirationMs: number;
}): string {
  return JSON.stringify({
    bulkTransferId: options.bulkTransferId,
    bulkQuoteId: options.bulkTransferId,
    payerFsp: options.payerFsp,
    payeeFsp: options.payeeFsp,
    individualTransfers: options.transferIds.map((transferId) => ({
      transferId,
      transferAmount: options.amount,
      ilpPacket: ILP_PACKET,
      condition: conditionFor(transferId),
    })),
    expiration: new Date(options.expirationMs).toISOString(),
  });
}

/** The payee's PUT /bulkTransfers/{id}: every individual fulfilled. */
export function bulkFulfilBody(transferIds: readonly string[]): string {
  return JSON.stringify({
    bulkTransferState: 'COMPLETED',
    completedTimestamp: new Date().toISOString(),
    individualTransferResults: transferIds.map((transferId) => ({
      transferId,
      fulfilment: fulfilmentFor(transferId).toString('base64url'),
    })),
  });
}

export type PartyRef = { readonly idType: string; readonly id: string; readonly fspId: string };

function partyIdInfo(party: PartyRef) {
  return { partyIdType: party.idType, partyIdentifier: party.id, fspId: party.fspId };
}

export function partyBody(party: PartyRef): string {
  return JSON.stringify({
    party: {
      partyIdInfo: partyIdInfo(party),
      name: `Bench ${party.id}`,
      personalInfo: { complexName: { firstName: 'Bench', lastName: party.id } },
    },
  });
}

export function quoteBody(options: {
  quoteId: string;
  transactionId: string;
  payer: PartyRef;
  payee: PartyRef;
  amount: Money;
}): string {
  return JSON.stringify({
    quoteId: options.quoteId,
    transactionId: options.transactionId,
    payee: { partyIdInfo: partyIdInfo(options.payee) },
    payer: { partyIdInfo: partyIdInfo(options.payer) },
    amountType: 'SEND',
    amount: options.amount,
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  });
}

/** The payee's quote answer: the condition commits to the transfer with id = transactionId. */
export function quoteResponseBody(transactionId: string, amount: Money): string {
  return JSON.stringify({
    transferAmount: amount,
    payeeReceiveAmount: amount,
    expiration: new Date(Date.now() + 60_000).toISOString(),
    ilpPacket: ILP_PACKET,
    condition: conditionFor(transactionId),
  });
}

/**
 * The errorCode of an FSPIOP error body (or of an ISO 20022 pacs.002 error, scenario i: its
 * `TxInfAndSts.StsRsnInf.Rsn.Prtry`), or a label for what the body was.
 */
export function errorCodeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as {
      errorInformation?: { errorCode?: unknown };
      TxInfAndSts?: { StsRsnInf?: { Rsn?: { Prtry?: unknown } } };
    };
    const code = parsed.errorInformation?.errorCode ?? parsed.TxInfAndSts?.StsRsnInf?.Rsn?.Prtry;
    return typeof code === 'string' ? code : 'no-errorCode';
  } catch {
    return 'unparsable';
  }
}
