"""Check an AWS account before deploying one lab into it.

    python -m scripts.sandbox.preflight --lab queue-worker
    python -m scripts.sandbox.preflight --lab three-tier --stage prod --yes

Checks, each reported on one line (a failure says what to do): credentials (STS) with
the account and region; the lab's pinned region; the CDK bootstrap stack present and
at least the version the synthesized stack requires (read from cdk.out/manifest.json,
so a CDK upgrade that raises it is noticed); the lab's stack not stuck in a failed
state; a warning while the billing-alarm lab (the one to deploy first) is missing; and
what the deploy will meet in the region (scripts/sandbox/deploy_day.py): the template's
SSM parameters, RDS engine versions, instance types in the zones it picks, the ALB
certificate's region, and no second GuardDuty detector or AWS Config recorder.
For any stage but sandbox it prints the lab's monthly cost and asks for confirmation:
--yes confirms without a terminal; without one, and without --yes, it refuses.

Reads the standard AWS settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL ...).
Exit code 0 when every check passes, 1 otherwise, 2 for a bad argument.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from scripts.aws_session import NO_REGION, aws_session
from scripts.sandbox import assembly, deploy_day, lab_cost
from scripts.stack_outputs import OneLineParser, ScriptError, run
from stacks.config import cdk_json_context, load_stage_config
from stacks.cost_model import PriceMissingError, render, total
from stacks.labs import LABS, Lab, lab_named
from stacks.rehearsal_stage import loop_stage_names

SANDBOX_STAGE = "sandbox"
BOOTSTRAP_STACK = "CDKToolkit"
BILLING_LAB = "billing-alarm"
DEFAULT_ASSEMBLY = Path("cdk.out")
# Stack states (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes).
# *_IN_PROGRESS: CloudFormation is working; wait for it. REVIEW_IN_PROGRESS is the exception:
# a stack whose CREATE change set was made and never executed (a first deploy interrupted
# or failed before execution, aws-cdk #23230) stays so for ever, and the CDK CLI deploys it
# as a new stack (aws-cdk #7731): nothing to wait for, nothing to fix.
BUSY_SUFFIX = "_IN_PROGRESS"
NEVER_EXECUTED = "REVIEW_IN_PROGRESS"
# States no update leaves: delete the stack and deploy again.
DEAD_STATES = {"ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED", "CREATE_FAILED", "IMPORT_ROLLBACK_FAILED"}
# A failed update whose rollback failed too: ContinueUpdateRollback brings it back to
# UPDATE_ROLLBACK_COMPLETE, which can be updated
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ContinueUpdateRollback.html).
ROLLBACK_STUCK = "UPDATE_ROLLBACK_FAILED"

Ask = Callable[[str], "str | None"]
Runner = Callable[[Sequence[str]], int]


@dataclass(frozen=True)
class Finding:
    level: str  # "ok", "info", "warn" or "FAIL"
    text: str


@dataclass
class Preflight:
    """Everything a check needs; `findings` grows as checks run."""

    lab: Lab
    stage: str
    session: Any
    findings: list[Finding]
    account: str = ""
    region: str = ""  # where the stack deploys
    default_region: str | None = None  # the caller's configured region
    out: TextIO | None = None  # where each finding is printed as it is made

    def add(self, level: str, text: str) -> None:
        self.findings.append(Finding(level, text))
        if self.out is not None:
            print(f"  {level:<4}  {text}", file=self.out, flush=True)

    @property
    def failed(self) -> bool:
        return any(finding.level == "FAIL" for finding in self.findings)


def check_credentials(pre: Preflight) -> None:
    try:
        identity = pre.session.client("sts", region_name=pre.region).get_caller_identity()
    except NoCredentialsError:
        pre.add("FAIL", "no AWS credentials found: run `aws configure` or `aws sso login`, or set AWS_PROFILE")
        return
    except (ClientError, BotoCoreError) as error:
        pre.add("FAIL", f"AWS credentials rejected ({_reason(error)}): renew them (aws sso login) or set AWS_PROFILE")
        return
    pre.account = identity["Account"]
    pre.add("ok", f"credentials: {identity['Arn']} (account {pre.account})")


def check_region(pre: Preflight, needs: assembly.StackNeeds) -> None:
    """The stack goes where the assembly pins it; a lab's pinned region must be that one."""
    lab = pre.lab
    if lab.region is not None and needs.region != lab.region:
        pinned = needs.region or "no region (environment-agnostic)"
        pre.add(
            "FAIL",
            f"{lab.stack_id} is synthesized for {pinned} but {lab.name} must deploy to {lab.region}: "
            "restore its region in cdk.json and synthesize again",
        )
        return
    if needs.region is not None:
        pre.region = needs.region
        if needs.region != pre.default_region:
            default = pre.default_region or "none"
            pre.add("ok", f"region: {needs.region} (pinned by the lab; your default region, {default}, does not apply)")
            return
    pre.add("ok", f"region: {pre.region}")


