"""The cost of one sandbox workflow run, from the labs' own cost models."""

from __future__ import annotations

import pytest

from scripts.sandbox import run_cost
from scripts.sandbox.lab_cost import monthly_lines
from stacks.cost_model import total
from stacks.labs import LABS, lab_named


def test_an_hour_is_a_730th_of_the_month() -> None:
    costs = dict(run_cost.run_cost("sandbox", 1.0))
    three_tier = total(monthly_lines(lab_named("three-tier"), "sandbox"))
    assert costs["three-tier"] == pytest.approx(three_tier / 730)
    assert dict(run_cost.run_cost("sandbox", 2.0))["three-tier"] == pytest.approx(2 * three_tier / 730)


def test_prints_each_lab_and_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cost.main(["--hours", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(LABS) + 1  # one per lab, then the total
    assert lines[-1].split()[:2] == ["every", "lab"]
    assert lines[-1].endswith("USD for 1 h of stage sandbox")


def test_hours_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_cost.main(["--hours", "0"])
    assert capsys.readouterr().err.count("\n") == 1
