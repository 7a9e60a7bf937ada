// One Admin API client for both tiers of tests: `httpAdmin` talks to a running mkondo over a real
// socket, `inProcessAdmin` calls a Hono app in process (MemoryRuntime), so a scenario written
// against `AdminRequest` runs unchanged in either. Also the golden-path provisioning bodies (as the
// TTK collection `hub/provisioning/for_golden_path` sends them) and exact read-backs: account
// values come back as JSON numbers and are turned into bigint minor units, never summed as floats.

import { parseAdminAmount } from '../../schema/money.ts';

export type AdminAnswer = {
  readonly status: number;
  /** The JSON-decoded body; `undefined` when the answer has none. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON and assert it exactly.
  readonly body: any;
};

/** One Admin API call. A string body is sent as is (malformed JSON tests); else JSON-encoded. */
export type AdminRequest = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Readonly<Record<string, string>>,
) => Promise<AdminAnswer>;

function requestInit(method: string, body: unknown, headers: Record<string, string>): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}

async function answerOf(response: Response): Promise<AdminAnswer> {
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Over HTTP; with `token`, every request carries `Authorization: Bearer <token>`. */
export function httpAdmin(baseUrl: string, options: { token?: string } = {}): AdminRequest {
  const auth: Record<string, string> = options.token
    ? { authorization: `Bearer ${options.token}` }
    : {};
  return async (method, path, body, headers = {}) =>
    answerOf(await fetch(`${baseUrl}${path}`, requestInit(method, body, { ...auth, ...headers })));
}

type InProcessApp = {
  request(input: string, init: RequestInit): Response | Promise<Response>;
};

/** In process (Hono `app.request`); `settle` (MemoryRuntime.settle) runs after each call. */
export function inProcessAdmin(
  app: InProcessApp,
  options: { origin?: string; settle?: () => Promise<void> } = {},
): AdminRequest {
  const origin = options.origin ?? 'http://admin.test';
  return async (method, path, body, headers = {}) => {
    const response = await app.request(`${origin}${path}`, requestInit(method, body, headers));
    await options.settle?.();
    return answerOf(response);
  };
}

/** Calls and fails with the whole answer unless the status is `status`; answers the body. */
export async function expectStatus(
  admin: AdminRequest,
  status: number,
  ...call: Parameters<AdminRequest>
): Promise<AdminAnswer['body']> {
  const answer = await admin(...call);
  if (answer.status !== status) {
    const [method, path] = call;
    const got = `${answer.status} ${JSON.stringify(answer.body)}`;
    throw new Error(`${method} ${path} answered ${got}, expected ${status}`);
  }
  return answer.body;
}

/** `[status, errorCode]` of an error answer, for one-line assertions. */
export function errorOf(answer: AdminAnswer): [number, string | undefined] {
  return [answer.status, answer.body?.errorInformation?.errorCode];
}

// --- golden-path provisioning, as the TTK collection sends it ------------------------------

export const HUB_ACCOUNTS = ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION'] as const;

/** The four settlement models of MojaloopHub_Setup (`cgsCurrency` gets CGS and INTERCHANGEFEE). */
export function ttkSettlementModels(cgsCurrency: string) {
  const deferredNet = {
    settlementGranularity: 'NET',
    settlementInterchange: 'MULTILATERAL',
    settlementDelay: 'DEFERRED',
    requireLiquidityCheck: false,
  };
  return [
    {
      name: 'DEFERREDNETXXX',
      ...deferredNet,
      ledgerAccountType: 'POSITION',
      autoPositionReset: true,
      currency: 'XXX',
      settlementAccountType: 'SETTLEMENT',
    },
    {
      name: 'DEFAULTDEFERREDNET',
      ...deferredNet,
      ledgerAccountType: 'POSITION',
      autoPositionReset: true,
      settlementAccountType: 'SETTLEMENT',
    },
    {
      name: 'CGS',
      settlementGranularity: 'GROSS',
      settlementInterchange: 'BILATERAL',
      settlementDelay: 'IMMEDIATE',
      currency: cgsCurrency,
      requireLiquidityCheck: false,
      ledgerAccountType: 'POSITION',
      autoPositionReset: false,
      settlementAccountType: 'SETTLEMENT',
    },
    {
      name: 'INTERCHANGEFEE',
      ...deferredNet,
      currency: cgsCurrency,
      ledgerAccountType: 'INTERCHANGE_FEE',
      autoPositionReset: true,
      settlementAccountType: 'INTERCHANGE_FEE_SETTLEMENT',
    },
  ];
}

/** The oracle registrations of MojaloopHub_Setup ("Oracle Onboarding"). */
export function ttkOracles(currency: string, simulatorBase: string) {
  return ['MSISDN', 'BUSINESS', 'ALIAS'].map((oracleIdType) => ({
    oracleIdType,
    endpoint: { value: `${simulatorBase}/oracle`, endpointType: 'URL' },
    currency,
    isDefault: true,
  }));
}

export const NOTIFICATION_EMAILS = [
  'NET_DEBIT_CAP_THRESHOLD_BREACH_EMAIL',
  'NET_DEBIT_CAP_ADJUSTMENT_EMAIL',
  'SETTLEMENT_TRANSFER_POSITION_CHANGE_EMAIL',
] as const;

/** Every endpoint a DFSP of MojaloopSims_Onboarding registers (callbacks and e-mails). */
export function ttkEndpoints(base: string, email: string): Array<{ type: string; value: string }> {
  const participant = `${base}/participants/{{partyIdType}}/{{partyIdentifier}}`;
  const party = `${base}/parties/{{partyIdType}}/{{partyIdentifier}}`;
  const callbacks: Array<[string, string]> = [
    ['AUTHORIZATIONS', base],
    ['PARTICIPANT_PUT', participant],
    ['PARTICIPANT_PUT_ERROR', `${participant}/error`],
    ['PARTICIPANT_BATCH_PUT', `${base}/participants/{{requestId}}`],
    ['PARTICIPANT_BATCH_PUT_ERROR', `${base}/participants/{{requestId}}/error`],
    ['PARTIES_GET', party],
    ['PARTIES_PUT', party],
    ['PARTIES_PUT_ERROR', `${party}/error`],
    ['QUOTES', base],
    ['TRX_REQ_SERVICE', base],
    ['TRANSFER_POST', `${base}/transfers`],
    ['TRANSFER_PUT', `${base}/transfers/{{transferId}}`],
    ['TRANSFER_ERROR', `${base}/transfers/{{transferId}}/error`],
    ['BULK_TRANSFER_POST', `${base}/bulkTransfers`],
    ['BULK_TRANSFER_PUT', `${base}/bulkTransfers/{{id}}`],
    ['BULK_TRANSFER_ERROR', `${base}/bulkTransfers/{{id}}/error`],
    ['PARTICIPANT_SUB_ID_PUT', `${participant}/{{partySubIdOrType}}`],
    ['PARTICIPANT_SUB_ID_PUT_ERROR', `${participant}/{{partySubIdOrType}}/error`],
    ['PARTICIPANT_SUB_ID_DELETE', `${participant}/{{partySubIdOrType}}`],
    ['PARTIES_SUB_ID_GET', `${party}/{{partySubIdOrType}}`],
    ['PARTIES_SUB_ID_PUT', `${party}/{{partySubIdOrType}}`],
    ['PARTIES_SUB_ID_PUT_ERROR', `${party}/{{partySubIdOrType}}/error`],
  ];
  return [
    ...callbacks.map(([type, value]) => ({ type: `FSPIOP_CALLBACK_URL_${type}`, value })),
    ...NOTIFICATION_EMAILS.map((type) => ({ type, value: email })),
  ];
}

export function fundsInBody(transferId: string, amount: string, currency: string) {
  return {
    transferId,
    externalReference: 'string',
    action: 'recordFundsIn',
    reason: 'string',
    amount: { amount, currency },
    extensionList: { extension: [{ key: 'string', value: 'string' }] },
  };
}

export function fundsOutBody(transferId: string, amount: string, currency: string) {
  return { ...fundsInBody(transferId, amount, currency), action: 'recordFundsOutPrepareReserve' };
}

export function fundsOutFinishBody(action: 'recordFundsOutCommit' | 'recordFundsOutAbort') {
  return { action, reason: 'Reason for out flow of funds' };
}

// --- the provisioning sequence (MojaloopHub_Setup, then MojaloopSims_Onboarding) ------------

export type HubProvisioning = {
  readonly hubName: string;
  readonly currencies: readonly string[];
  /** Currency of the CGS and INTERCHANGEFEE models; one of `currencies`. */
  readonly cgsCurrency: string;
  readonly oracleBase: string;
  readonly email: string;
};

/**
 * Hub accounts per currency -> hub e-mails -> settlement models -> oracles, each answer as TTK
 * accepts it. DEFERREDNETXXX names currency XXX, which has no hub accounts: 400 (3003), as in
 * central-ledger; the collection accepts any 400 there.
 */
export async function provisionHub(admin: AdminRequest, hub: HubProvisioning): Promise<void> {
  for (const currency of hub.currencies) {
    for (const type of HUB_ACCOUNTS) {
      await expectStatus(admin, 201, 'POST', `/participants/${hub.hubName}/accounts`, {
        type,
        currency,
      });
    }
  }
  for (const type of NOTIFICATION_EMAILS) {
    await expectStatus(admin, 201, 'POST', `/participants/${hub.hubName}/endpoints`, {
      type,
      value: hub.email,
    });
  }
  for (const model of ttkSettlementModels(hub.cgsCurrency)) {
    const currency = 'currency' in model ? model.currency : undefined;
    const status = currency === undefined || hub.currencies.includes(currency) ? 201 : 400;
    await expectStatus(admin, status, 'POST', '/settlementModels', model);
  }
  const [currency = hub.cgsCurrency] = hub.currencies;
  for (const oracle of ttkOracles(currency, hub.oracleBase)) {
    await expectStatus(admin, 201, 'POST', '/oracles', oracle);
  }
}

export type DfspProvisioning = {
  readonly name: string;
  readonly currency: string;
  readonly netDebitCap: number;
  /** Funds in on the SETTLEMENT account, Admin amount text. */
  readonly fundsIn: string;
  readonly fundsInTransferId: string;
  readonly endpointBase: string;
  readonly email: string;
};

/** participant -> initialPositionAndLimits -> funds in -> endpoints; answers the SETTLEMENT id. */
export async function provisionDfsp(admin: AdminRequest, dfsp: DfspProvisioning): Promise<number> {
  const { name, currency } = dfsp;
  await expectStatus(admin, 201, 'POST', '/participants', { name, currency });
  await expectStatus(admin, 201, 'POST', `/participants/${name}/initialPositionAndLimits`, {
    currency,
    limit: { type: 'NET_DEBIT_CAP', value: dfsp.netDebitCap },
    initialPosition: 0,
  });
  const settlement = await accountOf(admin, name, { ledgerAccountType: 'SETTLEMENT', currency });
  const deposit = fundsInBody(dfsp.fundsInTransferId, dfsp.fundsIn, currency);
  await expectStatus(
    admin,
    202,
    'POST',
    `/participants/${name}/accounts/${settlement.id}`,
    deposit,
  );
  for (const endpoint of ttkEndpoints(dfsp.endpointBase, dfsp.email)) {
    await expectStatus(admin, 201, 'POST', `/participants/${name}/endpoints`, endpoint);
  }
  return settlement.id;
}

// --- read-backs ----------------------------------------------------------------------------

export type AccountRow = {
  readonly id: number;
  readonly ledgerAccountType: string;
  readonly currency: string;
  readonly isActive: 0 | 1;
  readonly value: number;
  readonly reservedValue: number;
  readonly changedDate: string;
};

/** An Admin API number (account value, limit) as bigint minor units, exactly. */
export function minorOf(value: number): bigint {
  const parsed = parseAdminAmount(value);
  if (!parsed.ok) throw new Error(`not an Admin amount: ${value} (${parsed.reason})`);
  return parsed.minor;
}

export async function accountsOf(admin: AdminRequest, name: string): Promise<AccountRow[]> {
  return expectStatus(admin, 200, 'GET', `/participants/${name}/accounts`);
}

export async function accountOf(
  admin: AdminRequest,
  name: string,
  match: { ledgerAccountType: string; currency: string },
): Promise<AccountRow> {
  const found = (await accountsOf(admin, name)).find(
    (a) => a.ledgerAccountType === match.ledgerAccountType && a.currency === match.currency,
  );
  if (!found) throw new Error(`${name} has no ${match.currency} ${match.ledgerAccountType}`);
  return found;
}

/**
 * DESIGN.md §7 invariant 1, with central-ledger's sign conventions (actors/participant/ledger.ts):
 * POSITION positive = owed by the DFSP; SETTLEMENT negative when funded; HUB_RECONCILIATION +in
 * / −out. Answers the sum of every account value in `currency` of `names` (include the hub), in
 * minor units: 0n once nothing is in flight; a funds-out reservation counts until it finishes.
 */
export async function currencySumMinor(
  admin: AdminRequest,
  names: readonly string[],
  currency: string,
): Promise<bigint> {
  let sum = 0n;
  for (const name of names) {
    for (const a of await accountsOf(admin, name)) {
      if (a.currency === currency) sum += minorOf(a.value);
    }
  }
  return sum;
}

/**
 * Everything the Admin API shows about `names` and the hub-wide lists, for "a bad request
 * changes nothing" and "a restart keeps everything" comparisons (deepEqual of two reads).
 */
export async function adminSnapshot(admin: AdminRequest, names: readonly string[]) {
  const read = (path: string) => expectStatus(admin, 200, 'GET', path);
  const participants: Record<string, unknown> = {};
  for (const name of names) {
    participants[name] = {
      participant: await read(`/participants/${name}`),
      accounts: await read(`/participants/${name}/accounts`),
      positions: await read(`/participants/${name}/positions`),
      limits: await read(`/participants/${name}/limits`),
      endpoints: await read(`/participants/${name}/endpoints`),
    };
  }
  return {
    list: await read('/participants'),
    limits: await read('/participants/limits'),
    settlementModels: await read('/settlementModels'),
    oracles: await read('/oracles'),
    participants,
  };
}

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The value with every ISO-8601 timestamp string replaced by '<date>', for exact comparisons. */
export function withoutDates<T>(value: T): T {
  if (typeof value === 'string') return (ISO_DATE.test(value) ? '<date>' : value) as T;
  if (Array.isArray(value)) return value.map(withoutDates) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, withoutDates(inner)]),
    ) as T;
  }
  return value;
}
