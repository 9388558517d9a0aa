"""make cost: one table of every lab and stage, from the labs' cost models, with the prices' date."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.console import Console

from scripts.study import cost_table
from stacks.config import cdk_json_context, load_stage_config, stage_names
from stacks.cost_model import PRICES_REVIEWED
from stacks.labs import LABS, Lab
from tests.harness import SynthesizedStage
from tests.study.conftest import printed


def test_every_lab_and_stage_is_the_total_of_its_cost_model() -> None:
    result = cost_table.cost_table()
    assert result.stages == stage_names()
    assert [lab for lab, _ in result.rows] == list(LABS)
    for lab, costs in result.rows:
        for stage, cost in zip(result.stages, costs, strict=True):
            section = load_stage_config({**cdk_json_context(), "stage": stage}).sections[lab.package]
            assert cost == Decimal(f"{sum(line.usd for line in lab.cost_lines(section)):.2f}")


def test_the_table_shows_the_prices_date_and_every_lab(console: Console) -> None:
    result = cost_table.cost_table()
    cost_table.render(console, result)
    text = printed(console)
    assert f"as of {PRICES_REVIEWED}" in text
    for lab, costs in result.rows:
        row = next(line for line in text.splitlines() if f" {lab.name} " in line)
        assert all(f"{cost:.2f}" in row for cost in costs)


def test_each_column_sums_to_the_total_it_prints(console: Console) -> None:
    # 194.285 (three-tier prod) prints as 194.28; the total of the unrounded figures printed 300.85
    cost_table.render(console, cost_table.cost_table())
    rows = [line.split("│")[1:-1] for line in printed(console).splitlines() if line.startswith("│")]
    *labs, (_, _, *totals) = [[cell.strip() for cell in row] for row in rows]
    for column, printed_total in enumerate(totals):
        assert sum(Decimal(row[2 + column]) for row in labs) == Decimal(printed_total)


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_what_the_cost_text_leaves_out_is_in_the_template(lab: Lab, each_stage: SynthesizedStage) -> None:
    """The not-counted sentence names usage of resources the lab has (three-tier's rotation Lambda is gone)."""
    types = {
        resource["Type"]
        for stack_id in lab.stack_ids
        for resource in each_stage.template_json(stack_id)["Resources"].values()
    }
    not_counted = lab.module("cost").NOT_COUNTED.lower()
    if "rotation" in not_counted:
        assert "AWS::SecretsManager::RotationSchedule" in types, f"{lab.name}: no secret rotation in the template"


def test_main_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cost_table.main([]) == 0
    assert "every lab" in capsys.readouterr().out
