"""The three-tier cost model (stacks/three_tier/cost.py): its arithmetic must add up."""

from __future__ import annotations

import re

import pytest

from scripts.cost import report
from stacks.config import load_stage_config
from stacks.cost_model import HOURS_PER_MONTH
from stacks.labs import lab_named
from stacks.three_tier.config import ThreeTierConfig
from stacks.three_tier.cost import monthly_lines
from tests.harness import stage_context


@pytest.mark.parametrize("stage", ["sandbox", "prod"])
def test_total_is_the_sum_of_the_printed_lines(stage: str) -> None:
    config = load_stage_config(stage_context(stage))

    text = report(lab_named("three-tier"), stage, duration_ms=200)

    amounts = [float(m) for m in re.findall(r"=\s+([\d.]+) USD", text)]
    *items, total = amounts
    # Each printed line is rounded to the cent, so the printed lines may be off by half a cent each.
    assert total == pytest.approx(sum(items), abs=0.005 * len(items))
    assert total == pytest.approx(sum(line.usd for line in monthly_lines(config.section(ThreeTierConfig))), abs=0.005)


def test_sandbox_shape_uses_one_nat_instance_and_prod_two_gateways() -> None:
    sandbox = {
        line.item: line for line in monthly_lines(load_stage_config(stage_context("sandbox")).section(ThreeTierConfig))
    }
    prod = {
        line.item: line for line in monthly_lines(load_stage_config(stage_context("prod")).section(ThreeTierConfig))
    }

    assert "NAT instance t4g.nano" in sandbox
    assert "NAT gateway" not in sandbox
    assert prod["NAT gateway"].usd == pytest.approx(2 * 0.045 * HOURS_PER_MONTH)
    assert "Multi-AZ" in next(item for item in prod if item.startswith("RDS MySQL"))
