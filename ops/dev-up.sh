#!/usr/bin/env bash
# `make run`: install dependencies, make sure a NATS server with JetStream is reachable (starting a
# local one with its data under .data/ when NATS_URL is unset and nothing listens on 4222), then
# run every role in one process on the embedded database (PGlite) unless DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "[mkondo] $*" >&2; }

if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
  touch node_modules/.installed
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install_nats() {
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    say "installing nats-server with apt-get"
    apt-get update -qq && apt-get install -y -qq nats-server >&2
  elif command -v brew >/dev/null; then
    say "installing nats-server with brew"
    brew install nats-server >&2
  else
    say "nats-server is not installed. Install it, then run make run again:"
    say "  Debian/Ubuntu: sudo apt-get install nats-server"
    say "  macOS:         brew install nats-server"
    say "  other:         https://docs.nats.io/running-a-nats-service/introduction/installation"
    exit 1
  fi
}

if [ -z "${NATS_URL:-}" ] && ! port_open 4222; then
  command -v nats-server >/dev/null || install_nats
  mkdir -p .data/nats
  say "starting nats-server with JetStream on 127.0.0.1:4222 (data in .data/nats, log in .data/nats.log)"
  nats-server -a 127.0.0.1 -p 4222 -js -sd .data/nats >>.data/nats.log 2>&1 &
  echo $! > .data/nats.pid
  for _ in $(seq 1 50); do port_open 4222 && break; sleep 0.1; done
  port_open 4222 || { say "nats-server did not start; see .data/nats.log"; exit 1; }
fi

exec node bin/mkondo.js dev
