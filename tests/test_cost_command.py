"""python -m scripts.cost: every lab and stage from the registry, one-line errors."""

from __future__ import annotations

import pytest

from scripts import cost
from stacks.config import stage_names
from stacks.labs import LABS


def test_default_prints_every_lab_in_every_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cost.main([]) == 0
    out = capsys.readouterr().out
    for lab in LABS:
        for stage in stage_names():
            assert f"Stage {stage} ({lab.name}), us-east-1 on-demand list prices as of" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lab", "three_tier"], "error: unknown lab 'three_tier': must be one of three-tier, queue-worker"),
        (["--stage", "staging"], "error: unknown stage 'staging': must be one of sandbox, prod"),
        (["--duration-ms", "0"], "error: --duration-ms must be between 1 and 900000"),
    ],
)
def test_bad_arguments_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cost.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1
