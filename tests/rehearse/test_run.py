"""The rehearsal's steps: which labs, the table, and what a failure shows."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from scripts.rehearse import run
from scripts.rehearse.emulator import Emulator
from scripts.stack_outputs import ScriptError
from stacks.labs import LABS
from tests.rehearse.test_emulator import fake_venv


def test_every_rehearsable_lab_by_default() -> None:
    assert [lab.name for lab in run.pick_labs([])] == [lab.name for lab in LABS if not lab.rehearsal_gap]
    assert {"fanout", "ops-automation", "queue-worker"} <= {lab.name for lab in run.pick_labs([])}


def test_a_lab_with_a_gap_is_refused_with_its_reason() -> None:
    with pytest.raises(
        ScriptError, match=r"security-baseline cannot be rehearsed: the emulator has no provisioner for"
    ):
        run.pick_labs(["security-baseline"])


def test_the_table_has_a_row_per_step() -> None:
    table = run.render([run.Step("bootstrap", True, 12.34), run.Step("fanout deploy", False, 1.0, "exit 2")])
    assert table.splitlines() == [
        "  step           result  time",
        "  bootstrap      PASS     12.3 s",
        "  fanout deploy  FAIL      1.0 s  exit 2",
    ]


def test_a_failed_step_shows_its_output_and_the_emulator_log(tmp_path: Path) -> None:
    out = io.StringIO()
    with Emulator(venv=fake_venv(tmp_path)) as emulator:
        rehearsal = run.Rehearsal(emulator, out)
        assert rehearsal.command("ok", [sys.executable, "-c", "print('fine')"])
        assert not rehearsal.command("broken", [sys.executable, "-c", "print('what went wrong'); raise SystemExit(4)"])
    assert [(step.name, step.passed, step.detail) for step in rehearsal.steps] == [
        ("ok", True, ""),
        ("broken", False, "exit 4"),
    ]
    text = out.getvalue()
    assert "   | what went wrong" in text
    assert "emulator log (last lines):" in text


def test_a_step_that_fails_because_the_emulator_died_says_so_in_one_line(tmp_path: Path) -> None:
    out = io.StringIO()
    with Emulator(venv=fake_venv(tmp_path)) as emulator:
        rehearsal = run.Rehearsal(emulator, out)
        emulator.stop()  # the emulator goes away under the step
        assert not rehearsal.command("fanout deploy", [sys.executable, "-c", "raise SystemExit(1)"])
    [step] = rehearsal.steps
    assert step.detail == "the emulator stopped answering (an emulator failure, not the lab's)"
