"""Benchmark of the two commands people wait for: the test suite and `make synth`.

    make bench                      # 5 warm runs of each, prints medians
    python -m scripts.bench --runs 9

Warm means the set-up is current (the first, cold run is discarded): what a
developer sees on the second and later runs. Machines here are shared and noisy and
differ by about 2x in speed, so this is a benchmark with medians, never a timed test,
and its headline is a ratio measured in one run: pytest / `make synth` (target: at
most 2.5 with the three core labs, at most 3 with all ten).

It then says where the suite's time goes (pytest's durations, summed by part, medians
of the timed runs) and what the target leaves for it (scripts/bench_budget.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from scripts.bench_budget import budget, report, seconds_by_part

REPO_ROOT = Path(__file__).resolve().parent.parent

PYTEST = "make unit (pytest, whole suite)"
SYNTH = "make synth (sandbox, validator on)"
TARGET_RATIO = 3
# `make unit` is the pytest run of `make test`, with its settings (workers, bytecode caches):
# the suite as a developer runs it, not a bare `pytest` with whatever the shell exports.
# Every test's durations (they cost nothing to record) so the run also says where its time goes.
DURATIONS = "--durations=0 --durations-min=0"
COMMANDS: dict[str, list[str]] = {
    PYTEST: ["make", "--no-print-directory", "unit"],
    SYNTH: ["make", "--no-print-directory", "synth"],
    "make synth STAGE=prod": ["make", "--no-print-directory", "synth", "STAGE=prod"],
}


# What each worker does before its first test, timed alone: collect the suite (one process,
# with the environment `make unit` gives pytest).
COLLECT = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "--snapshot-warn-unused"]


def timed_run(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds and standard output of one run; a failing run stops the benchmark."""
    started = time.perf_counter()
    finished = subprocess.run(
        command, cwd=REPO_ROOT, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    return time.perf_counter() - started, finished.stdout


def worker_count(setting: str) -> int:
    """Workers for `make unit`'s PYTEST_WORKERS: a number, 0 for one process, or auto (one per core)."""
    if setting == "auto":
        return os.cpu_count() or 1
    return max(int(setting), 1)


def median_parts(runs: list[dict[str, float]]) -> dict[str, float]:
    return {part: statistics.median(run.get(part, 0.0) for run in runs) for part in set().union(*runs)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command after one warm-up (default 5)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    if shutil.which("node") is None or not str(shutil.which("node")).startswith(str(REPO_ROOT)):
        os.environ["PATH"] = f"{REPO_ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"

    workers = os.environ.get("PYTEST_WORKERS", "auto")
    print(f"{os.cpu_count()} cores, pytest workers: {workers}; {args.runs} warm runs each (after 1 discarded warm-up)")
    env = {**os.environ, "PYTEST_ADDOPTS": f"{os.environ.get('PYTEST_ADDOPTS', '')} {DURATIONS}".strip()}
    medians: dict[str, float] = {}
    parts: list[dict[str, float]] = []
    for label, command in COMMANDS.items():
        timed_run(command, env)
        runs = [timed_run(command, env) for _ in range(args.runs)]
        samples = sorted(seconds for seconds, _ in runs)
        if label == PYTEST:
            parts = [seconds_by_part(output) for _, output in runs]
        medians[label] = statistics.median(samples)
        print(f"{label:38s} median {medians[label]:6.2f} s  (min {samples[0]:.2f}, max {samples[-1]:.2f})")
    ratio = medians[PYTEST] / medians[SYNTH]
    print(f"{'ratio pytest / make synth':38s} {ratio:6.2f}   (target: at most {TARGET_RATIO})")

    collect_env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    timed_run(COLLECT, collect_env)
    collection = statistics.median(timed_run(COLLECT, collect_env)[0] for _ in range(args.runs))
    print(f"{'pytest --collect-only (one worker)':38s} median {collection:6.2f} s")
    test_time = median_parts(parts)
    plan = budget(
        test_time,
        synth_seconds=medians[SYNTH],
        target_ratio=TARGET_RATIO,
        workers=worker_count(workers),
        collection=collection,
    )
    print("\n".join(report(test_time, plan, TARGET_RATIO)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
