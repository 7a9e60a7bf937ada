// How a run is reported: a table for people, one JSON line for machines, and a dated section
// appended to BENCHMARKS.md with the machine, versions and durability settings, so figures are
// never quoted without the conditions they were measured under.

import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from './environment.ts';
import type { LatencySummary } from './tracker.ts';
import type { Check } from './validity.ts';

export type ScenarioResult = {
  readonly scenario: string;
  readonly title: string;
  readonly load: string;
  readonly offered: number;
  readonly dropped: number;
  /** Flows (or, for d, operations) completed per second in the measured window. */
  readonly completedPerS: number;
  readonly committed: number;
  readonly failed: number;
  readonly latencyMs: LatencySummary | undefined;
  readonly errorsByCode: Readonly<Record<string, number>>;
  readonly cpuPercent: Readonly<Record<string, number>>;
  readonly checks: readonly Check[];
  readonly target: string;
  readonly targetMet: boolean | undefined;
  readonly notes?: string;
};

export type BenchReport = {
  readonly startedAt: string;
  readonly command: string;
  readonly smoke: boolean;
  readonly workers: number;
  readonly environment: Environment;
  readonly results: readonly ScenarioResult[];
  readonly ok: boolean;
};

const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

function errorsText(errors: Readonly<Record<string, number>>): string {
  const entries = Object.entries(errors);
  return entries.length === 0 ? '-' : entries.map(([code, n]) => `${code}x${n}`).join(' ');
}

function cpuText(cpu: Readonly<Record<string, number>>): string {
  return Object.entries(cpu)
    .map(([name, percent]) => `${name} ${percent}%`)
    .join(', ');
}

function targetText(result: ScenarioResult): string {
  if (result.targetMet === undefined) return `${result.target} (not judged)`;
  return `${result.target}: ${result.targetMet ? 'MET' : 'NOT MET'}`;
}

export function formatTable(report: BenchReport): string {
  const header = [
    pad('scenario', 10),
    padLeft('done/s', 8),
    padLeft('p50', 7),
    padLeft('p95', 7),
    padLeft('p99', 7),
    padLeft('max', 8),
    padLeft('ok', 7),
    padLeft('failed', 7),
    '  errors',
  ].join(' ');
  const lines = [header, '-'.repeat(header.length)];
  for (const r of report.results) {
    const l = r.latencyMs;
    lines.push(
      [
        pad(r.scenario, 10),
        padLeft(String(r.completedPerS), 8),
        padLeft(l ? String(l.p50) : '-', 7),
        padLeft(l ? String(l.p95) : '-', 7),
        padLeft(l ? String(l.p99) : '-', 7),
        padLeft(l ? String(l.max) : '-', 8),
        padLeft(String(r.committed), 7),
        padLeft(String(r.failed), 7),
        `  ${errorsText(r.errorsByCode)}`,
      ].join(' '),
    );
  }
  lines.push('', "latency in ms, from the time a flow was due to the payer's final callback", '');
  for (const r of report.results) {
    lines.push(`${r.scenario}: ${r.title}; ${r.load}; offered ${r.offered}, dropped ${r.dropped}`);
    lines.push(`   target ${targetText(r)}`);
    lines.push(`   cpu (% of one core): ${cpuText(r.cpuPercent)}`);
    if (r.notes) lines.push(`   ${r.notes}`);
    for (const check of r.checks) {
      lines.push(`   ${check.ok ? 'PASS' : 'FAIL'} ${check.name}: ${check.detail}`);
    }
  }
  const env = report.environment;
  lines.push(
    '',
    `machine: ${env.cpuModel}, ${env.cores} cores, ${env.ramGiB} GiB; node ${env.node}, ` +
      `${env.nats}, PostgreSQL ${env.postgres}`,
    `durability: ${env.durability}`,
    `validity: ${report.ok ? 'all checks passed' : 'SOME CHECKS FAILED'}`,
  );
  return lines.join('\n');
}

export function jsonLine(report: BenchReport): string {
  return JSON.stringify({ kind: 'mkondo-bench', ...report });
}

/** Appends the run to BENCHMARKS.md (under "## Results"), creating nothing else. */
export function appendToBenchmarks(report: BenchReport, root: string): string | undefined {
  const path = join(root, 'BENCHMARKS.md');
  if (!existsSync(path)) return undefined;
  const env = report.environment;
  const rows = report.results.map((r) => {
    const l = r.latencyMs;
    const latency = l ? `${l.p50} / ${l.p95} / ${l.p99} / ${l.max}` : '-';
    const valid = r.checks.every((c) => c.ok) ? 'pass' : 'FAIL';
    return (
      `| ${r.scenario} | ${r.load} | ${r.completedPerS} | ${latency} | ` +
      `${errorsText(r.errorsByCode)} | ${cpuText(r.cpuPercent)} | ${valid} | ${targetText(r)} |`
    );
  });
  const notes = report.results.filter((r) => r.notes).map((r) => `- ${r.scenario}: ${r.notes}`);
  const text = [
    '',
    `### ${report.startedAt} — \`${report.command}\``,
    '',
    `Machine: ${env.cpuModel}, ${env.cores} cores, ${env.ramGiB} GiB RAM. Node ${env.node}, ` +
      `${env.nats}, PostgreSQL ${env.postgres}. ` +
      (report.workers === 0
        ? 'One `mkondo dev` process.'
        : `Gateway + notifier + ${report.workers} workers.`),
    `Durability: ${env.durability}.`,
    '',
    '| scenario | load | done/s | latency ms p50 / p95 / p99 / max | errors | ' +
      'CPU (% of a core) | validity | target |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    ...(notes.length > 0 ? ['', ...notes] : []),
    '',
  ].join('\n');
  appendFileSync(path, text);
  return path;
}
