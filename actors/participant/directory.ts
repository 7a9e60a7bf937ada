// The public face of a participant that its actor publishes to the directory (NATS KV
// `dir-participant`, key = participant name) after every durable change. Gateways read it to
// check FSPIOP-Source and stamp payee facts on commands; notifiers read endpoints from it.

export type ParticipantDirectoryEntry = {
  readonly name: string;
  readonly isActive: boolean;
  /** Per currency: whether the POSITION account exists and is active. */
  readonly currencies: Readonly<Record<string, { readonly positionAccountActive: boolean }>>;
  /** Endpoint type (e.g. FSPIOP_CALLBACK_URL_TRANSFER_POST) -> URL template as registered. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** The API type it is sent messages in; absent: FSPIOP (gateway/iso20022/render.ts). */
  readonly apiType?: ApiType;
};

/** FSPIOP JSON or the ISO 20022 JSON binding of FSPIOP v2.0. */
export type ApiType = 'fspiop' | 'iso20022';
export const API_TYPES: readonly ApiType[] = ['fspiop', 'iso20022'];

export const PARTICIPANT_ACTOR_TYPE = 'participant';
