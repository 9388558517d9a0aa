"""The ops-automation cost model follows the configuration."""

from __future__ import annotations

from stacks.config import load_stage_config
from stacks.cost_model import CLOUDWATCH_STANDARD_ALARM_MONTH, total
from stacks.ops_automation import cost
from stacks.ops_automation.config import OpsAutomationConfig
from tests.harness import stage_context


def section(stage: str) -> OpsAutomationConfig:
    return load_stage_config(stage_context(stage)).section(OpsAutomationConfig)


def test_one_alarm_and_one_schedule_a_day_per_chore() -> None:
    sandbox, prod = cost.monthly_lines(section("sandbox")), cost.monthly_lines(section("prod"))
    assert sandbox[0].usd == 2 * CLOUDWATCH_STANDARD_ALARM_MONTH  # snapshot, cleanup
    assert prod[0].usd == 3 * CLOUDWATCH_STANDARD_ALARM_MONTH  # and the stop chore
    assert "62 a month" in sandbox[2].item
    assert "93 a month" in prod[2].item


def test_the_key_is_most_of_the_bill() -> None:
    lines = cost.monthly_lines(section("sandbox"))
    assert total(lines) == sum(line.usd for line in lines)
    assert 1.0 <= total(lines) < 1.5
