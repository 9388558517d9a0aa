"""mypy follows exactly the CDK modules our code imports (pyproject.toml): a new one must be added there.

aws-cdk-lib imports its ~680 modules for type checkers; pyproject.toml skips them all but the
ones listed. A module that our code imports and the list lacks would be Any to mypy, silently.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

from stacks.config import REPO_ROOT


def mypy_overrides() -> list[dict[str, Any]]:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    overrides: list[dict[str, Any]] = config["tool"]["mypy"]["overrides"]
    return overrides


def followed_cdk_modules() -> set[str]:
    return {
        module
        for override in mypy_overrides()
        if override.get("follow_imports") == "normal"
        for module in override["module"]
        if module.split(".")[0] == "aws_cdk"
    }


def imported_cdk_modules() -> set[str]:
    """Every aws_cdk module named by an import in the files mypy checks."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    found: set[str] = set()
    for entry in config["tool"]["mypy"]["files"]:
        root = REPO_ROOT / entry
        for path in [root] if root.is_file() else root.rglob("*.py"):
            for node in ast.walk(ast.parse(Path(path).read_text())):
                if isinstance(node, ast.Import):
                    found |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
                    if node.module == "aws_cdk":  # from aws_cdk import aws_sqs as sqs
                        found |= {f"aws_cdk.{alias.name}" for alias in node.names if alias.name.islower()}
    return {module for module in found if module.split(".")[0] == "aws_cdk"}


def test_the_rest_of_aws_cdk_is_skipped() -> None:
    assert {"module": ["aws_cdk.*"], "follow_imports": "skip"} in mypy_overrides()


def test_mypy_follows_every_cdk_module_our_code_imports_and_no_other() -> None:
    assert sorted(imported_cdk_modules() - followed_cdk_modules()) == [], "add them to pyproject.toml's list"
    assert sorted(followed_cdk_modules() - imported_cdk_modules()) == [], "no code imports these any more"
