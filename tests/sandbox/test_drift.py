"""make drift: `cdk drift --fail` on the lab's stack, its verdict remembered for verify."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scripts.sandbox import drift
from stacks.labs import lab_named

QUEUE_WORKER = lab_named("queue-worker")
NOON = datetime(2026, 12, 1, 12, 0, 0, 123, tzinfo=UTC)


class Recorder:
    def __init__(self, code: int) -> None:
        self.code = code
        self.commands: list[list[str]] = []

    def __call__(self, command: Sequence[str]) -> int:
        self.commands.append(list(command))
        return self.code


def test_runs_cdk_drift_on_the_lab_stack_with_fail() -> None:
    assert drift.drift_command(QUEUE_WORKER, "prod") == [
        "npx",
        "cdk",
        "drift",
        "QueueWorker",
        "-c",
        "stage=prod",
        "--fail",
    ]


@pytest.mark.parametrize(("code", "verdict"), [(0, "no drift"), (1, "drift or an error")])
def test_the_cli_exit_code_is_the_verdict_and_is_remembered(
    code: int, verdict: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = Recorder(code)
    assert drift.drift(QUEUE_WORKER, "sandbox", runner=runner, clock=lambda: NOON, state_dir=tmp_path) == code
    assert runner.commands == [drift.drift_command(QUEUE_WORKER, "sandbox")]
    assert capsys.readouterr().out.startswith(f"QueueWorker: {verdict}")
    line = drift.last_run_line(QUEUE_WORKER, "sandbox", tmp_path)
    assert line.startswith(f"drift: last checked 2026-12-01T12:00:00+00:00 ({verdict}")
    # Another stage of the same lab has its own record.
    assert drift.last_run_line(QUEUE_WORKER, "prod", tmp_path).startswith("drift: never checked")


def test_a_damaged_record_reads_as_never_checked(tmp_path: Path) -> None:
    tmp_path.mkdir(parents=True, exist_ok=True)
    drift.state_file(QUEUE_WORKER, "sandbox", tmp_path).write_text("{not json")
    assert drift.last_run_line(QUEUE_WORKER, "sandbox", tmp_path) == (
        "drift: never checked from this clone (make drift LAB=queue-worker STAGE=sandbox)"
    )


def test_the_tests_never_write_into_the_clone() -> None:
    assert drift.default_state_dir().parent != drift.DEFAULT_STATE


def test_an_unknown_lab_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        drift.main(["--lab", "queue-wroker"], runner=Recorder(0))
    assert exited.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "queue-wroker" in line
