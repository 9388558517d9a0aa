"""Destroy one lab's stack, then list what of its stage is left.

    python -m scripts.sandbox.destroy --lab queue-worker
    python -m scripts.sandbox.destroy --lab three-tier --stage prod

The same as `python -m scripts.sandbox.deploy destroy` (and `make destroy LAB=...`):
`npx cdk destroy <StackId> --force -c stage=<stage>`, then the leftovers of the stage
(scripts/sandbox/leftovers.py). Exit code 0 only when both succeed and nothing
billable is left; 2 for a bad argument.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scripts.aws_session import aws_session
from scripts.sandbox import deploy, preflight
from scripts.stack_outputs import OneLineParser, run


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.sandbox.destroy", description=__doc__.splitlines()[0])
    preflight.add_lab_arguments(parser)
    args = parser.parse_args(argv)
    preflight.lab_and_stage(parser, args)
    return args


def main(
    argv: Sequence[str] | None = None, *, session: Any = None, runner: preflight.Runner = preflight.run_command
) -> int:
    args = parse_args(argv)
    return deploy.destroy(args.lab, args.stage, session or aws_session(), runner)


if __name__ == "__main__":
    raise SystemExit(run(main, None))
