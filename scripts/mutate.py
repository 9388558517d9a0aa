"""Mutation testing of the Lambda functions' logic modules (mutmut), one module at a time.

    make mutate                                   # every mutant of every module
    make mutate MUTANTS=50                        # 50 per module, spread over each file
    python -m scripts.mutate --module queue_worker/store.py --mutants 50

Each module is mutated on its own, and each of its mutants runs against the module's lab
tests only (the tests/<lab>/ folder, less the tests of synthesized templates: they test no
Lambda code). mutmut records which of those tests reach which function and runs only those
for a mutant, in one worker by default (MUTATE_JOBS): the machine may be shared.

mutmut names a mutant after its module as the tests import it, and the tests import
`queue_worker.store`, not `lambda_src.queue_worker.store` (pytest puts lambda_src/ on the
path, as Lambda does). So each module runs in a scratch copy of the repository, .mutate/<module>/,
with lambda_src/ copied to src/ (the layout mutmut knows; the mutated lambda_src/ is a link to
it) and its settings in a setup.cfg there. The repository itself is never mutated.

It prints per module: mutants, killed, survived, timed out, equivalent, score, then each
survivor with its one-line change (`mutmut show NAME` in the scratch folder shows it whole).
Score = (killed + timed out) / (mutants - equivalent): a mutant the tests cannot tell from the
code, because it behaves the same, is listed with the reason in tests/mutation_equivalents.txt.
Exit code 1 when a module scores below --target (95): a benchmark, not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRATCH = REPO_ROOT / ".mutate"
EQUIVALENTS = REPO_ROOT / "tests" / "mutation_equivalents.txt"
MUTMUT = Path(sys.executable).parent / "mutmut"
TARGET = 95.0

# The logic modules (under lambda_src/) and the lab test folder that covers each.
MODULES: Mapping[str, str] = {
    "ops_chores/logic.py": "tests/ops_automation",
    "guardduty_remediation/finding.py": "tests/security_baseline",
    "queue_worker/logic.py": "tests/queue_worker",
    "queue_worker/store.py": "tests/queue_worker",
    "orders_api/logic.py": "tests/serverless_api",
    "orders_api/validation.py": "tests/serverless_api",
    "thumbnailer/resize.py": "tests/s3_events",
    "failover_site/logic.py": "tests/multi_region_failover",
}
# lambda_src/ is copied to src/; mutmut copies tests/ and pyproject.toml itself.
OWN_COPIES = frozenset({"lambda_src", "tests", "pyproject.toml"})
# tests/conftest.py puts every test of a synthesized app in this xdist group: those read
# templates (and need lambda_src/ as asset folders), never the functions' code.
DESELECT_SYNTH = ["-m", "not xdist_group"]
# The benchmarks' tests divide by measured time, and inside mutmut's forked workers the clocks
# can read no time passed (test_bench_counts_thumbnails_per_second: ZeroDivisionError), which
# would count as a kill of whatever mutant was switched on. They test the bench, not the logic.
DESELECT_BENCH = ["-k", "not bench"]

KILLED = frozenset({"killed", "caught by type check", "segfault"})
TIMED_OUT = frozenset({"timeout"})
_RESULT_LINE = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+?)\s*$")


@dataclass
class Score:
    """One module's tally."""

    module: str
    statuses: dict[str, str] = field(default_factory=dict)
    equivalent: set[str] = field(default_factory=set)

    @property
    def mutants(self) -> int:
        return len(self.statuses)

    @property
    def killed(self) -> int:
        return sum(status in KILLED for status in self.statuses.values())

    @property
    def timed_out(self) -> int:
        return sum(status in TIMED_OUT for status in self.statuses.values())

    @property
    def survivors(self) -> list[str]:
        """Mutants no test failed for (including code no test reaches), equivalents aside."""
        return [
            name
            for name, status in self.statuses.items()
            if status not in KILLED | TIMED_OUT and name not in self.equivalent
        ]

    @property
    def equivalents_seen(self) -> int:
        return sum(name in self.equivalent and self.statuses[name] not in KILLED | TIMED_OUT for name in self.statuses)

    @property
    def score(self) -> float:
        relevant = self.mutants - self.equivalents_seen
        return 100.0 if relevant == 0 else 100.0 * (self.killed + self.timed_out) / relevant


def parse_results(text: str) -> dict[str, str]:
    """`mutmut results --all true` output ("    pkg.mod.x_f__mutmut_3: survived" lines) -> {name: status}."""
    statuses = {}
    for line in text.splitlines():
        match = _RESULT_LINE.match(line)
        if match:
            statuses[match["name"]] = match["status"]
    return statuses


def parse_equivalents(text: str) -> dict[str, str]:
    """tests/mutation_equivalents.txt: one "NAME  why it behaves the same" per line; # comments."""
    equivalents = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        if "__mutmut_" not in name or not reason.strip():
            raise ValueError(f"{EQUIVALENTS.name} line {number}: write NAME and why it is equivalent, not {line!r}")
        equivalents[name] = reason.strip()
    return equivalents


