"""The orders API benchmark's arithmetic and arguments (not its timing)."""

from __future__ import annotations

import pytest

from scripts.serverless_api import bench


def test_p99_is_the_nearest_rank() -> None:
    samples = [float(value) for value in range(1, 201)]  # 1..200
    assert bench.percentile(samples, 0.99) == 198.0
    assert bench.percentile(samples, 0.5) == 100.0
    assert bench.percentile([5.0], 0.99) == 5.0
    assert bench.percentile([3.0, 1.0, 2.0], 1.0) == 3.0


@pytest.mark.parametrize(("args", "message"), [(["--rounds", "0"], "--rounds"), (["--imports", "99"], "--imports")])
def test_out_of_range_arguments_are_refused(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        bench.main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_measured_import_is_a_positive_number_of_seconds() -> None:
    # One fresh process with Lambda's environment: the import works there (Tracer on)
    [seconds] = bench.import_times(1)
    assert 0 < seconds < 60


def test_the_libraries_alone_import_in_lambdas_environment_too() -> None:
    # The floor the bench reports next to the handler: the same libraries, set up as api.py sets them up
    handler, libraries = bench.interleaved_import_times(1)
    assert len(handler) == len(libraries) == 1
    assert 0 < libraries[0] < 60
