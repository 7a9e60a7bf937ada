// Supply-chain gates over the production install of a build (ops/release/build.sh), README
// "Deploy": `sbom` writes a CycloneDX SBOM of it and checks that it names every production
// dependency; `licences` fails on a package whose licence is not on the allow-list
// (Apache-2.0-compatible, ops/release/licence-allow.json); `audit` runs `npm audit --omit=dev` and
// fails on a high or critical advisory unless ops/release/audit-exceptions.json excuses it with a
// reason and an expiry date not yet passed. Usage: node --import tsx ops/release/gates.ts
// sbom|licences|audit [dist] [output].

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Component = {
  readonly name: string;
  readonly version: string;
  readonly licenses?: ReadonlyArray<{
    readonly license?: { readonly id?: string; readonly name?: string };
    readonly expression?: string;
  }>;
};
type Sbom = { readonly bomFormat: string; readonly components: readonly Component[] };

const HERE = import.meta.dirname;

function fail(message: string): never {
  process.stderr.write(`[gates] FAILED: ${message}\n`);
  process.exit(1);
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * CycloneDX JSON of the production tree installed in `dist` (npm's own generator). Run at the
 * repository root with `--omit dev`, npm 11 left out production packages that dev packages also
 * use (undici, prom-client, @opentelemetry/api); on dist's own install the tree is exactly what
 * ships, and `sbom` checks that every production dependency is in it.
 */
function sbomOf(dist: string): Sbom {
  const text = execFileSync(
    'npm',
    ['sbom', '--sbom-format', 'cyclonedx', '--sbom-type', 'application', '--omit', 'dev'],
    { cwd: dist, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(text) as Sbom;
}

function sbom(dist: string, output: string): void {
  const bom = sbomOf(dist);
  const declared = Object.keys(
    readJson<{ dependencies: Record<string, string> }>(join(dist, 'package.json')).dependencies,
  );
  const named = new Set(bom.components.map((c) => c.name));
  const missing = declared.filter((name) => !named.has(name));
  if (bom.bomFormat !== 'CycloneDX' || missing.length > 0) {
    fail(`the SBOM lacks production dependencies: ${missing.join(', ')}`);
  }
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(bom, null, 2)}\n`);
  process.stdout.write(`[gates] SBOM: ${bom.components.length} components -> ${output}\n`);
}

function licencesOf(component: Component): string[] {
  return (component.licenses ?? []).map(
    (l) => l.license?.id ?? l.license?.name ?? l.expression ?? 'unknown',
  );
}

/** An SPDX expression is allowed when every alternative of an OR, or every part of an AND, is. */
export function licenceAllowed(expression: string, allowed: ReadonlySet<string>): boolean {
  const text = expression.replace(/[()]/g, ' ').trim();
  if (/\sOR\s/.test(text)) return text.split(/\s+OR\s+/).some((p) => licenceAllowed(p, allowed));
  return text.split(/\s+AND\s+/).every((part) => allowed.has(part.trim()));
}

function licences(dist: string): void {
  const allowList = readJson<{ allowed: string[] }>(join(HERE, 'licence-allow.json'));
  const allowed = new Set(allowList.allowed);
  const refused: string[] = [];
  const components = sbomOf(dist).components;
  for (const component of components) {
    const found = licencesOf(component);
    if (found.length === 0 || !found.every((l) => licenceAllowed(l, allowed))) {
      refused.push(`${component.name}@${component.version} (${found.join(', ') || 'none'})`);
    }
  }
  if (refused.length > 0) fail(`licences outside the allow-list: ${refused.join('; ')}`);
  process.stdout.write(`[gates] licences: ${components.length} packages, all allowed\n`);
}

type Exception = {
  readonly advisory: string;
  readonly package: string;
  readonly reason: string;
  readonly expires: string;
};

type AuditVulnerability = {
  readonly name: string;
  readonly severity: string;
  readonly via: ReadonlyArray<string | { readonly url?: string; readonly source?: number }>;
};

/** The exceptions still in force; one without a reason or a valid, future expiry fails the gate. */
export function exceptionsInForce(list: readonly Exception[], nowMs: number): Exception[] {
  for (const e of list) {
    const expires = Date.parse(e.expires);
    if (!e.reason?.trim() || !e.advisory || !e.package || Number.isNaN(expires)) {
      fail(`audit exception ${JSON.stringify(e)} needs advisory, package, reason and expires`);
    }
  }
  return list.filter((e) => Date.parse(e.expires) > nowMs);
}

function advisoriesOf(v: AuditVulnerability): string[] {
  return v.via.flatMap((via) => (typeof via === 'string' ? [] : [via.url ?? String(via.source)]));
}

function audit(dist: string): void {
  const exceptions = exceptionsInForce(
    readJson<{ exceptions: Exception[] }>(join(HERE, 'audit-exceptions.json')).exceptions,
    Date.now(),
  );
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], {
    cwd: dist,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const report = JSON.parse(run.stdout || '{}') as {
    vulnerabilities?: Record<string, AuditVulnerability>;
    message?: string;
  };
  if (report.vulnerabilities === undefined) {
    const why = report.message ?? run.stderr.trim().split('\n')[0] ?? 'no answer';
    const text = `the advisory service could not be asked (${why})`;
    if (process.env['AUDIT_STRICT'] === '1') fail(text);
    process.stdout.write(`[gates] audit: SKIPPED: ${text}; AUDIT_STRICT=1 makes this fail\n`);
    return;
  }
  const blocking = Object.values(report.vulnerabilities).filter((v) => {
    if (v.severity !== 'high' && v.severity !== 'critical') return false;
    const ids = advisoriesOf(v);
    const excused = (id: string) =>
      exceptions.some((e) => e.package === v.name && id.includes(e.advisory));
    return ids.length === 0 || !ids.every(excused);
  });
  if (blocking.length > 0) {
    fail(`high or critical advisories: ${blocking.map((v) => `${v.name} (${v.severity})`)}`);
  }
  const total = Object.keys(report.vulnerabilities).length;
  process.stdout.write(`[gates] audit: no unexcused high or critical advisory (${total} found)\n`);
}

function main(argv: readonly string[]): void {
  const [gate, dist = 'dist', output = join('build', 'sbom.cdx.json')] = argv;
  if (gate === 'sbom') sbom(dist, output);
  else if (gate === 'licences') licences(dist);
  else if (gate === 'audit') audit(dist);
  else fail('usage: gates.ts sbom|licences|audit [dist] [output]');
}

if (process.argv[1] === import.meta.filename) main(process.argv.slice(2));
