"""The harness keeps every test of a synthesized app on one pytest-xdist worker."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests import conftest

CONFTEST = Path(conftest.__file__)


def _fixtures_that_synthesize() -> set[str]:
    tree = ast.parse(CONFTEST.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        is_fixture = any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)
        calls = {ast.unparse(call.func) for call in ast.walk(node) if isinstance(call, ast.Call)}
        if is_fixture and "synthesized_stage" in calls:
            names.add(node.name)
    return names


def test_every_fixture_that_synthesizes_is_grouped() -> None:
    # A fixture missing here would let a second worker synthesize the apps again (seconds each).
    assert _fixtures_that_synthesize() == conftest.SYNTH_FIXTURES


def test_a_test_of_a_synthesized_app_is_in_the_group(request: pytest.FixtureRequest, sandbox: object) -> None:
    del sandbox
    groups = [mark.args[0] for mark in request.node.iter_markers("xdist_group")]
    assert groups == [conftest.SYNTH_GROUP]
    if getattr(request.config.option, "loadgroup", False):  # set in xdist's workers under --dist loadgroup
        # As `make test` runs: xdist took the group (it appends it to the node id), so the
        # group was there before xdist looked for it.
        assert request.node.nodeid.endswith(f"@{conftest.SYNTH_GROUP}")


def test_an_offline_test_is_not(request: pytest.FixtureRequest) -> None:
    assert not list(request.node.iter_markers("xdist_group"))
