"""The security-baseline cost model follows the configuration: detector, opt-in flags."""

from __future__ import annotations

from stacks.config import load_stage_config
from stacks.security_baseline import cost
from stacks.security_baseline.config import SecurityBaselineConfig
from tests.harness import all_options_context, stage_context


def items(config: SecurityBaselineConfig) -> list[str]:
    return [line.item for line in cost.monthly_lines(config)]


def test_shipped_stages_pay_for_guardduty_but_not_for_the_opt_in_services() -> None:
    config = load_stage_config(stage_context("sandbox")).section(SecurityBaselineConfig)
    assert "GuardDuty (events + flow/DNS logs)" in items(config)
    assert not [item for item in items(config) if "Security Hub" in item or "Config" in item]


def test_opting_in_adds_their_lines_and_an_existing_detector_is_not_billed_here() -> None:
    config = load_stage_config(all_options_context("sandbox")).section(SecurityBaselineConfig)
    assert config.guardduty_detector == "existing"
    assert "GuardDuty (events + flow/DNS logs)" not in items(config)
    assert {"security_hub: Security Hub checks", "aws_config: Config items recorded"} <= set(items(config))


def test_the_opt_in_table_prices_both_flags() -> None:
    config = load_stage_config(stage_context("prod")).section(SecurityBaselineConfig)
    title, lines = cost.usage_lines(config, 200)
    assert title.startswith("Opt-in flags")
    assert [round(line.usd, 2) for line in lines] == [3.00, 0.90]
