"""Deploy one lab after its preflight, or destroy it and list what is left.

    python -m scripts.sandbox.deploy deploy --lab queue-worker
    python -m scripts.sandbox.deploy deploy --lab three-tier --stage prod --yes
    python -m scripts.sandbox.deploy destroy --lab queue-worker   (or: python -m scripts.sandbox.destroy --lab ...)

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

from scripts.aws_session import aws_session
from scripts.sandbox import leftovers, preflight
from scripts.stack_outputs import OneLineParser, run
from stacks.labs import Lab


def deploy_command(lab: Lab, stage: str, *, yes: bool, parameters: Sequence[str] = ()) -> list[str]:
    # Every stack of the lab: the CDK CLI deploys them in dependency order (stacks/app_builder.py).
    command = ["npx", "cdk", "deploy", *lab.stack_ids, "-c", f"stage={stage}"]
    if yes:
        command += ["--require-approval", "never"]
    for parameter in parameters:  # CloudFormation parameters, Name=value (cdk deploy --parameters)
        command += ["--parameters", parameter]
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
    runner: preflight.Runner | None = None,
) -> int:
    """`runner` runs every command (tests pass a fake); by default the preflight's synth runs quietly."""
    args = parse_args(argv)
    session = session or aws_session()
    lab: Lab = args.lab
    if args.command == "deploy":
        quiet = runner or preflight.run_quietly
        if preflight.preflight_from_args(args, session=session, ask=ask, runner=quiet) != 0:
            print(f"not deploying {lab.stack_id}: fix the preflight problems first", file=sys.stderr)
            return 1
        return (runner or preflight.run_command)(
            deploy_command(lab, args.stage, yes=args.yes, parameters=args.parameter)
        )
    return destroy(lab, args.stage, session, runner or preflight.run_command)


def destroy(lab: Lab, stage: str, session: Any, runner: preflight.Runner) -> int:
    """cdk destroy of the lab's stack, then the stage's leftovers; 0 only when both come out clean."""
    destroyed = runner(destroy_command(lab, stage))
    if destroyed != 0:
        print(f"cdk destroy of {lab.stack_id} failed (exit code {destroyed}); what is left:", file=sys.stderr)
    left = leftovers.report(session, stage=stage, extra_regions=[], lab=lab.name)
    return destroyed or left


if __name__ == "__main__":
    raise SystemExit(run(main, None))
