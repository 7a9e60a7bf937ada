// Production safety: Jepsen (NATS 2.12.1, 2025) found JetStream losing acknowledged writes in
// versions before the fixes, so production refuses servers older than 2.10.23 and warns below
// 2.12.3. Development runs on anything with JetStream.

export const PRODUCTION_MINIMUM = '2.10.23';
export const PRODUCTION_RECOMMENDED = '2.12.3';

export function compareVersions(a: string, b: string): number {
  const parse = (text: string) => text.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

export type VersionVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'warn'; readonly message: string }
  | { readonly kind: 'refuse'; readonly message: string };

export function judgeNatsVersion(version: string, production: boolean): VersionVerdict {
  if (!production) return { kind: 'ok' };
  if (compareVersions(version, PRODUCTION_MINIMUM) < 0) {
    return {
      kind: 'refuse',
      message: `NATS server ${version} is older than ${PRODUCTION_MINIMUM}, which MKONDO_ENV=production requires (JetStream durability fixes)`,
    };
  }
  if (compareVersions(version, PRODUCTION_RECOMMENDED) < 0) {
    return {
      kind: 'warn',
      message: `NATS server ${version} is older than the recommended ${PRODUCTION_RECOMMENDED}`,
    };
  }
  return { kind: 'ok' };
}
