# Percolate: `make dev` runs it locally with demo data; `make test` checks everything. `make help` lists targets.
SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec
.DEFAULT_GOAL := help

export TURBO_TELEMETRY_DISABLED := 1
export DO_NOT_TRACK := 1
# npm's global prefix (where `npm i -g bun` puts bun) must be on PATH for the targets below.
export PATH := $(shell npm prefix -g 2>/dev/null)/bin:$(PATH)

TURBO ?= bunx turbo

##@ General

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: deps
deps: ## Install what is missing: Bun (pinned), Java 17 for DynamoDB Local, dependencies
	@scripts/deps.sh

.PHONY: dev
dev: deps ## Run DynamoDB Local, the local email inbox, the API and the web app with demo data (Ctrl-C stops)
	@bun scripts/dev.ts

.PHONY: build
build: deps ## Build the web bundle (apps/web/dist) and the cron binary (apps/cron/bin/percolate-cron)
	@$(TURBO) run build

.PHONY: format
format: deps ## Format and fix lint findings in place (Biome)
	@bunx biome check --write .

##@ Checks

.PHONY: test
test: deps-test lint typecheck ## Install what is missing, then lint, typecheck and run every test
	@bun scripts/test.ts

.PHONY: lint
lint: deps ## Lint and check formatting (Biome)
	@bunx biome check --error-on-warnings .

.PHONY: typecheck
typecheck: deps ## Type-check every package (tsc --noEmit)
	@$(TURBO) run typecheck --output-logs=errors-only

.PHONY: bench
bench: build ## Measure the web bundle size and the cron binary's start time
	@bun bench/foundation.ts

.PHONY: bench-api
bench-api: deps ## API: the dashboard's batched call, 64 connections for 30 s, beside plain Bun.serve (JSON last line)
	@bun bench/api.ts $(BENCH_ARGS)

.PHONY: bench-matching
bench-matching: deps ## Matching quality, scale, randomness and preferences: one JSON line per instance and seed
	@bun bench/matching.ts $(BENCH_ARGS)

.PHONY: bench-round
bench-round: deps ## A round of 10,000 participants with 20 rounds of history on DynamoDB Local (JSON last line)
	@bun bench/round.ts $(BENCH_ARGS)

.PHONY: bench-web
bench-web: deps-test ## Web: initial JS/CSS gzip and a cold-cache load to an interactive dashboard in Chromium (JSON last line)
	@bun bench/web.ts $(BENCH_ARGS)

.PHONY: deps-test
deps-test: ## Like deps, plus Debian's chromium for the browser tests
	@scripts/deps.sh --browser

##@ Cleanup

.PHONY: clean
clean: ## Remove build output and caches (keeps .data/)
	@rm -rf apps/web/dist apps/web/test-results apps/cron/bin .turbo apps/*/.turbo packages/*/.turbo

.PHONY: clean-data
clean-data: ## Delete the local DynamoDB data under .data/ (the demo is seeded again on the next make dev)
	@rm -rf .data
