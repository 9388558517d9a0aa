"""The README says what the repository does: its commands, tables and figures come from the code."""

from __future__ import annotations

import re

import pytest

from scripts import config_reference, cost, labs_table
from stacks.config import REPO_ROOT, stage_names
from stacks.labs import LABS, Lab
from stacks.queue_worker import cost as queue_worker_cost

README = (REPO_ROOT / "README.md").read_text()


def test_quick_start_is_the_two_commands_near_the_top() -> None:
    top = README[: README.index("## What a lab is")]
    assert re.search(r"^make synth\b", top, re.MULTILINE)
    assert re.search(r"^make test\b", top, re.MULTILINE)


def test_labs_table_is_the_generated_one() -> None:
    assert labs_table.table() in README, "run python -m scripts.labs_table and paste its output"


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_lab_has_its_readme_section(lab: Lab) -> None:
    # GitHub's anchor for "## Lab: three-tier" is "lab-three-tier".
    assert f"\n## Lab: {lab.name}\n" in README


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
@pytest.mark.parametrize("stage", stage_names())
def test_cost_tables_in_the_readme_are_the_scripts_output(lab: Lab, stage: str) -> None:
    rows = [
        line
        for line in cost.report(lab, stage, duration_ms=200).splitlines()
        if line.endswith(" USD") or "list prices" in line
    ]
    assert rows, "the cost model printed no cost table"
    missing = [row for row in rows if row not in README]
    assert missing == [], f"README's cost figures differ from python -m scripts.cost --lab {lab.name} --stage {stage}"


def test_queue_worker_costs_quoted_in_the_readme_are_the_scripts_totals() -> None:
    idle = sum(line.usd for line in queue_worker_cost.idle_month())
    per_million = sum(line.usd for line in queue_worker_cost.per_million_messages(10, 200, 256))
    assert f"about {idle:.2f} |" in README
    assert f"about {per_million:.2f} |" in README


def test_configuration_tables_are_the_generated_ones() -> None:
    assert config_reference.reference() in README, "run python -m scripts.config_reference and paste its output"
