// chart-render.ts, the stand-in for `helm template` in CI: Helm's whitespace trimming, if/else,
// pipelines and the functions the chart uses give what Helm gives, and an action outside that
// subset is refused by name instead of being rendered wrongly.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderChart } from '../../ops/release/chart-render.ts';

function chart(template: string, values: string, override?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mkondo-chart-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'name: c\nversion: 1.2.3\nappVersion: 4.5.6\n');
  writeFileSync(join(dir, 'values.yaml'), values);
  writeFileSync(join(dir, 'templates', 't.yaml'), template);
  const files = override === undefined ? [] : [join(dir, 'override.yaml')];
  if (override !== undefined) writeFileSync(join(dir, 'override.yaml'), override);
  try {
    return renderChart(dir, files).get('templates/t.yaml');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('chart rendering', () => {
  it('trims, branches, pipes and merges values files as Helm does', () => {
    const template = [
      'image: {{ .Values.image.repo }}:{{ default .Chart.AppVersion .Values.image.tag }}',
      'spec:',
      '  {{- if not .Values.auto }}',
      '  replicas: {{ .Values.replicas }}',
      '  {{- else }}',
      '  auto: {{ .Values.auto | quote }}',
      '  {{- end }}',
      '  resources:',
      '    {{- toYaml .Values.resources | nindent 4 }}',
      'name: {{ printf "%s-%s" .Chart.Name .Chart.Version }}',
      '',
    ].join('\n');
    const values =
      'image: { repo: r, tag: "" }\nauto: false\nreplicas: 2\nresources: { cpu: "1" }\n';
    assert.equal(
      chart(template, values),
      'image: r:4.5.6\nspec:\n  replicas: 2\n  resources:\n    cpu: "1"\nname: c-1.2.3\n',
    );
    assert.equal(
      chart(template, values, 'image: { tag: "7" }\nauto: true\n'),
      'image: r:7\nspec:\n  auto: "true"\n  resources:\n    cpu: "1"\nname: c-1.2.3\n',
    );
  });

  it('refuses an action outside the subset it knows, naming it', () => {
    assert.throws(
      () => chart('x: {{ include "helper" . }}\n', 'a: 1\n'),
      /templates\/t.yaml: unsupported action \{\{ include "helper" \. \}\}/,
    );
    assert.throws(() => chart('{{ if .Values.a }}x\n', 'a: 1\n'), /if without end/);
  });
});
