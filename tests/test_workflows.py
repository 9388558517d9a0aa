"""The GitHub Actions workflows and the dev container, checked offline.

A broken workflow should fail here, not in a fork's first run against its AWS account.
`make workflows` (part of `make lint`) validates them against the published schemas;
this checks what a schema cannot: pins, permissions, concurrency and the commands run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from stacks.labs import LABS

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FULL_SHA = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def load(name: str) -> dict[str, Any]:
    raw: dict[Any, Any] = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    # YAML 1.1 reads the key `on` as the boolean true.
    raw["on"] = raw.pop(True, raw.get("on"))
    return raw


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return found


def runs(workflow: dict[str, Any], job: str) -> list[str]:
    return [step["run"] for step in steps(workflow, job) if "run" in step]


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z0-9-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_by_full_commit_sha(path: Path) -> None:
    workflow = load(path.name)
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]
    assert uses, "no action used: is the file parsed?"
    for action in uses:
        assert FULL_SHA.match(action), f"{path.name}: {action} is not pinned by a full commit SHA"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_permissions_are_least_privilege(path: Path) -> None:
    workflow = load(path.name)
    assert workflow["permissions"] in ({}, {"contents": "read"}), "the default must grant nothing more than a read"
    for name, job in workflow["jobs"].items():
        granted = {**workflow["permissions"], **job.get("permissions", {})}
        writes = {scope for scope, level in granted.items() if level == "write"}
        # Only the job that talks to AWS exchanges GitHub's OIDC token; nothing writes to the repository.
        assert writes <= ({"id-token"} if (path.name, name) == ("sandbox.yml", "loop") else set()), (path.name, name)
        assert "timeout-minutes" in job, f"{path.name}: {name} has no timeout"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_the_make_targets_they_run_exist(path: Path) -> None:
    workflow = load(path.name)
    named = {
        match
        for job in workflow["jobs"]
        for command in runs(workflow, job)
        for match in re.findall(r"\bmake ([a-z-]+)", command)
    }
    assert named, f"{path.name} runs no make target"
    assert named <= make_targets(), f"{path.name} runs make targets the Makefile lacks: {named - make_targets()}"


def test_ci_runs_the_gates_and_the_lambda_code_on_its_runtime() -> None:
    workflow = load("ci.yml")
    assert "make test" in runs(workflow, "test")
    [setup] = [step for step in steps(workflow, "lambda") if "setup-python" in step.get("uses", "")]
    # The functions' runtime (stacks/components/python_function.py) is the Python the job uses.
    runtime = re.search(r"PYTHON_3_(\d+)", (ROOT / "stacks" / "components" / "python_function.py").read_text())
    assert runtime is not None
    assert setup["with"]["python-version"] == f"3.{runtime.group(1)}"
    assert runs(workflow, "lambda") == [f"make test-lambda PYTHON=python3.{runtime.group(1)}"]


def test_sandbox_stays_off_until_the_role_variable_is_set() -> None:
    workflow = load("sandbox.yml")
    assert set(workflow["on"]) == {"workflow_dispatch", "schedule"}
    assert set(workflow["on"]["workflow_dispatch"]["inputs"]) == {"lab", "stage"}
    condition = workflow["jobs"]["plan"]["if"]
    assert "vars.CLOUDOPS_SANDBOX_ROLE_ARN != ''" in condition
    assert "vars.CLOUDOPS_SANDBOX_SCHEDULE == 'on'" in condition  # the schedule is a second opt-in
    assert workflow["jobs"]["loop"]["needs"] == "plan"


def test_sandbox_runs_the_loop_in_order_and_always_destroys() -> None:
    workflow = load("sandbox.yml")
    loop = workflow["jobs"]["loop"]
    commands = [re.search(r"make ([a-z]+)", command) for command in runs(workflow, "loop")]
    assert [match.group(1) for match in commands if match] == ["preflight", "deploy", "verify", "drift", "destroy"]
    by_name = {step.get("name"): step for step in loop["steps"]}
    assert by_name["destroy"]["if"] == "always()"  # a failed deploy or verify still destroys
    assert by_name["summary"]["if"] == "always()"
    assert "GITHUB_STEP_SUMMARY" in by_name["summary"]["run"]
    assert "YES=1" in by_name["deploy"]["run"]
    # The matrix is one job per lab, one run per lab and stage at a time.
    assert loop["strategy"]["matrix"]["lab"] == "${{ fromJSON(needs.plan.outputs.labs) }}"
    assert "${{ matrix.lab }}" in loop["concurrency"]["group"]
    assert "inputs.stage" in loop["concurrency"]["group"]
    assert loop["concurrency"]["cancel-in-progress"] is False
    [credentials] = [step for step in loop["steps"] if "configure-aws-credentials" in step.get("uses", "")]
    assert credentials["with"]["role-to-assume"] == "${{ vars.CLOUDOPS_SANDBOX_ROLE_ARN }}"


def test_workflow_inputs_reach_commands_through_the_environment_only() -> None:
    # An input pasted into `run:` is a script injection; through env it is a plain string.
    for path in WORKFLOWS:
        workflow = load(path.name)
        for job in workflow["jobs"]:
            for command in runs(workflow, job):
                assert "${{" not in command, f"{path.name}: {job} expands an expression inside run: {command!r}"


def matrix(*args: str) -> subprocess.CompletedProcess[str]:
    # -S: no site-packages, as on the runner's bare Python (the plan job sets nothing up).
    command = [sys.executable, "-S", "-m", "scripts.sandbox.matrix", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_the_matrix_lists_every_lab_without_any_package() -> None:
    out = matrix("all")
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"labs={json.dumps([lab.name for lab in LABS])}\n"
    assert matrix("fanout").stdout == 'labs=["fanout"]\n'
    bad = matrix("nope")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1
    assert "must be one of" in bad.stderr


def test_the_dev_container_matches_the_project() -> None:
    container = json.loads((ROOT / ".devcontainer" / "devcontainer.json").read_text())
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    image_python = re.search(r"/python:(3\.\d+)", container["image"])
    assert image_python is not None
    assert requires == ">=3.11"
    assert tuple(int(part) for part in image_python.group(1).split(".")) >= (3, 11)
    targets = re.findall(r"\bmake ([a-z-]+)", container["postCreateCommand"])
    assert targets == ["setup"]
    assert set(targets) <= make_targets()
    assert any(feature.startswith("ghcr.io/devcontainers/features/aws-cli:") for feature in container["features"])
