# mkondo: a thin, documented layer over npm scripts and the mkondo CLI. `make help` lists targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# Unit and conformance tests first (fast, no services), then integration (real NATS + PostgreSQL).
TEST_FILES = $(sort $(wildcard tests/unit/*.test.ts)) $(sort $(wildcard tests/conformance/*.test.ts)) \
             $(sort $(wildcard tests/integration/*.test.ts))
INTEROP_FILES = $(sort $(wildcard tests/interop/*.test.ts))

.PHONY: help install run test interop check lint typecheck format bench chaos sim ttk clean \
        dist check-release release verify-release

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

clean: ## remove local data (.data/), reports and build output
	rm -rf .data ttk-report dist build

# Shipping (README "Deploy"): the production build, its gates, and signed release artefacts.
VERSION := $(shell node -p 'require("./package.json").version')
RELEASE_SIGNING_KEY ?= build/release-key.pem

dist: node_modules/.installed ## compiled production build in dist/ (ops/release/build.sh)
	bash ops/release/build.sh dist

check-release: dist ## manifests and chart, smoke test of dist/, SBOM, licence and vulnerability gates
	node --import tsx ops/release/k8s-check.ts k8s
	bash ops/release/smoke.sh dist
	node --import tsx ops/release/gates.ts sbom dist build/mkondo-$(VERSION).cdx.json
	node --import tsx ops/release/gates.ts licences dist
	node --import tsx ops/release/gates.ts audit dist

release: check-release ## signed artefacts in build/: npm package, Helm chart, SBOM (RELEASE_SIGNING_KEY=key.pem)
	cd dist && npm pack --pack-destination ../build --loglevel=error >/dev/null
	tar -czf build/mkondo-chart-$(VERSION).tgz -C charts mkondo
	@if [ ! -f "$(RELEASE_SIGNING_KEY)" ]; then 	  echo "[release] no RELEASE_SIGNING_KEY: signing with a new throwaway key $(RELEASE_SIGNING_KEY)"; 	  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$(RELEASE_SIGNING_KEY)"; fi
	openssl pkey -in "$(RELEASE_SIGNING_KEY)" -pubout -out build/release-key.pub
	node --import tsx ops/release/sign.ts sign "$(RELEASE_SIGNING_KEY)" $(RELEASE_FILES)
	$(MAKE) --no-print-directory verify-release

RELEASE_FILES = build/mkondo-$(VERSION).tgz build/mkondo-chart-$(VERSION).tgz build/mkondo-$(VERSION).cdx.json
RELEASE_PUBLIC_KEY ?= build/release-key.pub

verify-release: ## verify the signatures of the release artefacts (RELEASE_PUBLIC_KEY=key.pub)
	node --import tsx ops/release/sign.ts verify "$(RELEASE_PUBLIC_KEY)" $(RELEASE_FILES)
