"""Benchmark of the two commands people wait for: the test suite and `make synth`.

    make bench                      # 5 warm runs of each, prints medians
    python -m scripts.bench --runs 9

Warm means the set-up is current (the first, cold run is discarded): what a
developer sees on the second and later runs. Machines here are shared and noisy and
differ by about 2x in speed, so this is a benchmark with medians, never a timed test,
and its headline is a ratio measured in one run: pytest / `make synth` (target: at
most 2.5 with the three core labs, at most 3 with all ten).
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

REPO_ROOT = Path(__file__).resolve().parent.parent

PYTEST = "make unit (pytest, whole suite)"
SYNTH = "make synth (sandbox, validator on)"
TARGET_RATIO = 3
# `make unit` is the pytest run of `make test`, with its settings (workers, bytecode caches):
# the suite as a developer runs it, not a bare `pytest` with whatever the shell exports.
COMMANDS: dict[str, list[str]] = {
    PYTEST: ["make", "--no-print-directory", "unit"],
    SYNTH: ["make", "--no-print-directory", "synth"],
    "make synth STAGE=prod": ["make", "--no-print-directory", "synth", "STAGE=prod"],
}


def wall_seconds(command: Sequence[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


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
    medians: dict[str, float] = {}
    for label, command in COMMANDS.items():
        wall_seconds(command)
        samples = sorted(wall_seconds(command) for _ in range(args.runs))
        medians[label] = statistics.median(samples)
        print(f"{label:38s} median {medians[label]:6.2f} s  (min {samples[0]:.2f}, max {samples[-1]:.2f})")
    ratio = medians[PYTEST] / medians[SYNTH]
    print(f"{'ratio pytest / make synth':38s} {ratio:6.2f}   (target: at most {TARGET_RATIO})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
