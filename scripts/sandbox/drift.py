"""Has anyone changed a deployed lab by hand? `cdk drift` on the lab's stack, remembered.

    python -m scripts.sandbox.drift --lab queue-worker [--stage prod]

Runs `npx cdk drift <StackId> -c stage=<stage> --fail`: CloudFormation's drift detection
(DetectStackDrift) compares each resource's live configuration with the template, and
`--fail` makes the CLI exit 1 when any resource has drifted. The result and its time are
written to .sandbox-state/drift/<lab>-<stage>.json, which `make verify` reads to say
when drift was last checked. Exit code: the CLI's (0 no drift, 1 drift or an error).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scripts.sandbox import preflight
from scripts.stack_outputs import OneLineParser, run
from stacks.labs import Lab

# The clone's own record of the loop; CLOUDOPS_SANDBOX_STATE moves it (the tests do).
DEFAULT_STATE = Path(__file__).resolve().parents[2] / ".sandbox-state"
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class DriftRun:
    lab: str
    stage: str
    checked_at: str  # ISO 8601, UTC
    exit_code: int

    @property
    def verdict(self) -> str:
        return "no drift" if self.exit_code == 0 else "drift or an error: run make drift again and read its output"


def drift_command(lab: Lab, stage: str) -> list[str]:
    # Every stack of the lab (the CLI takes several stack names): a multi-region lab drifts anywhere.
    return ["npx", "cdk", "drift", *lab.stack_ids, "-c", f"stage={stage}", "--fail"]


def default_state_dir() -> Path:
    return Path(os.environ.get("CLOUDOPS_SANDBOX_STATE") or DEFAULT_STATE) / "drift"


def state_file(lab: Lab, stage: str, state_dir: Path | None = None) -> Path:
    return (state_dir or default_state_dir()) / f"{lab.name}-{stage}.json"


def record(result: DriftRun, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(result), indent=2) + "\n")


def last_run(lab: Lab, stage: str, state_dir: Path | None = None) -> DriftRun | None:
    try:
        data = json.loads(state_file(lab, stage, state_dir).read_text())
        return DriftRun(**data)
    except (FileNotFoundError, ValueError, TypeError):
        return None


def last_run_line(lab: Lab, stage: str, state_dir: Path | None = None) -> str:
    """One line for verify's report."""
    found = last_run(lab, stage, state_dir)
    if found is None:
        return f"drift: never checked from this clone (make drift LAB={lab.name} STAGE={stage})"
    return f"drift: last checked {found.checked_at} ({found.verdict})"


def drift(
    lab: Lab,
    stage: str,
    *,
    runner: preflight.Runner = preflight.run_command,
    clock: Clock = lambda: datetime.now(UTC),
    state_dir: Path | None = None,
) -> int:
    code = runner(drift_command(lab, stage))
    checked = clock().replace(microsecond=0).isoformat()
    result = DriftRun(lab=lab.name, stage=stage, checked_at=checked, exit_code=code)
    record(result, state_file(lab, stage, state_dir))
    print(f"{lab.stack_id}: {result.verdict} ({checked})")
    return code


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.sandbox.drift", description=__doc__.splitlines()[0])
    preflight.add_lab_arguments(parser)
    args = parser.parse_args(argv)
    preflight.lab_and_stage(parser, args)
    return args


def main(argv: Sequence[str] | None = None, *, runner: preflight.Runner = preflight.run_command) -> int:
    args = parse_args(argv)
    return drift(args.lab, args.stage, runner=runner)


if __name__ == "__main__":
    raise SystemExit(run(main, None))
