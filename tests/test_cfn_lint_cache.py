"""The cfn-lint cache may skip work, never findings."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests import cfn_lint_cache

CLEAN = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}
BROKEN = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"NoSuchProperty": 1}}}}


def write(tmp_path: Path, name: str, template: Mapping[str, object]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(template))
    return path


def test_a_clean_template_is_linted_once_then_served_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = write(tmp_path, "Clean.template.json", CLEAN)
    cache = tmp_path / "cache"
    assert cfn_lint_cache.problems(template, ["W3005"], cache_dir=cache) == []

    def must_not_lint(*_args: object) -> list[object]:
        raise AssertionError("an unchanged clean template was linted again")

    monkeypatch.setattr(cfn_lint_cache, "lint_file", must_not_lint)
    assert cfn_lint_cache.problems(template, ["W3005"], cache_dir=cache) == []


def test_findings_are_never_cached(tmp_path: Path) -> None:
    template = write(tmp_path, "Broken.template.json", BROKEN)
    cache = tmp_path / "cache"
    first = cfn_lint_cache.problems(template, [], cache_dir=cache)
    assert any("E3002" in problem for problem in first), first
    assert cfn_lint_cache.problems(template, [], cache_dir=cache) == first


def test_the_key_changes_with_the_template_and_the_ignored_rules(tmp_path: Path) -> None:
    clean = write(tmp_path, "A.template.json", CLEAN)
    broken = write(tmp_path, "B.template.json", BROKEN)
    assert cfn_lint_cache.cache_key(clean, []) != cfn_lint_cache.cache_key(broken, [])
    assert cfn_lint_cache.cache_key(clean, []) != cfn_lint_cache.cache_key(clean, ["W3005"])
