"""The soak's arithmetic: every run counted and timed, exit 0 only when all passed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from scripts.rehearse import soak


def ticking(step: float) -> Iterator[float]:
    now = 0.0
    while True:
        yield now
        now += step


def test_all_passed_is_exit_zero_with_the_median() -> None:
    clock = ticking(60.0)
    code, lines = soak.soak(3, runner=lambda log: 0, clock=lambda: next(clock))
    assert code == 0
    assert lines == [
        "run 1: PASS 60 s",
        "run 2: PASS 60 s",
        "run 3: PASS 60 s",
        "3 of 3 runs passed; median 60 s per run",
    ]


def test_one_failure_fails_the_soak_and_names_its_log() -> None:
    codes = iter([0, 2])

    def runner(log: Path) -> int:
        log.write_text("what went wrong")
        return next(codes)

    code, lines = soak.soak(2, runner=runner, clock=lambda: 0.0)
    assert code == 1
    assert lines[1].startswith("run 2: FAIL (exit 2, see ")
    assert lines[1].endswith("run-2.log) 0 s")
    assert lines[-1] == "1 of 2 runs passed; median 0 s per run"
