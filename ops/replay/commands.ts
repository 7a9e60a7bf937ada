// The command lines of `mkondo explain` and `mkondo conservation` (audit reads, like replay).

import { parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import { formatConservation, readLedger } from '../conservation.ts';
import { openConfiguredDatabase } from '../roles.ts';
import { explainPosition, formatExplanation } from './explain.ts';
import { openAuditServices } from './services.ts';

export const EXPLAIN_USAGE = `mkondo explain <participant> <currency> [--from <ISO time>] [--to <ISO time>]

Replays the participant's commands from the CMD stream and prints every movement of its accounts
in the currency (POSITION, SETTLEMENT, hub and fee accounts): time, stream sequence, account,
command, the transfer / funds movement / settlement posting that caused it, the change of posted
and reserved amounts, and the value before and after. Then, per account, the sum of its changes
against the value the database holds. --from/--to only narrow the lines printed.

Exit status: 0 every sum matches, 1 a sum differs, 2 the CMD stream lost its start.`;

export async function runExplainCommand(config: Config, args: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { from: { type: 'string' }, to: { type: 'string' } },
    allowPositionals: true,
  });
  const [dfsp, currency] = positionals;
  if (dfsp === undefined || currency === undefined || positionals.length > 2) {
    throw new Error(`usage: ${EXPLAIN_USAGE}`);
  }
  const fromMs = timeOf('--from', values.from, 0);
  const toMs = timeOf('--to', values.to, Number.POSITIVE_INFINITY);
  const services = await openAuditServices(config);
  try {
    const explanation = await explainPosition({ ...services, dfsp, currency });
    process.stdout.write(formatExplanation(explanation, fromMs, toMs));
    const mismatch = explanation.accounts.some((a) => !a.ok);
    process.exitCode = explanation.incomplete !== undefined ? 2 : mismatch ? 1 : 0;
  } finally {
    await services.close();
  }
}

function timeOf(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${flag} ${text}: not an ISO 8601 time`);
  return ms;
}

export async function runConservationCommand(config: Config): Promise<void> {
  const opened = await openConfiguredDatabase(config);
  try {
    const ledger = await readLedger(opened.db);
    process.stdout.write(formatConservation(ledger));
    process.exitCode = ledger.currencies.every((c) => c.postedSumMinor === 0n) ? 0 : 1;
  } finally {
    await opened.close();
  }
}
