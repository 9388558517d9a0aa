"""One lab at a time: `make synth LAB=<lab>` builds only its stacks, `make test LAB=<lab>` tests only them."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import aws_cdk as cdk
import pytest

import app
from scripts import lab_check
from stacks.config import REPO_ROOT, cdk_json_context
from stacks.labs import LABS, lab_named, labs_named
from tests import conftest
from tests.harness import LABS_VARIABLE

ALLOWED = ", ".join(lab.name for lab in LABS)


def test_labs_named_reads_a_comma_separated_list_in_registry_order() -> None:
    assert labs_named("fanout") == (lab_named("fanout"),)
    assert labs_named("fanout, queue-worker") == (lab_named("queue-worker"), lab_named("fanout"))


@pytest.mark.parametrize("names", ["queue_worker", "fanout,nope", ""])
def test_an_unknown_lab_is_one_line_listing_the_labs(names: str) -> None:
    with pytest.raises(LookupError, match=re.escape(f": must be one of {ALLOWED}")):
        labs_named(names)


def test_lab_check_says_what_is_wrong_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert lab_check.main(["queue-worker"]) == 0
    assert capsys.readouterr().err == ""
    assert lab_check.main(["queue_worker"]) == 2
    assert capsys.readouterr().err == f"error: unknown lab 'queue_worker': must be one of {ALLOWED}\n"
    assert lab_check.main([]) == 2
    assert capsys.readouterr().err.startswith("error: no lab given: name one with LAB=<lab>")


def run_app(context: dict[str, object], outdir: Path) -> int:
    """app.py's main, in this process (its jsii is running: a subprocess would pay a second Node start),
    with the context the CLI would pass (`-c labs=...`)."""
    return app.main(cdk.App(context=context, outdir=str(outdir), builtin_cloud_formation_validation=False))


def test_the_labs_context_key_puts_only_those_stacks_in_the_assembly(tmp_path: Path) -> None:
    assert run_app({**cdk_json_context(), "stage": "sandbox", "labs": "billing-alarm"}, tmp_path) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    stacks = [
        name for name, artifact in manifest["artifacts"].items() if artifact["type"] == "aws:cloudformation:stack"
    ]
    assert stacks == ["BillingAlarm"]
    assert sorted(path.name for path in tmp_path.glob("*.template.json")) == ["BillingAlarm.template.json"]


def test_an_unknown_lab_in_the_context_stops_the_app_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_app({**cdk_json_context(), "stage": "sandbox", "labs": "fan-out"}, tmp_path) == 1
    assert capsys.readouterr().err == f"error: unknown lab 'fan-out': must be one of {ALLOWED}\n"
    assert not (tmp_path / "manifest.json").exists()


def lab_pytest_command(lab: str) -> list[str]:
    """The pytest command `make test LAB=<lab>` runs, as `make -n` prints it (nothing is run)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("MAKE")}
    printed = subprocess.run(
        ["make", "--no-print-directory", "-n", "lab-unit", f"LAB={lab}"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    (line,) = [line for line in printed.splitlines() if f"{LABS_VARIABLE}=" in line]
    return shlex.split(line)


def collected(command: list[str], lab: str) -> subprocess.CompletedProcess[str]:
    """Collects (does not run) the command's tests, in one process, with CLOUDOPS_LABS as make sets it."""
    assignment, pytest_name, *args = command
    assert assignment == f"{LABS_VARIABLE}={lab}"
    assert pytest_name == "pytest"
    paths = [arg for arg in args if arg.startswith("tests/")]
    env = {**os.environ, LABS_VARIABLE: lab}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-n", "0", *paths],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_make_test_lab_collects_that_labs_tests_and_only_its_cases_of_every_gate() -> None:
    command = lab_pytest_command("fanout")
    assert "tests/fanout" in command
    result = collected(command, "fanout")
    assert result.returncode == 0, result.stdout + result.stderr
    ids = [line for line in result.stdout.splitlines() if "::" in line]
    files = {node_id.split("::")[0] for node_id in ids}
    # Every gate is there: nag and cfn-lint, snapshots, tags, destroy, cost coverage, registry, study page.
    gates = {"test_gates", "test_snapshots", "test_tags", "test_destroy", "test_cost_coverage", "test_registry"}
    assert {f"tests/{gate}.py" for gate in gates} <= files
    assert (
        "tests/study/test_diagram.py::test_committed_guide_holds_the_diagrams_of_the_current_templates[fanout]" in ids
    )
    assert "tests/rehearse/test_registry.py::test_a_gap_names_exactly_the_types_the_emulator_lacks[fanout]" in ids
    assert {path.split("/")[1] for path in files if path.count("/") > 1} == {"fanout", "study", "rehearse"}
    # No case of another lab: a Lab parameter shows as its name in the test id.
    others = [lab.name for lab in LABS if lab.name != "fanout"]
    assert [node_id for node_id in ids if re.search(rf"[\[-]({'|'.join(others)})[\]-]", node_id)] == []
    assert len([node_id for node_id in ids if "fanout" in node_id and "tests/fanout/" not in node_id]) >= 10


def test_an_unknown_lab_in_the_variable_is_a_usage_error(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LABS_VARIABLE, "fan-out")
    with pytest.raises(pytest.UsageError, match=re.escape(f"{LABS_VARIABLE}: unknown lab 'fan-out': must be one of")):
        conftest.pytest_configure(request.config)


def test_a_run_of_one_lab_refuses_to_rewrite_snapshots(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LABS_VARIABLE, "fanout")
    monkeypatch.setattr(request.config.option, "update_snapshots", True)
    with pytest.raises(pytest.UsageError, match=f"rewrites every lab's snapshots: unset {LABS_VARIABLE}"):
        conftest.pytest_configure(request.config)
