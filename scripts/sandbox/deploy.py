"""Deploy one lab after its preflight, or destroy it and list what is left.

    python -m scripts.sandbox.deploy deploy --lab queue-worker
    python -m scripts.sandbox.deploy deploy --lab three-tier --stage prod --yes
    python -m scripts.sandbox.deploy destroy --lab queue-worker

deploy: the preflight (scripts/sandbox/preflight.py), then `npx cdk deploy <StackId>
-c stage=<stage>`. With --yes, CDK's own approval prompt for security changes is
skipped too (`--require-approval never`): --yes means "no questions".
destroy: `npx cdk destroy <StackId> --force -c stage=<stage>`, then the leftovers of
the stage (scripts/sandbox/leftovers.py): exit code 0 only when both succeed and
nothing billable is left.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import boto3

from scripts.sandbox import leftovers, preflight
from scripts.stack_outputs import OneLineParser, run
from stacks.labs import Lab


def deploy_command(lab: Lab, stage: str, *, yes: bool) -> list[str]:
    # Every stack of the lab: the CDK CLI deploys them in dependency order (stacks/app_builder.py).
    command = ["npx", "cdk", "deploy", *lab.stack_ids, "-c", f"stage={stage}"]
    if yes:
        command += ["--require-approval", "never"]
    return command


def destroy_command(lab: Lab, stage: str) -> list[str]:
    # The CLI destroys several stacks in reverse dependency order: the DNS part before the regions.
    return ["npx", "cdk", "destroy", *lab.stack_ids, "--force", "-c", f"stage={stage}"]


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.sandbox.deploy", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    deploy = commands.add_parser("deploy", help="preflight, then npx cdk deploy of the lab's stack")
    preflight.add_preflight_arguments(deploy)
    destroy = commands.add_parser("destroy", help="npx cdk destroy --force of the lab's stack, then leftovers")
    preflight.add_lab_arguments(destroy)
    args = parser.parse_args(argv)
    preflight.lab_and_stage(parser, args)
    return args


def main(
    argv: Sequence[str] | None = None,
    *,
    session: Any = None,
    ask: preflight.Ask = preflight.ask_terminal,
    runner: preflight.Runner = preflight.run_command,
) -> int:
    args = parse_args(argv)
    session = session or boto3.Session()
    lab: Lab = args.lab
    if args.command == "deploy":
        if preflight.preflight_from_args(args, session=session, ask=ask, runner=runner) != 0:
            print(f"not deploying {lab.stack_id}: fix the preflight problems first", file=sys.stderr)
            return 1
        return runner(deploy_command(lab, args.stage, yes=args.yes))
    destroyed = runner(destroy_command(lab, args.stage))
    if destroyed != 0:
        print(f"cdk destroy of {lab.stack_id} failed (exit code {destroyed}); what is left:", file=sys.stderr)
    left = leftovers.report(session, stage=args.stage, extra_regions=[])
    return destroyed or left


if __name__ == "__main__":
    raise SystemExit(run(main, None))