def bootstrap_version(pre: Preflight, needs: assembly.StackNeeds) -> int | None:
    """The environment's bootstrap version: the SSM parameter deployments check, else the stack's output."""
    try:
        value = pre.session.client("ssm", region_name=pre.region).get_parameter(Name=needs.version_parameter)
        return int(value["Parameter"]["Value"])
    except ClientError as error:
        if _code(error) not in {"ParameterNotFound", "AccessDeniedException"}:
            raise
    stack = _describe_stack(pre.session, pre.region, BOOTSTRAP_STACK)
    if stack is None:
        return None
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    return int(outputs["BootstrapVersion"]) if "BootstrapVersion" in outputs else 0


def check_bootstrap(pre: Preflight, needs: assembly.StackNeeds) -> None:
    command = f"npx cdk bootstrap aws://{pre.account}/{pre.region}"
    if needs.qualifier != "hnb659fds":
        command += f" --qualifier {needs.qualifier}"
    found = bootstrap_version(pre, needs)
    if found is None:
        pre.add("FAIL", f"{pre.region} of account {pre.account} is not bootstrapped for the CDK: run {command}")
    elif found < needs.bootstrap_version:
        pre.add(
            "FAIL",
            f"CDK bootstrap version {found} in {pre.region} is older than the {needs.bootstrap_version} "
            f"this CDK needs: run {command} to upgrade it",
        )
    else:
        pre.add("ok", f"CDK bootstrap: version {found} in {pre.region} (needs {needs.bootstrap_version} or newer)")


def check_other_regions(pre: Preflight, needs: assembly.StackNeeds) -> None:
    """A lab of stacks in several regions (multi-region-failover) needs the CDK bootstrap in each.

    The regions come from the stage's section, as the app builder reads them; the stacks share
    one synthesizer, so the qualifier and the bootstrap version needed are the same.
    """
    if not pre.lab.stacks:
        return
    config = load_stage_config({**cdk_json_context(), "stage": pre.stage})
    home = pre.region
    for region in pre.lab.regions(config.sections[pre.lab.package]):
        if region != home:
            pre.region = region
            check_bootstrap(pre, needs)
    pre.region = home


def check_stack_state(pre: Preflight) -> None:
    lab = pre.lab
    stack = _describe_stack(pre.session, pre.region, lab.stack_id)
    if stack is None:
        pre.add("info", f"{lab.stack_id} is not deployed yet in {pre.region}: a first deploy")
        return
    status = stack["StackStatus"]
    if status == NEVER_EXECUTED:
        pre.add(
            "info",
            f"{lab.stack_id} is {status} in {pre.region}: a change set was never executed "
            "(an earlier first deploy stopped before it); the deploy creates the stack",
        )
    elif status == ROLLBACK_STUCK:
        pre.add(
            "FAIL",
            f"{lab.stack_id} is {status} and cannot be updated: run aws cloudformation continue-update-rollback "
            f"--stack-name {lab.stack_id} --region {pre.region} (skip what its events say cannot roll back "
            "with --resources-to-skip), then deploy",
        )
    elif status.endswith(BUSY_SUFFIX):
        pre.add("FAIL", f"{lab.stack_id} is {status}: wait until CloudFormation finishes, then try again")
    elif status in DEAD_STATES:
        pre.add("FAIL", f"{lab.stack_id} is {status} and cannot be updated: make destroy LAB={lab.name}, then deploy")
    else:
        pre.add("ok", f"{lab.stack_id} is {status} in {pre.region}: the deploy updates it")


def check_billing_alarm(pre: Preflight) -> None:
    """The billing alarm tells the learner when a forgotten lab costs money: it should come first."""
    if pre.lab.name == BILLING_LAB:
        return
    billing = lab_named(BILLING_LAB)
    region = billing.region or pre.region
    if _describe_stack(pre.session, region, billing.stack_id) is None:
        pre.add(
            "warn",
            f"the {BILLING_LAB} lab is not deployed in account {pre.account} ({region}): deploy it first "
            f"(make deploy LAB={BILLING_LAB}) so that a forgotten lab sets off an e-mail",
        )
    else:
        pre.add("ok", f"the {BILLING_LAB} lab watches this account's charges ({region})")


