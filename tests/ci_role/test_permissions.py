"""The CI role grants what the sandbox loop's scripts call, and nothing they do not call.

moto does not enforce IAM, so a missing grant would show only in the user's first CI
run, as AccessDenied. This reads the loop's code instead: every boto3 call of
scripts/sandbox/ and of each lab's verify (and the scripts/ modules they import) is
mapped to the IAM action that authorizes it (Service Authorization Reference).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import boto3
from botocore import xform_name

from stacks.ci_role import permissions

ROOT = Path(__file__).resolve().parents[2]
# Calls the CDK CLI makes through the bootstrap roles are not the CI role's own.
ENTRY_MODULES = [
    "scripts.sandbox.preflight",
    "scripts.sandbox.deploy",
    "scripts.sandbox.verify",
    "scripts.sandbox.leftovers",
    "scripts.sandbox.drift",
    *sorted(f"scripts.{path.parent.name}.verify" for path in (ROOT / "scripts").glob("*/verify.py")),
]
# Local tools (a moto table for the offline API, ...) that are never called in an account.
OFFLINE_ONLY = {"dynamodb:CreateTable"}


@cache
def client_names() -> frozenset[str]:
    return frozenset(boto3.session.Session().get_available_services())


@cache
def operations(client_name: str) -> dict[str, str]:
    model = boto3.session.Session()._session.get_service_model(client_name)
    return {xform_name(name): name for name in model.operation_names}


def module_file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def loop_files() -> list[Path]:
    """The entry modules and every scripts.* module they import, transitively."""
    seen: dict[str, Path] = {}
    todo = list(ENTRY_MODULES)
    while todo:
        module = todo.pop()
        path = module_file(module)
        if module in seen or path is None:
            continue
        seen[module] = path
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("scripts"):
                todo.append(node.module)
                todo += [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                todo += [alias.name for alias in node.names if alias.name.startswith("scripts")]
    return sorted(seen.values())


def calls_in(path: Path, fallback: frozenset[str] = frozenset()) -> set[str]:
    """IAM actions of the boto3 calls in one file.

    A file's services are the clients it names: `client("sqs")`, and the ("ec2", "volume")
    keys of a handler table that picks its client from an ARN (scripts/sandbox/resources.py).
    Each method called on anything, and each paginator named, that is an operation of one
    of them counts. A helper that names no client (it is handed one: scripts/sandbox/log_events.py)
    is read against `fallback`, every client the loop names.
    """
    tree = ast.parse(path.read_text())
    strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    named = {
        str(node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "client"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    named |= {
        str(key.elts[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Dict)
        for key in node.keys
        if isinstance(key, ast.Tuple) and len(key.elts) == 2 and isinstance(key.elts[0], ast.Constant)
    }
    services = {"elbv2" if name == "elasticloadbalancing" else name for name in named} & client_names()
    called = {
        node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    called |= strings  # get_paginator("describe_stacks") names the operation as a string
    return {
        action
        for service in services or fallback
        for name in called
        if name in operations(service)
        for action in permissions.iam_actions(service, operations(service)[name])
    }


def named_clients(path: Path) -> set[str]:
    return {
        str(node.args[0].value)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "client"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    } & client_names()


def loop_actions() -> set[str]:
    everywhere = frozenset(name for path in loop_files() for name in named_clients(path))
    found = {action for path in loop_files() for action in calls_in(path, everywhere)}
    return found - OFFLINE_ONLY - permissions.NEED_NO_PERMISSION


def test_the_scan_reads_the_loop() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in loop_files()}
    assert {"scripts/sandbox/leftovers.py", "scripts/sandbox/resources.py", "scripts/queue_worker/verify.py"} <= names
    assert {"sqs:SendMessage", "cloudformation:DescribeStacks", "tag:GetResources"} <= loop_actions()


def test_every_call_of_the_loop_is_granted() -> None:
    missing = sorted(loop_actions() - permissions.granted_actions())
    assert missing == [], f"add to stacks/ci_role/permissions.py (the CI run would get AccessDenied): {missing}"


def test_nothing_is_granted_that_the_loop_does_not_call() -> None:
    unused = sorted(permissions.granted_actions() - loop_actions())
    assert unused == [], f"no script of the loop calls these: remove them from stacks/ci_role/permissions.py: {unused}"
