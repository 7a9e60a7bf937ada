// `mkondo replay`: the command line of the audit (audit.ts). It prints a summary, then every
// difference on its own line, and exits 0 when the database is exactly what the streams say,
// 1 on any difference, 2 when the CMD stream no longer holds the whole history.

import { parseArgs } from 'node:util';
import { openDatabase } from '../../runtime/db.ts';
import type { Config } from '../config.ts';
import { type ReplayReport, replayAudit } from './audit.ts';
import { openAuditServices } from './services.ts';

export const REPLAY_USAGE = `mkondo replay [--base <postgres URL>] [--json]

Rebuilds every actor's state from the CMD stream with the actors' own code, up to each
partition's checkpoint, and compares it with the database: every snapshot (version, timer, state
byte for byte after canonical encoding) and every output (events, commands, callbacks) with the
copy in the EVT/CMD/OUT streams or the outbox. Reads only (ordered consumers, one read-only
transaction): safe against a live switch. Run it with the workers' HUB_NAME,
ENABLE_ON_US_TRANSFERS and SEND_TRANSFER_CONFIRMATION_TO_PAYEE.

--base   start from a database restored from a backup instead of from sequence 1: its
         snapshots, checkpoints and applied commands are the starting state, and only the
         commands after its checkpoints are replayed
--json   print the report as JSON instead of text

Exit status: 0 no difference, 1 differences (each printed), 2 the CMD stream no longer starts at
sequence 1 (see README, "Audit").`;

export async function runReplayCommand(config: Config, args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean' }, base: { type: 'string' } },
  });
  if (values.base !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(values.base)) {
    throw new Error(`--base ${values.base}: must be a postgres:// URL`);
  }
  const json = values.json === true;
  const services = await openAuditServices(config);
  const base = values.base === undefined ? undefined : await openDatabase(values.base, '', 2);
  try {
    const report = await replayAudit({ ...services, ...(base ? { base: base.db } : {}) });
    process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    process.exitCode = report.impossible !== undefined ? 2 : report.differences.length > 0 ? 1 : 0;
  } finally {
    await base?.close();
    await services.close();
  }
}

export function formatReport(report: ReplayReport): string {
  const { CMD, EVT, OUT } = report.streams;
  const lines = [
    `replay: ${report.commands} commands of ${report.partitions} partitions, ` +
      `${report.actors} actors, ${report.outputsMatched} outputs matched, ` +
      `${report.differences.length} differences, ${report.tookMs} ms`,
    `streams: CMD ${CMD.count} messages (${CMD.firstSeq}-${CMD.lastSeq}), EVT ${EVT.count}, ` +
      `OUT ${OUT.count}; ${report.beyondCheckpoint} commands above their checkpoint not compared`,
  ];
  if (report.impossible !== undefined) lines.push(`replay impossible: ${report.impossible}`);
  for (const d of report.differences) lines.push(`${d.kind}\t${d.subject}\t${d.detail}`);
  return `${lines.join('\n')}\n`;
}
