"""Cold set-up of the Python packages, with uv and with pip, in one run (a benchmark, not a timed test).

    python -m scripts.bench_setup              # one cold run of each installer
    python -m scripts.bench_setup --runs 3     # medians of three

Each run is what a fresh clone's `make setup` does for Python, through the Makefile's own
targets (`make <venv>/.dev-installed INSTALLER=...`): a new venv in a temporary folder, then
requirements.txt and requirements-dev.txt. With uv, the venv's pip first installs the pinned
uv (requirements-uv.txt): that is part of its time. Cold means empty download caches: each
run gets new UV_CACHE_DIR and PIP_CACHE_DIR folders, so every wheel comes over the network
(pip also reads whatever index or find-links this machine's pip configuration names; uv
reads none of it). The Node CLI and the Lambda layers are the same for both and not timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTALLERS = ("uv", "pip")
# uv's share of the set-up time must be at most this share of pip's (issue 19's target).
TARGET_SHARE = 1 / 5


def cold_setup(installer: str, python: str = sys.executable) -> dict[str, float]:
    """Wall seconds of each step of the Makefile's Python set-up with `installer`: a new venv, empty caches."""
    with tempfile.TemporaryDirectory(prefix=f"bench-setup-{installer}-") as folder:
        root = Path(folder)
        env = {
            **{name: value for name, value in os.environ.items() if not name.startswith(("MAKE", "VIRTUAL_ENV"))},
            "UV_CACHE_DIR": str(root / "uv-cache"),
            "PIP_CACHE_DIR": str(root / "pip-cache"),
        }
        venv = root / "venv"
        # One make call per target, in the order make builds them, so that each step is timed alone.
        steps = {
            "venv": f"{venv}/bin/python",
            "uv itself": f"{venv}/.uv-installed",
            "packages": f"{venv}/.dev-installed",
        }
        if installer != "uv":
            del steps["uv itself"]
        seconds: dict[str, float] = {}
        for step, target in steps.items():
            command = [
                "make",
                "--no-print-directory",
                f"VENV={venv}",
                f"INSTALLER={installer}",
                f"PYTHON={python}",
                target,
            ]
            started = time.perf_counter()
            finished = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
            seconds[step] = time.perf_counter() - started
            if finished.returncode != 0:
                # Only then: pip warns on stderr about every index of this machine's configuration it cannot read.
                sys.stderr.write(finished.stdout + finished.stderr)
                finished.check_returncode()
        return seconds


def measure(runs: int, python: str = sys.executable) -> dict[str, list[dict[str, float]]]:
    """The steps' seconds of each run by installer; the installers alternate so that both see the same machine."""
    samples: dict[str, list[dict[str, float]]] = {installer: [] for installer in INSTALLERS}
    for _ in range(runs):
        for installer in INSTALLERS:
            samples[installer].append(cold_setup(installer, python))
    return samples


def report(samples: dict[str, list[dict[str, float]]]) -> list[str]:
    lines = []
    medians = {}
    for installer, runs in samples.items():
        totals = sorted(sum(run.values()) for run in runs)
        medians[installer] = statistics.median(totals)
        steps = ", ".join(f"{step} {statistics.median(run[step] for run in runs):.1f} s" for step in runs[0])
        lines.append(
            f"{f'cold set-up with {installer} (empty caches)':38s} median {medians[installer]:6.2f} s"
            f"  (min {totals[0]:.2f}, max {totals[-1]:.2f}; {steps})"
        )
    share = medians["uv"] / medians["pip"]
    lines.append(f"{'uv / pip':38s} {share:6.2f}   (target: at most {TARGET_SHARE:.2f})")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--runs", type=int, default=1, help="cold set-ups per installer (default 1: pip's takes a minute)"
    )
    parser.add_argument("--python", default="python3", help="the Python that makes the venv (default python3, as make)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    print("\n".join(report(measure(args.runs, args.python))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
