// Renders and validates the Kubernetes manifests (README "Deploy", k8s/README.md): every
// kustomization under k8s/ (base, nats, cockroachdb, each overlay) is rendered with
// `kubectl kustomize` (kustomize built into kubectl), and every object is validated against the
// Kubernetes API schemas that the npm package kubernetes-models 5.1.0 ships (an API of 1.34 or
// later: it has resource.k8s.io/v1),
// then held to the pod rules the image relies on: non-root, read-only root filesystem, no
// privilege escalation. Without kubectl the overlays cannot be rendered: then every manifest
// file a kustomization lists is validated as written, and the output says rendering was skipped.
// The Helm chart (charts/mkondo) is rendered with its default values and with
// values-production.yaml by chart-render.ts (no helm binary can be installed here) and held to the
// same checks, and to the same set of objects as k8s/base and the production overlay.
// Usage: node --import tsx ops/release/k8s-check.ts [k8s-folder] [chart-folder]

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderChart } from './chart-render.ts';

type K8sObject = {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: Record<string, unknown>;
};

type Validator = new (data: K8sObject) => { validate(): void };

/** Every folder under root holding a kustomization.yaml, root first. */
function kustomizations(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (existsSync(join(dir, 'kustomization.yaml'))) found.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
    }
  };
  walk(root);
  return found;
}

function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

function documents(text: string, where: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as K8sObject | null;
    return value === null ? [] : [value];
  });
}

/** The manifests a kustomization lists as resources (files, not folders), as written. */
function listedFiles(dir: string): string[] {
  const config = documents(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'), dir)[0] as {
    resources?: string[];
  };
  return (config.resources ?? [])
    .map((resource) => join(dir, resource))
    .filter((path) => path.endsWith('.yaml'));
}

async function validatorFor(object: K8sObject): Promise<Validator | undefined> {
  const apiVersion = object.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion : `${apiVersion}`;
  try {
    const module = (await import(`kubernetes-models/${group}`)) as Record<string, unknown>;
    return module[object.kind ?? ''] as Validator | undefined;
  } catch {
    return undefined;
  }
}

type PodSpec = {
  readonly securityContext?: { readonly runAsNonRoot?: boolean };
  readonly containers?: ReadonlyArray<{
    readonly name: string;
    readonly securityContext?: {
      readonly readOnlyRootFilesystem?: boolean;
      readonly allowPrivilegeEscalation?: boolean;
    };
  }>;
};

/** The pod rules every mkondo workload keeps (the image runs as uid 1000, writes only /tmp). */
function podProblems(object: K8sObject): string[] {
  const spec = object.spec as { template?: { spec?: PodSpec }; jobTemplate?: unknown } | undefined;
  const pod = spec?.template?.spec;
  const isMkondo = (object.metadata?.name ?? '').startsWith('mkondo');
  if (pod === undefined || !isMkondo) return [];
  const problems: string[] = [];
  if (pod.securityContext?.runAsNonRoot !== true) problems.push('pod may run as root');
  for (const container of pod.containers ?? []) {
    if (container.securityContext?.readOnlyRootFilesystem !== true) {
      problems.push(`${container.name}: root filesystem is writable`);
    }
    if (container.securityContext?.allowPrivilegeEscalation !== false) {
      problems.push(`${container.name}: privilege escalation allowed`);
    }
  }
  return problems;
}

async function check(objects: readonly K8sObject[], where: string): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const name = `${where}: ${object.kind}/${object.metadata?.name}`;
    const Model = await validatorFor(object);
    if (Model === undefined) {
      problems.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
    problems.push(...podProblems(object).map((problem) => `${name}: ${problem}`));
  }
  return problems;
}

/** kind/name of each mkondo object, with kustomize's hash suffix dropped from ConfigMap names. */
function mkondoObjects(objects: readonly K8sObject[]): Set<string> {
  return new Set(
    objects
      .filter((o) => o.kind !== 'Namespace' && (o.metadata?.name ?? '').startsWith('mkondo'))
      .map((o) => `${o.kind}/${(o.metadata?.name ?? '').replace(/^(mkondo-config)-\w+$/, '$1')}`),
  );
}

/** The chart must hold the objects kustomize renders for mkondo (NATS and databases apart). */
function sameObjects(chart: readonly K8sObject[], kustomized: readonly K8sObject[], what: string) {
  const [mine, theirs] = [mkondoObjects(chart), mkondoObjects(kustomized)];
  const missing = [...theirs].filter((o) => !mine.has(o));
  const extra = [...mine].filter((o) => !theirs.has(o));
  return missing.length + extra.length === 0
    ? []
    : [`chart (${what}) differs from kustomize: missing ${missing}, extra ${extra}`];
}

async function main(root: string, chartDir: string): Promise<void> {
  const rendering = kubectlAvailable();
  const problems: string[] = [];
  const kustomized = new Map<string, K8sObject[]>();
  let objects = 0;
  for (const dir of kustomizations(root)) {
    const where = relative(process.cwd(), dir);
    const rendered = rendering
      ? documents(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }), where)
      : listedFiles(dir).flatMap((file) => documents(readFileSync(file, 'utf8'), file));
    kustomized.set(where, rendered);
    objects += rendered.length;
    problems.push(...(await check(rendered, where)));
  }
  const variants = [
    { what: 'default values', files: [], like: join(root, 'base') },
    {
      what: 'values-production.yaml',
      files: [join(chartDir, 'values-production.yaml')],
      like: join(root, 'overlays', 'production'),
    },
  ];
  for (const variant of variants) {
    const where = `${chartDir} (${variant.what})`;
    const rendered = [...renderChart(chartDir, variant.files)].flatMap(([name, text]) =>
      documents(text, `${where} ${name}`),
    );
    objects += rendered.length;
    problems.push(...(await check(rendered, where)));
    const like = kustomized.get(relative(process.cwd(), variant.like));
    if (rendering && like) problems.push(...sameObjects(rendered, like, variant.what));
  }
  if (problems.length > 0) {
    process.stderr.write(`[k8s] FAILED:\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  const how = rendering
    ? 'rendered with kubectl kustomize'
    : 'NOT rendered (no kubectl on PATH): manifest files validated as written';
  process.stdout.write(
    `[k8s] ${objects} objects (kustomize and the Helm chart) valid against the Kubernetes API of kubernetes-models 5.1.0, ${how}\n`,
  );
}

await main(process.argv[2] ?? 'k8s', process.argv[3] ?? join('charts', 'mkondo'));
