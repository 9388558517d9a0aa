"""The README and the docs say what the repository does: their tables and figures come from the code.

The generated blocks (between `<!-- BEGIN GENERATED: name -->` markers) are compared with
what `python -m scripts.readme_tables` writes; the hand-written text around them is not.
"""

from __future__ import annotations

import re

import pytest

from scripts import config_reference, cost, generated_blocks, labs_table, readme_tables
from stacks.config import REPO_ROOT, stage_names
from stacks.labs import LABS, Lab, lab_named
from stacks.queue_worker import cost as queue_worker_cost

README = (REPO_ROOT / "README.md").read_text()
CONFIGURATION = (REPO_ROOT / "docs" / "configuration.md").read_text()


def guide(lab: Lab) -> str:
    return (REPO_ROOT / lab.guide_page).read_text()


def test_quick_start_is_the_two_commands_near_the_top() -> None:
    top = README[: README.index("## What a lab is")]
    assert re.search(r"^make synth\b", top, re.MULTILINE)
    assert re.search(r"^make test\b", top, re.MULTILINE)


def test_readme_fits_on_a_few_screens() -> None:
    # The front door: reference material lives in docs/ (issue 22 asked for about 350 lines at most).
    assert README.count("\n") <= 350


def test_labs_table_is_the_generated_one() -> None:
    assert generated_blocks.read(README, "labs-table") == labs_table.table(), "run python -m scripts.readme_tables"


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_every_lab_has_its_guide_with_the_sections_a_learner_needs(lab: Lab) -> None:
    headings = re.findall(r"^## (.+)$", guide(lab), re.MULTILINE)
    for needed in ("What it builds", "Guide sections it reproduces", "Destroy", "What it does not do", "Cost"):
        assert needed in headings, f"{lab.guide_page} has no '## {needed}'"
    assert any(heading.startswith("Deploy") for heading in headings)


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
@pytest.mark.parametrize("stage", stage_names())
def test_cost_block_of_each_guide_is_the_scripts_output(lab: Lab, stage: str) -> None:
    block = generated_blocks.read(guide(lab), "cost", where=lab.guide_page)
    printed = cost.report(lab, stage, duration_ms=readme_tables.COST_DURATION_MS)
    assert printed in block, f"{lab.guide_page}: cost differs from python -m scripts.cost --lab {lab.name}"


def test_queue_worker_costs_quoted_in_its_guide_are_the_scripts_totals() -> None:
    text = guide(lab_named("queue-worker"))
    idle = sum(line.usd for line in queue_worker_cost.idle_month())
    per_million = sum(line.usd for line in queue_worker_cost.per_million_messages(10, 200, 256))
    assert f"about {idle:.2f} |" in text
    assert f"about {per_million:.2f} |" in text


def test_configuration_reference_is_the_generated_one() -> None:
    assert generated_blocks.read(CONFIGURATION, "config-reference") == config_reference.reference(), (
        "run python -m scripts.readme_tables"
    )


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_each_guide_holds_its_own_configuration_table(lab: Lab) -> None:
    assert generated_blocks.read(guide(lab), "config") == config_reference.lab_reference(lab)


def test_readme_tables_rewrites_nothing_when_the_docs_are_current() -> None:
    assert readme_tables.main(["--check"]) == 0, "run python -m scripts.readme_tables"
