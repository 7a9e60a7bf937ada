// `mkondo bench --smoke` end to end: a fresh nats-server, database and switch, DFSPs onboarded
// through the Admin API, a few seconds of each scenario at 20 flows/s (f: bulks of 50, two in
// flight), then the validity checks.
// No speed is asserted; every flow must commit and every check must pass.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

type Result = {
  scenario: string;
  committed: number;
  failed: number;
  errorsByCode: Record<string, number>;
  checks: { name: string; ok: boolean; detail: string }[];
};

function runSmoke(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      'node',
      [join(ROOT, 'bin', 'mkondo.js'), 'bench', '--smoke', '--json-only'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('mkondo bench --smoke', () => {
  it('runs every scenario against a fresh switch and passes every validity check', {
    timeout: 300_000,
  }, async () => {
    const { code, stdout, stderr } = await runSmoke();
    const line = stdout.split('\n').find((text) => text.startsWith('{"kind":"mkondo-bench"'));
    assert.ok(line, `no JSON report line; stderr:\n${stderr.slice(-3000)}`);
    const report = JSON.parse(line) as { smoke: boolean; ok: boolean; results: Result[] };
    const failures = report.results.flatMap((r) =>
      r.checks.filter((c) => !c.ok).map((c) => `${r.scenario}: ${c.name}: ${c.detail}`),
    );
    assert.deepEqual(failures, []);
    assert.equal(report.smoke, true);
    assert.equal(report.ok, true);
    assert.equal(code, 0);
    assert.deepEqual(
      report.results.map((r) => r.scenario),
      ['a', 's', 'i', 'b', 'c-hot', 'd', 'e', 'f'],
    );
    // 20 flows/s for the 4 s window, after a 1 s warm-up: exactly 80 measured flows each.
    for (const result of report.results.filter((r) =>
      ['a', 's', 'i', 'b', 'c-hot'].includes(r.scenario),
    )) {
      assert.deepEqual(
        {
          scenario: result.scenario,
          committed: result.committed,
          failed: result.failed,
          errors: result.errorsByCode,
        },
        { scenario: result.scenario, committed: 80, failed: 0, errors: {} },
      );
    }
    // e: 20 flows/s for 1 s of warm-up and 6 s around the window close, all committed.
    const close = report.results.find((r) => r.scenario === 'e');
    assert.deepEqual([close?.committed, close?.failed], [140, 0]);
    // f: whole bulks of 50 started in the window, every individual committed.
    const bulk = report.results.find((r) => r.scenario === 'f');
    assert.ok(bulk !== undefined && bulk.committed >= 50, `f committed ${bulk?.committed}`);
    assert.deepEqual([bulk.committed % 50, bulk.failed, bulk.errorsByCode], [0, 0, {}]);
  });
});
