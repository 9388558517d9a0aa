"""The monthly cost the prod preflight shows: the lab's cost model for one stage of cdk.json."""

from __future__ import annotations

import pytest

from scripts.sandbox.lab_cost import monthly_lines
from stacks.config import ConfigError
from stacks.cost_model import total
from stacks.labs import LABS, Lab, lab_named


@pytest.mark.parametrize("lab", LABS, ids=lambda lab: lab.name)
def test_prod_costs_at_least_as_much_as_the_sandbox(lab: Lab) -> None:
    sandbox, prod = total(monthly_lines(lab, "sandbox")), total(monthly_lines(lab, "prod"))
    assert sandbox > 0
    assert prod >= sandbox


def test_the_lines_are_the_cost_command_s(capsys: pytest.CaptureFixture[str]) -> None:
    from scripts import cost

    assert cost.main(["--lab", "three-tier", "--stage", "prod"]) == 0
    printed = capsys.readouterr().out
    lines = monthly_lines(lab_named("three-tier"), "prod")
    assert f"= {total(lines):7.2f} USD" in printed
    assert all(line.item in printed for line in lines)


def test_an_unknown_stage_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        monthly_lines(lab_named("queue-worker"), "staging")
