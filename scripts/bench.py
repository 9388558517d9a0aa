"""Benchmark of the commands people wait for: set-up, the test suite, `make synth`, and one lab's loop.

    make bench                                  # 3 warm runs of each, prints medians
    python -m scripts.bench --runs 1            # quicker
    python -m scripts.bench --setup-runs 0      # without the cold set-ups (two minutes)

One run prints: the cold set-up of the Python packages with uv and with pip (new venv,
empty caches: scripts/bench_setup.py); `make unit` (the whole suite) and `make synth`,
with their ratio (target: at most 6.5); and for every lab `make synth LAB=<lab>` (target:
at most half of the full synth, three-tier excepted) and `make test LAB=<lab>`, with the
ratio of the two (target: a median over the labs of at most 3).

Warm means the set-up is current (the first, cold run of the suite and the synths is
discarded; the lab commands then find every cache warm): what a developer sees on the
second and later runs. Machines here are shared and noisy and differ by about 2x in
speed, so this is a benchmark with medians, never a timed test, and its ratios are
measured in one run.

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

from scripts import bench_setup
from scripts.bench_budget import budget, report, seconds_by_part
from stacks.labs import LABS

REPO_ROOT = Path(__file__).resolve().parent.parent

PYTEST = "make unit (pytest, whole suite)"
SYNTH = "make synth (sandbox, validator on)"
# The suite may take this many `make synth`s (issue 19: the labs' own offline tests are worth their time).
TARGET_RATIO = 6.5
# One lab's synth against the whole app's; three-tier, the largest lab, is excepted.
TARGET_LAB_SYNTH_SHARE = 0.5
LAB_SYNTH_SHARE_EXCEPTED = ("three-tier",)
# One lab's `make test LAB=` against its `make synth LAB=`, median over the labs.
TARGET_LAB_RATIO = 3
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


def lab_loops(runs: int, full_synth: float) -> list[str]:
    """Per lab: `make synth LAB=` and `make test LAB=`, medians of `runs` runs, with the targets' ratios.

    Prints each lab's line as it is measured (a run takes minutes); returns the summary line.

    No warm-up of their own: the suite's and the full synth's runs before them left every cache warm.
    """
    lines = [
        "One lab at a time (medians):",
        f"  {'lab':18s} {'synth LAB=':>10s} {'/ full':>7s} {'test LAB=':>10s} {'test/synth':>10s}",
    ]
    print("\n".join(lines), flush=True)
    ratios = []
    for lab in LABS:
        synth = statistics.median(
            timed_run(["make", "--no-print-directory", "synth", f"LAB={lab.name}"])[0] for _ in range(runs)
        )
        test = statistics.median(
            timed_run(["make", "--no-print-directory", "test", f"LAB={lab.name}"])[0] for _ in range(runs)
        )
        share, ratio = synth / full_synth, test / synth
        ratios.append(ratio)
        over = share > TARGET_LAB_SYNTH_SHARE and lab.name not in LAB_SYNTH_SHARE_EXCEPTED
        lines.append(
            f"  {lab.name:18s} {synth:8.2f} s {share:7.2f} {test:8.2f} s {ratio:10.2f}"
            + ("   (synth over half the full synth)" if over else "")
        )
        print(lines[-1], flush=True)
    lines.append(
        f"  median test/synth over the labs {statistics.median(ratios):.2f} (target: at most {TARGET_LAB_RATIO}); "
        f"synth LAB= / full synth target: at most {TARGET_LAB_SYNTH_SHARE:g}, "
        f"{', '.join(LAB_SYNTH_SHARE_EXCEPTED)} excepted"
    )
    return lines[-1:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command (default 3)")
    parser.add_argument(
        "--warm-ups", type=int, default=1, help="discarded runs of the suite and each synth first (default 1)"
    )
    parser.add_argument("--setup-runs", type=int, default=1, help="cold set-ups per installer (default 1; 0: none)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    if args.warm_ups < 0:
        parser.error(f"--warm-ups must be at least 0, got {args.warm_ups}")
    if args.setup_runs < 0:
        parser.error(f"--setup-runs must be at least 0, got {args.setup_runs}")
    if shutil.which("node") is None or not str(shutil.which("node")).startswith(str(REPO_ROOT)):
        os.environ["PATH"] = f"{REPO_ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"

    workers = os.environ.get("PYTEST_WORKERS", "auto")
    print(
        f"{os.cpu_count()} cores, pytest workers: {workers}; {args.runs} warm runs each"
        f" (after {args.warm_ups} discarded warm-up(s)); load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    if args.setup_runs:
        print("\n".join(bench_setup.report(bench_setup.measure(args.setup_runs))), flush=True)
    env = {**os.environ, "PYTEST_ADDOPTS": f"{os.environ.get('PYTEST_ADDOPTS', '')} {DURATIONS}".strip()}
    medians: dict[str, float] = {}
    parts: list[dict[str, float]] = []
    for label, command in COMMANDS.items():
        for _ in range(args.warm_ups):
            timed_run(command, env)
        runs = [timed_run(command, env) for _ in range(args.runs)]
        samples = sorted(seconds for seconds, _ in runs)
        if label == PYTEST:
            parts = [seconds_by_part(output) for _, output in runs]
        medians[label] = statistics.median(samples)
        print(f"{label:38s} median {medians[label]:6.2f} s  (min {samples[0]:.2f}, max {samples[-1]:.2f})", flush=True)
    ratio = medians[PYTEST] / medians[SYNTH]
    print(f"{'ratio pytest / make synth':38s} {ratio:6.2f}   (target: at most {TARGET_RATIO})")
    print("\n".join(lab_loops(args.runs, medians[SYNTH])), flush=True)

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
