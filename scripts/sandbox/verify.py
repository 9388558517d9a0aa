"""Prove that a deployed lab works: run its checks against the stack in your account.

    python -m scripts.sandbox.verify --lab queue-worker
    python -m scripts.sandbox.verify --lab three-tier --stage prod

Reads the lab's stack outputs (CloudFormation), then calls `run_checks` of the lab's
scripts/<package>/verify.py (the contract: scripts/sandbox/checks.py). Long waits show
what they wait for, the time elapsed and the timeout. The end is a table of checks,
PASS or FAIL each; exit code 0 when all pass, 1 otherwise (2 for a bad argument).
Reads the standard AWS settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL ...); a lab
pinned to a region (billing-alarm: us-east-1) is looked for there.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from scripts.aws_session import NO_REGION, aws_session
from scripts.sandbox import drift, preflight
from scripts.sandbox.checks import CheckResult, Waiter
from scripts.stack_outputs import OneLineParser, ScriptError, run, stack_outputs
from stacks.config import cdk_json_context, load_stage_config
from stacks.labs import Lab


def render(results: Sequence[CheckResult]) -> str:
    width = max(len("check"), *(len(result.name) for result in results))
    rows = [f"  {'check':<{width}}  result  detail"]
    rows += [f"  {r.name:<{width}}  {'PASS' if r.passed else 'FAIL':<6}  {r.detail}" for r in results]
    return "\n".join(rows)


def verify(lab: Lab, stage: str, session: Any, wait: Waiter, out: TextIO) -> int:
    try:
        outputs = stack_outputs(session, lab.stack_id)
    except ScriptError as error:
        if "not found" not in str(error):
            raise
        raise ScriptError(
            f"stack {lab.stack_id} not found in {session.region_name}: deploy it first "
            f"(make deploy LAB={lab.name} STAGE={stage})"
        ) from None
    module = importlib.import_module(f"scripts.{lab.package}.verify")
    print(f"Verifying {lab.name} ({lab.stack_id} in {session.region_name}), stage {stage}", file=out)
    results: list[CheckResult] = module.run_checks(session, outputs, stage, wait)
    if not results:
        raise ScriptError(f"scripts/{lab.package}/verify.py ran no checks")
    print(render(results), file=out)
    failed = sum(not result.passed for result in results)
    print(f"{len(results) - failed} of {len(results)} checks passed", file=out)
    # Drift is not a check of verify's (it takes minutes): say when `make drift` last looked.
    print(drift.last_run_line(lab, stage), file=out)
    return 1 if failed else 0


def home_region(lab: Lab, stage: str) -> str | None:
    """Where the lab's front-door stack (`lab.stack_id`) runs: the lab's pinned region, the region
    its stage section gives it (a multi-region lab), or None (the caller's default region)."""
    if not lab.stacks:
        return lab.region
    config = load_stage_config({**cdk_json_context(), "stage": stage})
    return lab.stack_regions(config.sections[lab.package])[lab.stack_id]


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.sandbox.verify", description=__doc__.splitlines()[0])
    preflight.add_lab_arguments(parser)
    args = parser.parse_args(argv)
    preflight.lab_and_stage(parser, args)
    return args


def main(argv: Sequence[str] | None = None, *, session: Any = None, wait: Waiter | None = None) -> int:
    args = parse_args(argv)
    lab: Lab = args.lab
    session = session or aws_session(home_region(lab, args.stage))
    if session.region_name is None:
        raise ScriptError(NO_REGION)
    return verify(lab, args.stage, session, wait or Waiter(), sys.stdout)


if __name__ == "__main__":
    raise SystemExit(run(main, None))
