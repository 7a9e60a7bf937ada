// Shared fixtures of the in-process discovery tests: a MemoryRuntime hosting every actor, with a
// fake Participant actor that publishes the directory entries the gateway reads, the FSPIOP app
// over it, and FSPIOP headers and bodies for quotes, transaction requests and authorizations.

import type { AnyActor } from '../../actors/actor.ts';
import type { Callback } from '../../actors/callback.ts';
import { ACTORS } from '../../actors/index.ts';
import type { ParticipantDirectoryEntry } from '../../actors/participant/directory.ts';
import { createFspiopApp } from '../../gateway/fspiop/app.ts';
import { MemoryRuntime } from '../../runtime/memory.ts';

const HUB = { hubName: 'Hub', onUsTransfers: false, confirmToPayee: true };

const fakeParticipant: AnyActor = {
  type: 'participant',
  initial: null,
  decide: (_state, command) => ({ events: [command], effects: [], reply: { kind: 'ok' } }),
  evolve: (_state, event) => event,
  directoryEntry: (state) => state ?? undefined,
};

const ENDPOINTS = {
  FSPIOP_CALLBACK_URL_QUOTES: 'http://dfsp',
  FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE: 'http://dfsp',
  FSPIOP_CALLBACK_URL_PARTIES_GET: 'http://dfsp/parties/{{partyIdType}}/{{partyIdentifier}}',
  FSPIOP_CALLBACK_URL_PARTICIPANT_PUT:
    'http://dfsp/participants/{{partyIdType}}/{{partyIdentifier}}',
};

export function participant(name: string, isActive = true): ParticipantDirectoryEntry {
  return {
    name,
    isActive,
    currencies: { USD: { positionAccountActive: true } },
    endpoints: ENDPOINTS,
  };
}

/** Publishes (or replaces) a participant's directory entry. */
export async function publishParticipant(runtime: MemoryRuntime, entry: ParticipantDirectoryEntry) {
  await runtime.send({ type: 'participant', key: entry.name }, entry);
  await runtime.settle();
}

export async function setup() {
  const runtime = new MemoryRuntime({
    actors: [...ACTORS.filter((a) => a.type !== 'participant'), fakeParticipant],
    hub: HUB,
  });
  for (const name of ['payer', 'payee']) await publishParticipant(runtime, participant(name));
  const app = createFspiopApp({ bus: runtime, directory: runtime, hub: HUB });
  return { runtime, app };
}

export const DATE = new Date(0).toUTCString();

export function headers(
  resource: string,
  source: string,
  extra: Record<string, string> = {},
  version = '1.1',
): Record<string, string> {
  return {
    accept: `application/vnd.interoperability.${resource}+json;version=${version.split('.')[0]}`,
    'content-type': `application/vnd.interoperability.${resource}+json;version=${version}`,
    date: DATE,
    'fspiop-source': source,
    ...extra,
  };
}

/** PUT callback headers: no Accept. */
export function putHeaders(resource: string, source: string, destination: string) {
  const { accept: _none, ...rest } = headers(resource, source, {
    'fspiop-destination': destination,
  });
  return rest;
}

export type ErrorAnswer = { errorInformation: { errorCode: string; errorDescription: string } };

export function errorCodeOf(callback: Callback | undefined): string | undefined {
  return (callback?.body as ErrorAnswer | undefined)?.errorInformation?.errorCode;
}

export const QUOTE_ID = '01JBVM14S6SC453EY9XMHZ5ZS2';
export const TRX_ID = '01JBVM14S6SC453EY9XMHZ5ZT1';

export function quoteBody() {
  return {
    quoteId: QUOTE_ID,
    transactionId: '01JBVM14S6SC453EY9XMHZ5ZS3',
    payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '123' } },
    payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '999', fspId: 'payer' } },
    amountType: 'RECEIVE',
    amount: { amount: '100.5', currency: 'USD' },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  };
}

export const QUOTE_ANSWER = {
  transferAmount: { amount: '100.5', currency: 'USD' },
  expiration: '2030-01-01T00:00:00.000Z',
  ilpPacket:
    'AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0svMS4wCk5vbmNlOiB1SXlweUYzY3pYSXBFdzVVc05TYWh3CkVuY3J5cHRpb246IG5vbmUKUGF5bWVudC1JZDogMTMyMzZhM2ItOGZhOC00MTYzLTg0NDctNGMzZWQzZGE5OGE3CgpDb250ZW50LUxlbmd0aDogMTM1CkNvbnRlbnQtVHlwZTogYXBwbGljYXRpb24vanNvbgpTZW5kZXItSWRlbnRpZmllcjogOTI4MDYzOTEKCiJ7XCJmZWVcIjowLFwidHJhbnNmZXJDb2RlXCI6XCJpbnZvaWNlXCIsXCJkZWJpdE5hbWVcIjpcImFsaWNlIGNvb3BlclwiLFwiY3JlZGl0TmFtZVwiOlwibWVyIGNoYW50XCIsXCJkZWJpdElkZW50aWZpZXJcIjpcIjkyODA2MzkxXCJ9IgA',
  condition: 'f5sqb7tBTWPd5Y8BDFdMm9BJR_MNI4isf8p8n4D5pHA',
};

export function transactionRequestBody() {
  return {
    transactionRequestId: TRX_ID,
    payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '123', fspId: 'payee' } },
    payer: { partyIdType: 'MSISDN', partyIdentifier: '999' },
    amount: { amount: '10', currency: 'USD' },
    transactionType: { scenario: 'PAYMENT', initiator: 'PAYEE', initiatorType: 'CONSUMER' },
  };
}

export const ERROR_BODY = {
  errorInformation: { errorCode: '5100', errorDescription: 'Payee rejected' },
};
