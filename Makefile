# mkondo: a thin, documented layer over npm scripts and the mkondo CLI. `make help` lists targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# Unit and conformance tests first (fast, no services), then integration (real NATS + PostgreSQL).
TEST_FILES = $(sort $(wildcard tests/unit/*.test.ts)) $(sort $(wildcard tests/conformance/*.test.ts)) \
             $(sort $(wildcard tests/integration/*.test.ts))
INTEROP_FILES = $(sort $(wildcard tests/interop/*.test.ts))

.PHONY: help install run test interop check lint typecheck format bench chaos sim ttk clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed ## install dependencies (npm ci)

run: ## run the switch: all roles in one process (starts a local nats-server when needed)
	@bash ops/dev-up.sh

test: node_modules/.installed ## lint, typecheck, then every test (unit, conformance, integration)
	npx biome check .
	npx tsc --noEmit
	node --import tsx --test --test-concurrency=1 --test-timeout=300000 $(TEST_FILES)

interop: node_modules/.installed ## Mojaloop's DFSP connector (SDK) pays through mkondo
	dir="$$(bash tests/interop/install-sdk.sh)" && MKONDO_INTEROP_SDK_DIR="$$dir" \
	  node --import tsx --test --test-concurrency=1 --test-timeout=300000 $(INTEROP_FILES)

check: node_modules/.installed ## lint and typecheck only
	npx biome check .
	npx tsc --noEmit

format: node_modules/.installed ## format and apply safe lint fixes
	npx biome check --write .

bench: node_modules/.installed ## end-to-end benchmark with simulated DFSPs (BENCHMARKS.md; BENCH_ARGS='--scenario a,s')
	node bin/mkondo.js bench $(BENCH_ARGS)

chaos: node_modules/.installed ## faults under load on a 3-node NATS cluster (RELIABILITY.md; CHAOS_LONG=1)
	node --import tsx --test --test-timeout=3600000 tests/chaos/*.test.ts

sim: node_modules/.installed ## deterministic simulation (SEED=, SIM_SEEDS=, SIM_STEPS=, SIM_PROFILE=, SIM_LOOP=; README)
	node --import tsx ops/sim/main.ts

ttk: ## run Mojaloop's Testing Toolkit collections against a running `make run` (TTK_ARGS=...)
	bash ops/ttk.sh $(TTK_ARGS)

clean: ## remove local data (.data/) and reports
	rm -rf .data ttk-report
