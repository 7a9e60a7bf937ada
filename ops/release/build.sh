#!/usr/bin/env bash
# The production build, without Docker (README "Deploy"): TypeScript compiled ahead of time into
# dist/ (no tsx at run time), the migrations beside it, a package.json with the production
# dependencies only, and their install (npm ci --omit=dev against the project's lock file, tsx
# pruned). The Dockerfile runs this same script in its build stage; CI runs it and then
# ops/release/smoke.sh on the result.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-dist}"

say() { echo "[build] $*" >&2; }

rm -rf "$OUT"
say "compiling TypeScript into $OUT/"
npx tsc -p tsconfig.build.json --outDir "$OUT"
mkdir -p "$OUT/bin" "$OUT/schema/db"
cp -r schema/db/migrations "$OUT/schema/db/migrations"
cat > "$OUT/bin/mkondo.js" <<'JS'
#!/usr/bin/env node
// The `mkondo` command of a production build: the CLI compiled ahead of time.
await import('../ops/cli.js');
JS
chmod +x "$OUT/bin/mkondo.js"
cp README.md package-lock.json "$OUT/"

say "writing $OUT/package.json (production dependencies, tsx left out)"
node -e '
  const pkg = require("./package.json");
  const { tsx, ...dependencies } = pkg.dependencies;
  const out = {
    name: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license,
    type: "module", engines: pkg.engines, bin: { mkondo: "./bin/mkondo.js" }, dependencies,
  };
  require("fs").writeFileSync(process.argv[1], JSON.stringify(out, null, 2) + "\n");
' "$OUT/package.json"

say "installing production dependencies in $OUT/"
(cd "$OUT" && npm install --omit=dev --no-audit --no-fund --prefer-offline --ignore-scripts \
  --loglevel=error >&2)
if [ -d "$OUT/node_modules/tsx" ]; then say "FAILED: tsx is in the production install"; exit 1; fi
say "done: $(find "$OUT" -name '*.js' -not -path '*/node_modules/*' | wc -l) compiled files"
