"""Deploy (or remove) the role a fork's GitHub Actions workflow assumes for the sandbox loop.

    python -m scripts.sandbox.ci_role deploy --repository alice/cloudops-cdk-labs [--branch main]
    python -m scripts.sandbox.ci_role destroy --repository alice/cloudops-cdk-labs

deploy: the same preflight as a lab's (credentials, region, CDK bootstrap, stack state),
then `npx cdk deploy CloudOpsCiRole -c ci_role_repository=...`. Its output RoleArn is
what the repository variable CLOUDOPS_SANDBOX_ROLE_ARN must hold. An account that
already has GitHub's OIDC provider passes --oidc-provider-arn (one provider per URL).
destroy: `npx cdk destroy CloudOpsCiRole --force` (the role and the provider, if created).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scripts.aws_session import aws_session
from scripts.sandbox import assembly, preflight
from scripts.stack_outputs import OneLineParser, ScriptError, run
from stacks.ci_role.config import BRANCH_KEY, PROVIDER_KEY, REPOSITORY_KEY, ci_role_settings
from stacks.config import ConfigError
from stacks.labs import Lab

# Preflight's checks take a Lab; the CI role is a stack of the app, not a lab of the registry.
CI_ROLE = Lab(
    name="ci-role",
    stack_id="CloudOpsCiRole",
    package="ci_role",
    stack_class="CiRoleStack",
    config_class="CiRoleSettings",
    title="GitHub OIDC role for the sandbox loop",
    practises="running the sandbox loop from GitHub Actions",
    guide=(),
    description="CloudOps CDK Labs: GitHub OIDC role for the sandbox loop",
)


def context_arguments(args: Any) -> list[str]:
    context = [f"{REPOSITORY_KEY}={args.repository}", f"{BRANCH_KEY}={args.branch}"]
    if args.oidc_provider_arn:
        context.append(f"{PROVIDER_KEY}={args.oidc_provider_arn}")
    return [part for item in context for part in ("-c", item)]


def deploy_command(args: Any) -> list[str]:
    return ["npx", "cdk", "deploy", CI_ROLE.stack_id, *context_arguments(args), "--require-approval", "never"]


def destroy_command(args: Any) -> list[str]:
    return ["npx", "cdk", "destroy", CI_ROLE.stack_id, "--force", *context_arguments(args)]


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.sandbox.ci_role", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for name, text in (("deploy", "preflight, then deploy the CI role"), ("destroy", "remove the CI role")):
        command = commands.add_parser(name, help=text)
        command.add_argument("--repository", required=True, help="your fork, as owner/name")
        command.add_argument("--branch", default="main", help="the branch whose workflows may assume it")
        command.add_argument("--oidc-provider-arn", default="", help="the account's GitHub OIDC provider, if any")
        command.add_argument(
            "--assembly", type=Path, help="read this synthesized cloud assembly instead of synthesizing"
        )
    args = parser.parse_args(argv)
    try:
        ci_role_settings(
            {REPOSITORY_KEY: args.repository, BRANCH_KEY: args.branch, PROVIDER_KEY: args.oidc_provider_arn}
        )
    except ConfigError as error:
        parser.error(str(error))
    return args


def main(
    argv: Sequence[str] | None = None,
    *,
    session: Any = None,
    runner: preflight.Runner = preflight.run_command,
) -> int:
    args = parse_args(argv)
    if args.command == "destroy":
        return runner(destroy_command(args))
    session = session or aws_session()

    def needs() -> assembly.StackNeeds:
        if args.assembly is None:
            synth = ["npx", "cdk", "synth", "--quiet", CI_ROLE.stack_id, *context_arguments(args)]
            if runner(synth) != 0:
                raise ScriptError("cdk synth of the CI role failed: fix the error above, then run this again")
        manifest = assembly.read_manifest(args.assembly or preflight.DEFAULT_ASSEMBLY)
        return assembly.stack_needs(manifest, CI_ROLE.stack_id)

    print(f"Preflight: {CI_ROLE.name} ({CI_ROLE.stack_id}) for {args.repository} ({args.branch})")
    findings = preflight.run_preflight(
        CI_ROLE, preflight.SANDBOX_STAGE, session, needs, yes=True, ask=preflight.ask_terminal, out=sys.stdout
    )
    if any(finding.level == "FAIL" for finding in findings):
        print(f"not deploying {CI_ROLE.stack_id}: fix the preflight problems first", file=sys.stderr)
        return 1
    return runner(deploy_command(args))


if __name__ == "__main__":
    raise SystemExit(run(main, None))
