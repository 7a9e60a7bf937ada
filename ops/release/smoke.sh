#!/usr/bin/env bash
# Smoke test of a production build (ops/release/build.sh): `mkondo --help` from the compiled
# entry point, then the `dev` role (every role in one process, embedded PGlite, a private
# nats-server on a free port with its storage in a temporary folder) until /ready answers 200 on
# the ops port and /health on the FSPIOP port, then a clean stop. A private server, not NATS_URL:
# each run's streams reserve STREAM_MAX_BYTES of JetStream storage, and a shared server would keep
# them after the run. Ports: SMOKE_PORT (FSPIOP), +1 Admin, +2 ops; default 3400.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${1:-dist}"
BASE="${SMOKE_PORT:-3400}"
say() { echo "[smoke] $*" >&2; }

[ -f "$OUT/bin/mkondo.js" ] || { say "FAILED: no $OUT/bin/mkondo.js (run ops/release/build.sh)"; exit 1; }
[ ! -e "$OUT/node_modules/tsx" ] || { say "FAILED: tsx in the production install"; exit 1; }
node "$OUT/bin/mkondo.js" --help >/dev/null

command -v nats-server >/dev/null || { say "FAILED: no nats-server binary on PATH"; exit 1; }
data="$(mktemp -d)"
log="$data/mkondo.log"
nats_port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$data/nats" >"$data/nats.log" 2>&1 &
nats_pid=$!
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break; sleep 0.1; done
env -i PATH="$PATH" HOME="$data" NODE_ENV=production \
  NATS_URL="nats://127.0.0.1:$nats_port" DATA_DIR="$data" \
  FSPIOP_PORT="$BASE" ADMIN_PORT="$((BASE + 1))" OPS_PORT="$((BASE + 2))" HOST=127.0.0.1 \
  LOG_LEVEL=warn node "$OUT/bin/mkondo.js" dev >"$log" 2>&1 &
pid=$!
stop_nats() { kill "$nats_pid" 2>/dev/null || true; wait "$nats_pid" 2>/dev/null || true; }
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; stop_nats; rm -rf "$data"; }
trap stop EXIT

ready=""
for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then say "FAILED: mkondo dev exited"; tail -30 "$log" >&2; exit 1; fi
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((BASE + 2))/ready" || true)"
  if [ "$code" = 200 ]; then ready=1; break; fi
  sleep 0.2
done
[ -n "$ready" ] || { say "FAILED: /ready never answered 200"; tail -30 "$log" >&2; exit 1; }
health="$(curl -sf "http://127.0.0.1:$BASE/health")"
say "ready; FSPIOP /health: $health"
kill -TERM "$pid"
wait "$pid" && say "stopped cleanly" || { say "FAILED: exit code $? on SIGTERM"; tail -30 "$log" >&2; exit 1; }
trap 'stop_nats; rm -rf "$data"' EXIT
echo "release smoke: 1 passed, 0 failed"