def spread(names: Sequence[str], count: int) -> list[str]:
    """`count` of `names` (in file order) at even intervals: every part of the file is sampled."""
    if count <= 0 or count >= len(names):
        return list(names)
    return [names[(2 * index + 1) * len(names) // (2 * count)] for index in range(count)]


def table(scores: Sequence[Score]) -> str:
    header = (
        f"{'module':34} {'mutants':>7} {'killed':>6} {'survived':>8} {'timed out':>9} {'equivalent':>10} {'score':>7}"
    )
    lines = [header]
    for s in scores:
        lines.append(
            f"{s.module:34} {s.mutants:>7} {s.killed:>7} {len(s.survivors):>8} {s.timed_out:>9} "
            f"{s.equivalents_seen:>10} {s.score:>6.1f}%"
        )
    return "\n".join(lines)


def module_name(module: str) -> str:
    """queue_worker/store.py -> queue_worker.store (mutmut's prefix of the module's mutants)."""
    return module.removesuffix(".py").replace("/", ".")


def prepare_scratch(module: str, tests: str) -> Path:
    """A fresh .mutate/<module>/: lambda_src copied to src/, the rest linked, mutmut's setup.cfg."""
    scratch = SCRATCH / module_name(module)
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    shutil.copytree(REPO_ROOT / "lambda_src", scratch / "src", ignore=shutil.ignore_patterns("__pycache__"))
    also_copy = sorted(tracked_top_level() - OWN_COPIES)
    for name in ("tests", "pyproject.toml", *also_copy):
        (scratch / name).symlink_to(REPO_ROOT / name)
    settings = {
        "source_paths": ["src"],
        "only_mutate": [f"src/{module}"],
        # The rest of the repository as committed: the lab tests read scripts, stacks, docs, pins ...
        "also_copy": also_copy,
        # One process: the per-mutant runs are already parallel (MUTATE_JOBS).
        "pytest_add_cli_args": ["-n", "0", "-p", "no:cacheprovider"],
        "pytest_add_cli_args_test_selection": [tests, *DESELECT_SYNTH, *DESELECT_BENCH],
    }
    lines = ["[mutmut]"]
    for key, values in settings.items():
        lines.append(f"{key} =")
        lines.extend(f"    {value}" for value in values)
    (scratch / "setup.cfg").write_text("\n".join(lines) + "\n")
    # Tests that start the handler in a subprocess name lambda_src/ by path: there it is the mutated copy.
    (scratch / "mutants").mkdir()
    (scratch / "mutants" / "lambda_src").symlink_to("src")
    # The built layers, read as they are (tests/s3_events/test_layer.py): linked, not copied.
    (scratch / "mutants" / "build").symlink_to(REPO_ROOT / "build")
    return scratch


def tracked_top_level() -> set[str]:
    """The files and folders at the top of the repository that git tracks (no .venv, no build)."""
    listed = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    return {line.split("/", 1)[0] for line in listed.splitlines() if line}


def mutmut(scratch: Path, *args: str) -> str:
    # Bytecode caches on (as the Makefile has them): without them every forked test run recompiles.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([str(MUTMUT), *args], cwd=scratch, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"mutmut {' '.join(args[:3])} failed in {scratch} (exit {done.returncode})")
    return done.stdout


def all_mutant_names(scratch: Path, module: str) -> list[str]:
    """Every mutant mutmut made of the module, in file order (its .meta file keeps that order)."""
    meta = json.loads((scratch / "mutants" / "src" / f"{module}.meta").read_text())
    return list(meta["exit_code_by_key"])


def run_module(module: str, tests: str, *, count: int, jobs: int, equivalents: Mapping[str, str]) -> Score:
    scratch = prepare_scratch(module, tests)
    prefix = module_name(module)
    if count > 0:
        # mutmut makes every mutant before it runs any: run the first of each function to get
        # the list, then the sample (mutmut reruns mutants it is given by name).
        mutmut(scratch, "run", "--max-children", str(jobs), f"{prefix}.*__mutmut_1")
        sample = spread(all_mutant_names(scratch, module), count)
        mutmut(scratch, "run", "--max-children", str(jobs), *sample)
    else:
        mutmut(scratch, "run", "--max-children", str(jobs))
        sample = all_mutant_names(scratch, module)
    statuses = parse_results(mutmut(scratch, "results", "--all", "true"))
    return Score(module, {name: statuses[name] for name in sample}, set(equivalents))


def one_line_change(scratch: Path, name: str) -> str:
    """The mutant's changed line (- old / + new), from `mutmut show`."""
    diff = mutmut(scratch, "show", name).splitlines()
    removed = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
    return f"{' / '.join(removed)}  ->  {' / '.join(added)}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.mutate",
        description="Mutation testing (mutmut) of the Lambda logic modules against their lab tests, "
        "one module at a time; prints mutants, killed, survived, timed out and the score per module.",
    )
    parser.add_argument(
        "--module", action="append", choices=sorted(MODULES), help="only this module (repeatable; default: all)"
    )
    parser.add_argument(
        "--mutants",
        type=int,
        default=int(os.environ.get("MUTANTS") or 0),
        help="mutants per module, spread over the file (default: MUTANTS or 0 = every mutant)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("MUTATE_JOBS") or 1),
        help="mutants run at once (default: MUTATE_JOBS or 1)",
    )
    parser.add_argument("--target", type=float, default=TARGET, help=f"lowest acceptable score (default {TARGET})")
    args = parser.parse_args(argv)
    if not MUTMUT.exists():
        parser.error(f"{MUTMUT} is missing: install the dev requirements (pip install -r requirements-dev.txt)")
    equivalents = parse_equivalents(EQUIVALENTS.read_text())

    scores = []
    for module in args.module or list(MODULES):
        print(f"mutating lambda_src/{module} against {MODULES[module]} ...", flush=True)
        score = run_module(module, MODULES[module], count=args.mutants, jobs=args.jobs, equivalents=equivalents)
        scores.append(score)
        scratch = SCRATCH / module_name(module)
        for name in score.survivors:
            print(f"  survived: {name}: {one_line_change(scratch, name)}")
        stale = [name for name in equivalents if name in score.statuses and score.statuses[name] in KILLED]
        for name in stale:
            print(f"  listed as equivalent but killed (remove it from {EQUIVALENTS.name}): {name}")
    print()
    print(table(scores))
    low = [score.module for score in scores if score.score < args.target]
    if low:
        print(f"below {args.target:g}%: {', '.join(low)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
