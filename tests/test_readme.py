"""The README says what the repository does: its commands and figures come from the code."""

from __future__ import annotations

import re

import pytest

from scripts import config_reference, cost_billing_alarm, cost_queue_worker
from stacks.config import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()


def test_quick_start_is_the_two_commands_near_the_top() -> None:
    top = README[: README.index("## What a lab is")]
    assert re.search(r"^make synth\b", top, re.MULTILINE)
    assert re.search(r"^make test\b", top, re.MULTILINE)


def test_billing_cost_block_is_the_scripts_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert cost_billing_alarm.main([]) == 0
    printed = capsys.readouterr().out.splitlines()
    table = [line for line in printed if line.startswith("billing-alarm") or " USD = " in line or "=  " in line]
    assert table, "the script printed no table"
    for line in table:
        assert line in README, f"README's billing cost differs from the script: {line!r}"


def test_queue_worker_costs_quoted_in_the_readme_are_the_scripts_totals() -> None:
    idle = sum(line.usd for line in cost_queue_worker.idle_month())
    per_million = sum(line.usd for line in cost_queue_worker.per_million_messages(10, 200, 256))
    assert f"about {idle:.2f} |" in README
    assert f"about {per_million:.2f} |" in README


def test_configuration_tables_are_the_generated_ones() -> None:
    assert config_reference.reference() in README, "run python -m scripts.config_reference and paste its output"