def confirm_cost(pre: Preflight, *, yes: bool, ask: Ask) -> None:
    """Outside the sandbox stage, say what the lab costs and get an explicit yes."""
    if pre.stage == SANDBOX_STAGE:
        return
    try:
        lines = lab_cost.monthly_lines(pre.lab, pre.stage)
    except PriceMissingError as error:
        pre.add("FAIL", f"stage {pre.stage} cannot be priced, so it cannot be confirmed: {error}")
        return
    title = f"{pre.lab.name}, stage {pre.stage}: monthly cost (python -m scripts.cost --lab {pre.lab.name})"
    print(render(title, lines), file=pre.out)
    usd = f"about {total(lines):.2f} USD a month"
    if yes:
        pre.add("ok", f"stage {pre.stage} ({usd}) confirmed with --yes")
        return
    answer = ask(f"Deploy {pre.lab.stack_id} (stage {pre.stage}, {usd}) to account {pre.account}? Type yes: ")
    if answer is None:
        pre.add(
            "FAIL",
            f"stage {pre.stage} costs {usd} and there is no terminal to confirm on: "
            f"pass --yes (make deploy ... YES=1) to confirm",
        )
    elif answer.strip().lower() in {"y", "yes"}:
        pre.add("ok", f"stage {pre.stage} ({usd}) confirmed")
    else:
        pre.add("FAIL", f"stage {pre.stage} not confirmed: nothing deployed")


def run_preflight(
    lab: Lab,
    stage: str,
    session: Any,
    needs_for: Callable[[], assembly.StackNeeds],
    *,
    yes: bool,
    ask: Ask,
    out: TextIO,
    template_for: Callable[[], dict[str, Any]] | None = None,
) -> list[Finding]:
    """Runs the checks in order; stops early where later checks would only repeat a failure.

    With `template_for` (the lab's synthesized template), the deploy-day checks run too
    (scripts/sandbox/deploy_day.py).
    """
    default_region = session.region_name
    pre = Preflight(
        lab=lab,
        stage=stage,
        session=session,
        findings=[],
        region=lab.region or default_region or "",
        default_region=default_region,
        out=out,
    )
    if not pre.region:
        pre.add("FAIL", NO_REGION)
        return pre.findings
    check_credentials(pre)
    if pre.failed:
        return pre.findings
    needs = needs_for()
    check_region(pre, needs)
    if pre.failed:
        return pre.findings
    check_bootstrap(pre, needs)
    check_other_regions(pre, needs)
    check_stack_state(pre)
    check_billing_alarm(pre)
    if template_for is not None:
        deploy_day.check_deploy_day(pre, template_for())
    if not pre.failed:
        confirm_cost(pre, yes=yes, ask=ask)
    return pre.findings


def ask_terminal(prompt: str) -> str | None:
    """Reads an answer from the terminal; None when stdin is not one (CI, a pipe, /dev/null)."""
    if sys.stdin is None or not sys.stdin.isatty():
        return None
    try:
        return input(prompt)
    except EOFError:
        return None


def run_command(command: Sequence[str]) -> int:
    print("$ " + " ".join(command), file=sys.stderr, flush=True)
    return subprocess.run(list(command), check=False).returncode


def run_quietly(command: Sequence[str]) -> int:
    """Runs `command` with its output kept: shown (on stderr) only when it fails.

    The preflight's synth prints the CLI's notices and warnings, which would split the
    report's lines; the deploy that follows prints them anyway.
    """
    result = subprocess.run(list(command), check=False, capture_output=True, text=True)
    if result.returncode != 0:
        print("$ " + " ".join(command), file=sys.stderr)
        sys.stderr.write(result.stdout + result.stderr)
        sys.stderr.flush()
    return result.returncode


def synthesized_needs(lab: Lab, stage: str, assembly_dir: Path | None, runner: Runner) -> assembly.StackNeeds:
    """Reads `assembly_dir`, or synthesizes the app for `stage` into cdk.out and reads that."""
    if assembly_dir is None:
        if runner(["npx", "cdk", "synth", "--quiet", "-c", f"stage={stage}"]) != 0:
            raise ScriptError(f"cdk synth failed for stage {stage}: fix the error above, then run the preflight again")
        assembly_dir = DEFAULT_ASSEMBLY
    return assembly.stack_needs(assembly.read_manifest(assembly_dir), lab.stack_id)


