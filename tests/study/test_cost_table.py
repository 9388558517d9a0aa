"""make cost: one table of every lab and stage, from the labs' cost models, with the prices' date."""

from __future__ import annotations

import pytest
from rich.console import Console

from scripts.study import cost_table
from stacks.config import cdk_json_context, load_stage_config, stage_names
from stacks.cost_model import PRICES_REVIEWED
from stacks.labs import LABS
from tests.study.conftest import printed


def test_every_lab_and_stage_is_the_total_of_its_cost_model() -> None:
    result = cost_table.cost_table()
    assert result.stages == stage_names()
    assert [lab for lab, _ in result.rows] == list(LABS)
    for lab, costs in result.rows:
        for stage, cost in zip(result.stages, costs, strict=True):
            section = load_stage_config({**cdk_json_context(), "stage": stage}).sections[lab.package]
            assert cost == pytest.approx(sum(line.usd for line in lab.cost_lines(section)))
    assert result.totals() == pytest.approx(
        [sum(costs[i] for _, costs in result.rows) for i in range(len(result.stages))]
    )


def test_the_table_shows_the_prices_date_and_every_lab(console: Console) -> None:
    result = cost_table.cost_table()
    cost_table.render(console, result)
    text = printed(console)
    assert f"as of {PRICES_REVIEWED}" in text
    for lab, costs in result.rows:
        row = next(line for line in text.splitlines() if f" {lab.name} " in line)
        assert all(f"{cost:.2f}" in row for cost in costs)


def test_main_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cost_table.main([]) == 0
    assert "every lab" in capsys.readouterr().out
