// Onboarding for end-to-end tests, over the Admin API exactly as Mojaloop's provisioning
// collections do it (MojaloopHub_Setup, then MojaloopSims_Onboarding): the hub's two accounts per
// currency, a default settlement model, then per DFSP the participant, its initial position and
// NET_DEBIT_CAP, a funds in on its SETTLEMENT account, and every callback endpoint type pointing
// at a simulated DFSP. Every call must answer the status central-ledger answers, else it throws.

import { randomUUID } from 'node:crypto';
import { DEFAULT_SETTLEMENT_MODEL, endpointTemplates } from '../../ops/onboarding.ts';

export type AdminAnswer = { readonly status: number; readonly body: unknown };

/** One Admin API call; the body is JSON-encoded, the answer JSON-decoded when there is one. */
export async function admin(
  adminUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<AdminAnswer> {
  const response = await fetch(`${adminUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** An Admin API call that must answer `status`. */
export async function adminExpect(
  adminUrl: string,
  status: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const answer = await admin(adminUrl, method, path, body);
  if (answer.status !== status) {
    const detail = JSON.stringify(answer.body);
    throw new Error(`${method} ${path} answered ${answer.status}, expected ${status}: ${detail}`);
  }
  return answer.body;
}

export { endpointTemplates };

export type HubSetup = {
  readonly adminUrl: string;
  /** HUB_NAME of the switch; `Hub` by default. */
  readonly hubName?: string;
  readonly currency: string;
};

/** Hub accounts of the currency and the default deferred-net settlement model. */
export async function onboardHub(setup: HubSetup): Promise<void> {
  const hub = setup.hubName ?? 'Hub';
  for (const type of ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION']) {
    await adminExpect(setup.adminUrl, 201, 'POST', `/participants/${hub}/accounts`, {
      type,
      currency: setup.currency,
    });
  }
  await adminExpect(setup.adminUrl, 201, 'POST', '/settlementModels', DEFAULT_SETTLEMENT_MODEL);
}

export type DfspSetup = {
  readonly adminUrl: string;
  readonly name: string;
  readonly currency: string;
  /** NET_DEBIT_CAP, Admin amount text (e.g. "10000"). */
  readonly netDebitCap: string;
  /** Funds in on the SETTLEMENT account, Admin amount text; none when "0". */
  readonly fundsIn: string;
  /** Base URL of the DFSP's simulator; every endpoint template hangs under it. */
  readonly endpointBase: string;
};

type AccountRow = { id: number; ledgerAccountType: string; currency: string; value: number };

export async function accountsOf(adminUrl: string, name: string): Promise<AccountRow[]> {
  return (await adminExpect(
    adminUrl,
    200,
    'GET',
    `/participants/${name}/accounts`,
  )) as AccountRow[];
}

/** Registers one DFSP with its limit, liquidity and endpoints. */
export async function onboardDfsp(setup: DfspSetup): Promise<void> {
  const { adminUrl, name, currency } = setup;
  await adminExpect(adminUrl, 201, 'POST', '/participants', { name, currency });
  await adminExpect(adminUrl, 201, 'POST', `/participants/${name}/initialPositionAndLimits`, {
    currency,
    limit: { type: 'NET_DEBIT_CAP', value: Number(setup.netDebitCap) },
    initialPosition: 0,
  });
  if (setup.fundsIn !== '0') await fundsIn(adminUrl, name, currency, setup.fundsIn);
  for (const [type, value] of Object.entries(endpointTemplates(setup.endpointBase))) {
    await adminExpect(adminUrl, 201, 'POST', `/participants/${name}/endpoints`, { type, value });
  }
}

/** recordFundsIn on the DFSP's SETTLEMENT account; answers once the hub side is durable. */
export async function fundsIn(
  adminUrl: string,
  name: string,
  currency: string,
  amount: string,
): Promise<void> {
  const settlement = (await accountsOf(adminUrl, name)).find(
    (a) => a.ledgerAccountType === 'SETTLEMENT' && a.currency === currency,
  );
  if (settlement === undefined) throw new Error(`${name} has no ${currency} SETTLEMENT account`);
  await adminExpect(adminUrl, 202, 'POST', `/participants/${name}/accounts/${settlement.id}`, {
    transferId: randomUUID(),
    externalReference: 'mkondo-e2e',
    action: 'recordFundsIn',
    reason: 'e2e liquidity',
    amount: { amount, currency },
  });
}

/** The DFSP's POSITION value in the currency as the Admin API shows it (a JS number). */
export async function positionOf(adminUrl: string, name: string, currency: string) {
  const path = `/participants/${name}/positions?currency=${currency}`;
  const body = (await adminExpect(adminUrl, 200, 'GET', path)) as { value?: number };
  if (typeof body.value !== 'number') throw new Error(`${name} has no ${currency} position`);
  return body.value;
}
