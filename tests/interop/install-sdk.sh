#!/usr/bin/env bash
# Installs Mojaloop's DFSP connector (@mojaloop/sdk-scheme-adapter, pinned by
# tests/interop/sdk/package-lock.json) into a cache folder outside the project's node_modules,
# once per lockfile, so the project's own `npm ci` stays light. Prints the folder that holds
# node_modules/@mojaloop/sdk-scheme-adapter. Install scripts do not run: none is needed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lock="$here/sdk/package-lock.json"
hash="$(sha256sum "$lock" | cut -c1-12)"
dir="${MKONDO_INTEROP_HOME:-$HOME/.cache/mkondo-interop}/sdk-$hash"
main="$dir/node_modules/@mojaloop/sdk-scheme-adapter/src/index.js"
if [ ! -f "$dir/.installed" ] || [ ! -f "$main" ]; then
  echo "[interop] installing @mojaloop/sdk-scheme-adapter into $dir (one-time, ~330 MB)" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$here/sdk/package.json" "$lock" "$dir/"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  touch "$dir/.installed"
fi
echo "$dir"