def add_lab_arguments(parser: OneLineParser) -> None:
    parser.add_argument("--lab", required=True, help="the lab's name, as in the README table (e.g. queue-worker)")
    parser.add_argument("--stage", default=SANDBOX_STAGE, help="stage block of cdk.json (default: sandbox)")


def add_preflight_arguments(parser: OneLineParser) -> None:
    add_lab_arguments(parser)
    parser.add_argument("--yes", action="store_true", help="confirm a non-sandbox stage's cost without asking")
    parser.add_argument(
        "--assembly", type=Path, help="read this synthesized cloud assembly instead of running npx cdk synth"
    )
    parser.add_argument(
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a CloudFormation parameter of the stack, as cdk deploy --parameters gets it (repeatable)",
    )


def lab_and_stage(parser: OneLineParser, args: Any) -> None:
    """Turns args.lab into a Lab; a bad lab or stage is one line (exit 2)."""
    args.lab = lab_argument(parser, args.lab)
    stages = loop_stage_names()
    if args.stage not in stages:
        parser.error(f"unknown stage {args.stage!r}: must be one of {', '.join(stages)} (the blocks of cdk.json)")


def lab_argument(parser: OneLineParser, name: str) -> Lab:
    if not name.strip():
        allowed = ", ".join(lab.name for lab in LABS)
        parser.error(f"no lab named: pass LAB=<name> to make (--lab to the script), one of {allowed}")
    try:
        return lab_named(name)
    except LookupError as error:
        parser.error(str(error))


def preflight_from_args(
    args: Any,
    *,
    session: Any = None,
    ask: Ask = ask_terminal,
    runner: Runner = run_quietly,
    out: TextIO | None = None,
) -> int:
    lab: Lab = args.lab
    out = out or sys.stdout
    session = session or aws_session()
    print(f"Preflight: {lab.name} ({lab.stack_id}), stage {args.stage}", file=out)
    findings = run_preflight(
        lab,
        args.stage,
        session,
        lambda: synthesized_needs(lab, args.stage, args.assembly, runner),
        yes=args.yes,
        ask=ask,
        out=out,
        # Read after synthesized_needs, which synthesizes into cdk.out when no --assembly is given.
        # The deploy-day checks see the parameter values the deploy will pass (make deploy CDK_PARAMETERS=...).
        template_for=lambda: with_parameter_values(
            assembly.read_template(args.assembly or DEFAULT_ASSEMBLY, lab.stack_id), args.parameter
        ),
    )
    problems = sum(finding.level == "FAIL" for finding in findings)
    print("preflight passed" if not problems else f"preflight failed: {problems} problem(s) above", file=out)
    return 1 if problems else 0


def with_parameter_values(template: dict[str, Any], parameters: Sequence[str]) -> dict[str, Any]:
    """The template as CloudFormation resolves it with `Name=value` parameters passed at deploy.

    A passed value replaces the parameter's Default; for an `AWS::SSM::Parameter::Value<...>`
    parameter the value is the name of the SSM parameter CloudFormation reads
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
    """
    given = dict(parameter.split("=", 1) for parameter in parameters if "=" in parameter)
    declared = template.get("Parameters", {})
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ScriptError(f"--parameter {unknown[0]}: the stack has no such parameter; it has {', '.join(declared)}")
    merged = {name: {**spec, "Default": given[name]} if name in given else spec for name, spec in declared.items()}
    return {**template, "Parameters": merged}


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(prog="python -m scripts.sandbox.preflight", description=__doc__.splitlines()[0])
    add_preflight_arguments(parser)
    args = parser.parse_args(argv)
    lab_and_stage(parser, args)
    return args


def main(argv: Sequence[str] | None = None, *, session: Any = None, ask: Ask = ask_terminal) -> int:
    return preflight_from_args(parse_args(argv), session=session, ask=ask)


def _describe_stack(session: Any, region: str, name: str) -> dict[str, Any] | None:
    try:
        stacks = session.client("cloudformation", region_name=region).describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        if "does not exist" in _reason(error):
            return None
        raise
    return stacks[0] if stacks else None


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _reason(error: Exception) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Message", error))
    return str(error)


if __name__ == "__main__":
    raise SystemExit(run(main, None))
