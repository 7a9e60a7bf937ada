// Onboards the bench DFSPs through the Admin API exactly as Mojaloop's provisioning collections do
// (fspiop.md §6): hub accounts, a default settlement model, then per DFSP the participant, its net
// debit cap, a funds-in on its SETTLEMENT account, its callback endpoints (pointing at the
// simulators) and its parties in the built-in oracle (FSPIOP POST /participants/MSISDN/{id}).

import { DEFAULT_SETTLEMENT_MODEL, endpointTemplates } from '../onboarding.ts';
import { fspiopHeaders } from './fspiop.ts';
import { sleep } from './loadgen.ts';
import type { SimulatorStats } from './simulator.ts';
import type { FspiopSender, SwitchClient } from './switch-client.ts';

export type Onboarding = {
  readonly hubName: string;
  readonly currency: string;
  readonly dfsps: readonly string[];
  /** Net debit cap and funds-in per DFSP, in currency units (whole numbers). */
  readonly liquidity: number;
  readonly simulatorUrl: string;
};

type Account = { id: number | string; ledgerAccountType: string; currency: string; value: unknown };

async function tolerateExisting(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!/answered 400/.test(String(error))) throw error;
  }
}

export async function onboardHub(admin: SwitchClient, o: Onboarding): Promise<void> {
  for (const type of ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT']) {
    await tolerateExisting(
      admin.json('POST', `/participants/${o.hubName}/accounts`, { type, currency: o.currency }),
    );
  }
  await tolerateExisting(admin.json('POST', '/settlementModels', DEFAULT_SETTLEMENT_MODEL));
}

export async function accounts(admin: SwitchClient, name: string): Promise<Account[]> {
  return (await admin.json('GET', `/participants/${name}/accounts`)) as Account[];
}

export async function onboardDfsp(admin: SwitchClient, o: Onboarding, name: string): Promise<void> {
  await admin.json('POST', '/participants', { name, currency: o.currency });
  await admin.json('POST', `/participants/${name}/initialPositionAndLimits`, {
    currency: o.currency,
    limit: { type: 'NET_DEBIT_CAP', value: o.liquidity },
    initialPosition: 0,
  });
  const settlement = (await accounts(admin, name)).find(
    (a) => a.ledgerAccountType === 'SETTLEMENT' && a.currency === o.currency,
  );
  if (settlement === undefined)
    throw new Error(`${name} has no SETTLEMENT account in ${o.currency}`);
  await admin.json('POST', `/participants/${name}/accounts/${settlement.id}`, {
    transferId: crypto.randomUUID(),
    externalReference: 'mkondo-bench',
    action: 'recordFundsIn',
    reason: 'bench liquidity',
    amount: { amount: String(o.liquidity), currency: o.currency },
  });
  for (const [type, value] of Object.entries(endpointTemplates(`${o.simulatorUrl}/${name}`))) {
    await admin.json('POST', `/participants/${name}/endpoints`, { type, value });
  }
  await waitFor(`${name} funds-in`, async () => {
    const account = (await accounts(admin, name)).find((a) => a.id === settlement.id);
    return Number(account?.value) === -o.liquidity;
  });
}

/** Registers parties in the oracle and waits for every PUT /participants callback. */
export async function registerParties(
  client: FspiopSender,
  stats: SimulatorStats,
  parties: readonly { idType: string; id: string; fspId: string }[],
  currency: string,
): Promise<void> {
  const target = stats.participantCallbacks + parties.length;
  for (const party of parties) {
    const headers = fspiopHeaders('participants', 'POST', party.fspId);
    const body = JSON.stringify({ fspId: party.fspId, currency });
    const result = await client.send(
      'POST',
      `/participants/${party.idType}/${party.id}`,
      headers,
      body,
    );
    if (result.status !== 202) {
      throw new Error(`party registration answered ${result.status}: ${result.body.slice(0, 300)}`);
    }
  }
  await waitFor('party registrations', async () => {
    if (stats.participantErrors > 0) throw new Error('a party registration got an error callback');
    return stats.participantCallbacks >= target;
  });
}

export async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ok()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
