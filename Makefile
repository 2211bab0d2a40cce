# Percolate: `make dev` runs it locally with demo data; `make test` checks everything. `make help` lists targets.
SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec
.DEFAULT_GOAL := help

export TURBO_TELEMETRY_DISABLED := 1
export DO_NOT_TRACK := 1
# npm's global prefix (where `npm i -g bun` puts bun) must be on PATH for the targets below.
export PATH := $(shell npm prefix -g 2>/dev/null)/bin:$(PATH)

TURBO ?= bunx turbo

# Pinned versions of what the cluster targets install; bump them on purpose (docs: upgrade and rollback).
# Argo CD: github.com/argoproj/argo-cd/releases. ACK charts (oci://public.ecr.aws/aws-controllers-k8s/<svc>-chart):
# the services list of aws-controllers-k8s.github.io.
ARGOCD_VERSION ?= v3.5.1
ACK_DYNAMODB_CHART_VERSION ?= 1.6.1
ACK_IAM_CHART_VERSION ?= 1.3.19
ACK_LAMBDA_CHART_VERSION ?= 1.6.1
ACK_SES_CHART_VERSION ?= 1.0.6
export ARGOCD_VERSION ACK_DYNAMODB_CHART_VERSION ACK_IAM_CHART_VERSION ACK_LAMBDA_CHART_VERSION ACK_SES_CHART_VERSION

# The cluster targets below are Bun scripts in scripts/ops that read make's variables from the environment
# (INSTANCE, DRY_RUN, REGISTRY, TAG, ...). DRY_RUN=1 prints every command that would act on a cluster, a registry
# or AWS as `+ cmd` and runs none of them; local checks (kubectl kustomize, git status) still run. K8S_DIR= points
# them at another copy of infra/k8s (the tests use one).
OPS = bun scripts/ops

##@ General

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: setup
setup: deps-test ## Install what development and the tests need (Bun, Java 17, dependencies, chromium); safe to rerun
	@printf 'setup: ready: bun %s, %s, %s\n' "$$(bun --version)" "$$(java -version 2>&1 | head -1)" \
		"$$($${CHROMIUM_PATH:-/usr/bin/chromium} --version 2>/dev/null || echo 'chromium missing')"

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

.PHONY: e2e
e2e: deps-test ## The whole journey end to end: two deployments, percolate-cron, email and chat, in Chromium (~2 min)
	@$(TURBO) run build --filter=@percolate/web --filter=@percolate/cron --output-logs=errors-only
	@start=$$SECONDS; cd apps/web && if bun test --timeout 300000 test/two-deployments.e2e.test.ts; then \
		echo "e2e: passed in $$((SECONDS - start)) s (screenshots, emails, chat messages: apps/web/test-results/two-deployments/)"; \
	else \
		echo "e2e: FAILED after $$((SECONDS - start)) s: the failing step is named above; its screenshot, URL and the emails are in apps/web/test-results/two-deployments/"; \
		exit 1; \
	fi

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

##@ Release

.PHONY: images
images: ## Build the server, web and cron images (REGISTRY= [TAG=] [PUSH=1]) and the Lambda zip (PUSH=1 LAMBDA_BUCKET=)
	@$(OPS)/images.ts

##@ Cluster (once per cluster; DRY_RUN=1 prints the plan)

.PHONY: argocd-setup
argocd-setup: ## Install Argo CD (pinned: ARGOCD_VERSION) and the project's AppProject and ApplicationSet (infra/argocd)
	@$(OPS)/argocd-setup.ts

.PHONY: operators-install
operators-install: ## Install the ACK controllers for DynamoDB, IAM, Lambda, SES (AWS_REGION=, ACK_ROLE_ARN= or AWS_ACCOUNT_ID=)
	@$(OPS)/operators-install.ts

##@ Instances (one per namespace; DRY_RUN=1 prints the plan)

.PHONY: instance-new
instance-new: ## New overlay from infra/k8s/instance-template: NAME= HOST= AWS_ACCOUNT_ID= ... (see docs; DRY_RUN=1 checks them)
	@$(OPS)/instance-new.ts

.PHONY: instance-stream
instance-stream: ## Connect the Lambda of INSTANCE= to its table's stream (after the first sync; or TABLE_STREAM_ARN=)
	@$(OPS)/instance-stream.ts

.PHONY: render
render: ## Print the manifests of INSTANCE= as Argo CD renders them (kubectl kustomize, no cluster needed)
	@$(OPS)/render.ts

.PHONY: secrets
secrets: ## Create or update the Secret of INSTANCE= from FROM=<file.env> or the environment (GENERATE_KEY=1); never echoed
	@$(OPS)/secrets.ts

.PHONY: deploy
deploy: ## Check that INSTANCE= renders and is pushed, sync its Argo CD Application, wait for the rollout
	@$(OPS)/deploy.ts

.PHONY: status
status: ## Argo CD state, workloads, jobs and pods of INSTANCE=, then its last rounds and failed notifications
	@$(OPS)/status.ts

.PHONY: destroy
destroy: ## Remove INSTANCE= from the cluster after confirmation (CONFIRM=<name>); keeps its table unless KEEP_TABLE=0
	@$(OPS)/destroy.ts

##@ Cleanup

.PHONY: clean
clean: ## Remove build output and caches (keeps .data/)
	@rm -rf apps/web/dist apps/web/test-results apps/cron/bin .turbo apps/*/.turbo packages/*/.turbo

.PHONY: clean-data
clean-data: ## Delete the local DynamoDB data under .data/ (the demo is seeded again on the next make dev)
	@rm -rf .data
