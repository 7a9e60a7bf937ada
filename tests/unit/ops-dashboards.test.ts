// The Grafana dashboard and the Prometheus alert rules in ops/ name only metrics mkondo exports:
// a renamed metric would otherwise leave an empty panel or an alert that can never fire.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;

function sourceText(dir: string): string {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

const exported = `${sourceText('runtime')}\n${sourceText('ops')}`;
const HISTOGRAM_SERIES = /_(bucket|count|sum)$/;

function unknownMetrics(text: string): string[] {
  const names = new Set(text.match(/mkondo_[a-z_]+/g) ?? []);
  return [...names].filter((name) => {
    if (exported.includes(`'${name}'`)) return false;
    const base = name.replace(HISTOGRAM_SERIES, '');
    return !exported.includes(`'${base}'`);
  });
}

describe('ops dashboards and alerts', () => {
  it('alert rules parse, each with an expression, a severity and a summary', () => {
    const rules = parse(readFileSync(join(ROOT, 'ops/prometheus/alerts.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<Record<string, unknown>> }>;
    };
    const all = rules.groups.flatMap((g) => g.rules);
    assert.deepEqual(
      all.map((r) => r['alert']),
      [
        'MkondoMoneyNotConserved',
        'MkondoPartitionHalted',
        'MkondoPartitionStalled',
        'MkondoPartitionLag',
        'MkondoCallbackFailures',
        'MkondoNdcNearLimit',
        'MkondoTransfersOverdue',
      ],
    );
    for (const rule of all) {
      assert.equal(typeof rule['expr'], 'string', String(rule['alert']));
      const labels = rule['labels'] as { severity?: string };
      assert.match(labels.severity ?? '', /^(critical|warning)$/);
      assert.ok((rule['annotations'] as { summary?: string }).summary, String(rule['alert']));
    }
  });

  it('the alerts and the dashboard name only metrics mkondo exports', () => {
    const alerts = readFileSync(join(ROOT, 'ops/prometheus/alerts.yml'), 'utf8');
    const dashboard = readFileSync(join(ROOT, 'ops/grafana/mkondo-dashboard.json'), 'utf8');
    assert.deepEqual(unknownMetrics(alerts), []);
    assert.deepEqual(unknownMetrics(dashboard), []);
    const panels = (JSON.parse(dashboard) as { panels: unknown[] }).panels;
    assert.equal(panels.length, 14);
  });
});
