"""Is the rehearsal flaky? `make rehearse-ci` several times in a row, counted and timed.

    python -m scripts.rehearse.soak --runs 10      # make rehearse-soak RUNS=10

Each run starts its own emulator, bootstraps it and rehearses the labs `make test` rehearses.
Prints one line per run (PASS or FAIL, seconds) and then the count and the median; exit code
0 only when every run passed. A failed run's output is kept in the file it names.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from scripts.rehearse.emulator import ROOT
from scripts.stack_outputs import OneLineParser

Runner = Callable[[Path], int]


def run_once(log: Path) -> int:
    with log.open("w") as output:
        return subprocess.run(["make", "rehearse-ci"], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT).returncode


def soak(
    runs: int,
    runner: Runner = run_once,
    clock: Callable[[], float] = time.monotonic,
    progress: Callable[[str], None] = lambda line: None,
) -> tuple[int, list[str]]:
    folder = Path(tempfile.mkdtemp(prefix="cloudops-rehearsal-soak-"))
    seconds, lines, passed = [], [], 0
    for number in range(1, runs + 1):
        log = folder / f"run-{number}.log"
        started = clock()
        code = runner(log)
        seconds.append(clock() - started)
        passed += code == 0
        lines.append(f"run {number}: {'PASS' if code == 0 else f'FAIL (exit {code}, see {log})'} {seconds[-1]:.0f} s")
        progress(lines[-1])
    lines.append(f"{passed} of {runs} runs passed; median {statistics.median(seconds):.0f} s per run")
    return (0 if passed == runs else 1), lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = OneLineParser(prog="python -m scripts.rehearse.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="how many rehearsals in a row (default 10)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs {args.runs}: must be at least 1")
    code, lines = soak(args.runs, progress=lambda line: print(line, flush=True))
    print(lines[-1])
    return code


if __name__ == "__main__":
    raise SystemExit(main())
