"""The README says what the repository does: its commands and figures come from the code."""

from __future__ import annotations

import re
from typing import Any

import pytest

from scripts import config_reference, cost_billing_alarm, cost_queue_worker, cost_three_tier
from stacks.config import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()


def test_quick_start_is_the_two_commands_near_the_top() -> None:
    top = README[: README.index("## What a lab is")]
    assert re.search(r"^make synth\b", top, re.MULTILINE)
    assert re.search(r"^make test\b", top, re.MULTILINE)


@pytest.mark.parametrize("module", [cost_billing_alarm, cost_three_tier], ids=lambda m: m.__name__)
def test_cost_tables_in_the_readme_are_the_scripts_output(module: Any, capsys: pytest.CaptureFixture[str]) -> None:
    module.main([])
    rows = [line for line in capsys.readouterr().out.splitlines() if line.endswith(" USD") or "list prices" in line]
    assert rows, "the script printed no cost table"
    for row in rows:
        assert row in README, f"README's cost figures differ from {module.__name__}: {row!r}"


def test_queue_worker_costs_quoted_in_the_readme_are_the_scripts_totals() -> None:
    idle = sum(line.usd for line in cost_queue_worker.idle_month())
    per_million = sum(line.usd for line in cost_queue_worker.per_million_messages(10, 200, 256))
    assert f"about {idle:.2f} |" in README
    assert f"about {per_million:.2f} |" in README


def test_configuration_tables_are_the_generated_ones() -> None:
    assert config_reference.reference() in README, "run python -m scripts.config_reference and paste its output"
