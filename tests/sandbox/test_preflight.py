"""The preflight against a moto account: each check's pass and its one-line failure."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

from scripts.sandbox import lab_cost, preflight
from scripts.sandbox.lab_cost import monthly_lines
from scripts.stack_outputs import ScriptError
from stacks.cost_model import PriceMissingError, total
from stacks.labs import LABS, lab_named
from tests.harness import SynthesizedStage
from tests.sandbox.conftest import REGION
from tests.sandbox.deployed import bootstrap, create_stack

ACCOUNT = "123456789012"  # moto's default account
ALLOWED = ", ".join(lab.name for lab in LABS)
REPO_ROOT = Path(__file__).resolve().parents[2]


def run_preflight(
    session: Any,
    assembly_dir: Path,
    *args: str,
    answer: str | None = None,
) -> tuple[int, str]:
    """Runs the preflight in-process with a synthesized assembly; returns (exit code, output)."""
    out = io.StringIO()
    parsed = preflight.parse_args([*args, "--assembly", str(assembly_dir)])
    code = preflight.preflight_from_args(parsed, session=session, ask=lambda prompt: answer, out=out)
    return code, out.getvalue()


@pytest.fixture
def assembly_dir(sandbox: SynthesizedStage) -> Path:
    return sandbox.outdir


@pytest.fixture
def billing_alarm_deployed(aws: Any) -> None:
    create_stack(aws, "us-east-1", "BillingAlarm")


def test_a_bootstrapped_account_passes_with_account_region_and_versions(
    aws: Any, assembly_dir: Path, billing_alarm_deployed: None
) -> None:
    # Given an account bootstrapped (version 30) in the default region, with the billing alarm deployed
    bootstrap(aws, REGION, 30)
    # When the queue-worker lab's preflight runs
    code, out = run_preflight(aws, assembly_dir, "--lab", "queue-worker")
    # Then every check passes and names the account, region and versions
    assert code == 0, out
    assert f"(account {ACCOUNT})" in out
    assert f"region: {REGION}" in out
    assert "CDK bootstrap: version 30 in eu-west-1 (needs 6 or newer)" in out
    assert "QueueWorker is not deployed yet" in out
    assert "FAIL" not in out
    assert out.rstrip().endswith("preflight passed")


def test_an_account_without_bootstrap_is_told_the_bootstrap_command(
    aws: Any, assembly_dir: Path, billing_alarm_deployed: None
) -> None:
    code, out = run_preflight(aws, assembly_dir, "--lab", "queue-worker")
    assert code == 1
    [line] = [line for line in out.splitlines() if "FAIL" in line]
    assert f"not bootstrapped for the CDK: run npx cdk bootstrap aws://{ACCOUNT}/{REGION}" in line
    assert out.rstrip().endswith("preflight failed: 1 problem(s) above")


def test_a_bootstrap_older_than_the_assembly_needs_fails(
    aws: Any, assembly_dir: Path, billing_alarm_deployed: None
) -> None:
    bootstrap(aws, REGION, 5)
    code, out = run_preflight(aws, assembly_dir, "--lab", "three-tier")
    assert code == 1
    assert "CDK bootstrap version 5 in eu-west-1 is older than the 6 this CDK needs: run npx cdk bootstrap" in out


def test_the_bootstrap_stack_output_is_read_when_the_parameter_is_missing(
    aws: Any, assembly_dir: Path, billing_alarm_deployed: None
) -> None:
    create_stack(aws, REGION, "CDKToolkit", outputs={"BootstrapVersion": "21"})
    code, out = run_preflight(aws, assembly_dir, "--lab", "queue-worker")
    assert code == 0, out
    assert "CDK bootstrap: version 21 in eu-west-1" in out


def test_a_missing_billing_alarm_is_a_warning_not_a_failure(aws: Any, assembly_dir: Path) -> None:
    bootstrap(aws, REGION)
    code, out = run_preflight(aws, assembly_dir, "--lab", "three-tier")
    assert code == 0, out
    [warning] = [line for line in out.splitlines() if "warn" in line]
    assert "the billing-alarm lab is not deployed in account 123456789012 (us-east-1): deploy it first" in warning
    assert "make deploy LAB=billing-alarm" in warning


def test_billing_alarm_is_checked_in_its_pinned_region_not_the_default_one(aws: Any, assembly_dir: Path) -> None:
    # Given a bootstrap in us-east-1 only, and a default region of eu-west-1
    bootstrap(aws, "us-east-1", 28)
    code, out = run_preflight(aws, assembly_dir, "--lab", "billing-alarm")
    # Then the lab's pinned region is used, and said to override the default
    assert code == 0, out
    assert "region: us-east-1 (pinned by the lab; your default region, eu-west-1, does not apply)" in out
    assert "CDK bootstrap: version 28 in us-east-1" in out
    assert "warn" not in out, "the billing-alarm lab does not warn about itself"


def test_an_assembly_that_moved_the_pinned_region_fails(aws: Any, tmp_path: Path) -> None:
    manifest = {
        "artifacts": {
            "BillingAlarm": {
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/eu-west-1",
                "properties": {"requiresBootstrapStackVersion": 6},
            }
        }
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    code, out = run_preflight(aws, tmp_path, "--lab", "billing-alarm")
    assert code == 1
    assert "BillingAlarm is synthesized for eu-west-1 but billing-alarm must deploy to us-east-1" in out


@pytest.mark.parametrize(
    ("answer", "passes", "expected"),
    [
        ("yes", True, "stage prod (about {usd:.2f} USD a month) confirmed"),
        ("n", False, "stage prod not confirmed: nothing deployed"),
        (None, False, "no terminal to confirm on: pass --yes"),
    ],
)
def test_prod_shows_the_monthly_cost_and_needs_a_confirmation(
    aws: Any, assembly_dir: Path, billing_alarm_deployed: None, answer: str | None, passes: bool, expected: str
) -> None:
    bootstrap(aws, REGION)
    code, out = run_preflight(aws, assembly_dir, "--lab", "three-tier", "--stage", "prod", answer=answer)
    lines = monthly_lines(lab_named("three-tier"), "prod")
    assert all(line.item in out for line in lines), "the cost model's lines are shown"
    assert expected.format(usd=total(lines)) in out
    assert (code == 0) is passes


def test_yes_confirms_prod_without_asking(aws: Any, assembly_dir: Path, billing_alarm_deployed: None) -> None:
    bootstrap(aws, REGION)
    code, out = run_preflight(aws, assembly_dir, "--lab", "queue-worker", "--stage", "prod", "--yes")
    assert code == 0, out
    assert "confirmed with --yes" in out


def test_the_sandbox_stage_asks_nothing(aws: Any, assembly_dir: Path, billing_alarm_deployed: None) -> None:
    bootstrap(aws, REGION)
    code, out = run_preflight(aws, assembly_dir, "--lab", "queue-worker", answer="n")
    assert code == 0
    assert "USD" not in out


def test_no_credentials_is_one_line_saying_how_to_get_them(
    aws: Any, assembly_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, out = run_preflight(boto3.Session(region_name=REGION), assembly_dir, "--lab", "queue-worker")
    assert code == 1
    assert "FAIL  no AWS credentials found: run `aws configure` or `aws sso login`, or set AWS_PROFILE" in out
    assert "bootstrap" not in out, "later checks do not pile up on a missing credential"


def test_no_region_is_one_line(aws: Any, assembly_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    code, out = run_preflight(boto3.Session(), assembly_dir, "--lab", "queue-worker")
    assert code == 1
    assert "FAIL  no AWS region configured: set AWS_REGION" in out


class StackInState:
    """A CloudFormation client whose lab stack is in `status`."""

    def __init__(self, status: str) -> None:
        self.status = status

    def describe_stacks(self, StackName: str) -> dict[str, Any]:  # noqa: N803 - boto3's parameter name
        return {"Stacks": [{"StackName": StackName, "StackStatus": self.status}]}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("ROLLBACK_COMPLETE", "QueueWorker is ROLLBACK_COMPLETE and cannot be updated: make destroy LAB=queue-worker"),
        ("UPDATE_IN_PROGRESS", "QueueWorker is UPDATE_IN_PROGRESS: wait until CloudFormation finishes"),
        # ContinueUpdateRollback is the way out of UPDATE_ROLLBACK_FAILED; waiting or deleting is not
        # (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ContinueUpdateRollback.html).
        (
            "UPDATE_ROLLBACK_FAILED",
            "QueueWorker is UPDATE_ROLLBACK_FAILED and cannot be updated: run aws cloudformation "
            "continue-update-rollback --stack-name QueueWorker --region eu-west-1 (skip what its events say "
            "cannot roll back with --resources-to-skip)",
        ),
        (
            "IMPORT_ROLLBACK_FAILED",
            "QueueWorker is IMPORT_ROLLBACK_FAILED and cannot be updated: make destroy LAB=queue-worker",
        ),
    ],
)
def test_a_stack_that_cannot_be_updated_fails(status: str, expected: str) -> None:
    class Session:
        def client(self, name: str, region_name: str) -> StackInState:
            return StackInState(status)

    pre = preflight.Preflight(
        lab=lab_named("queue-worker"), stage="sandbox", session=Session(), findings=[], region=REGION
    )
    preflight.check_stack_state(pre)
    assert [(finding.level, finding.text.split(", then")[0]) for finding in pre.findings] == [("FAIL", expected)]


def test_a_stack_whose_change_set_was_never_executed_is_a_first_deploy_not_a_wait() -> None:
    # REVIEW_IN_PROGRESS: a CREATE change set made and never executed; the stack stays so until
    # someone executes or deletes it, and the CDK CLI deploys it as a new stack (aws-cdk #23230, #7731;
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html).
    class Session:
        def client(self, name: str, region_name: str) -> StackInState:
            return StackInState("REVIEW_IN_PROGRESS")

    pre = preflight.Preflight(
        lab=lab_named("queue-worker"), stage="sandbox", session=Session(), findings=[], region=REGION
    )
    preflight.check_stack_state(pre)
    [finding] = pre.findings
    assert finding.level == "info"
    assert "never executed" in finding.text
    assert "the deploy creates the stack" in finding.text


def run_module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.sandbox.preflight", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "AWS_DEFAULT_REGION": REGION, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_as_a_process_without_a_terminal_prod_is_refused_in_one_line(
    moto_server: tuple[str, Any], assembly_dir: Path
) -> None:
    # Given a bootstrapped account behind AWS_ENDPOINT_URL, and no terminal on stdin
    _, session = moto_server
    bootstrap(session, REGION)
    create_stack(session, "us-east-1", "BillingAlarm")
    # fanout: its template asks nothing of the region that a moto server cannot answer (moto has no
    # orderable RDS options for MySQL, and a process cannot be given tests/sandbox/published.py's hooks)
    result = run_module("--lab", "fanout", "--stage", "prod", "--assembly", str(assembly_dir))
    # Then the preflight refuses, with one line saying how to confirm
    assert result.returncode == 1, result.stdout + result.stderr
    [refusal] = [line for line in result.stdout.splitlines() if "FAIL" in line]
    assert "pass --yes (make deploy ... YES=1) to confirm" in refusal
    assert f"credentials: arn:aws:sts::{ACCOUNT}:user/moto" in result.stdout
    assert result.stderr == ""


def test_help_and_a_bad_lab(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        preflight.main(["--help"])
    assert raised.value.code == 0
    assert "--yes" in capsys.readouterr().out
    with pytest.raises(SystemExit) as raised:
        preflight.main(["--lab", "nope"])
    assert raised.value.code == 2
    assert capsys.readouterr().err == f"error: unknown lab 'nope': must be one of {ALLOWED} (see --help)\n"


def test_an_empty_lab_says_how_to_name_one(capsys: pytest.CaptureFixture[str]) -> None:
    # `make preflight` without LAB=... passes --lab ""
    with pytest.raises(SystemExit):
        preflight.main(["--lab", ""])
    assert capsys.readouterr().err == (
        f"error: no lab named: pass LAB=<name> to make (--lab to the script), one of {ALLOWED} (see --help)\n"
    )


def test_an_unknown_stage_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        preflight.main(["--lab", "queue-worker", "--stage", "staging"])
    assert raised.value.code == 2
    assert capsys.readouterr().err == (
        "error: unknown stage 'staging': must be one of sandbox, prod, local (the blocks of cdk.json) (see --help)\n"
    )


def test_a_stage_that_cannot_be_priced_is_not_confirmed(
    aws: Any, assembly_dir: Path, billing_alarm_deployed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_price(lab: Any, stage: str) -> list[Any]:
        raise PriceMissingError("no EC2 price for t9.huge: add it to stacks/three_tier/cost.py")

    bootstrap(aws, REGION)
    monkeypatch.setattr(lab_cost, "monthly_lines", no_price)
    code, out = run_preflight(aws, assembly_dir, "--lab", "three-tier", "--stage", "prod", "--yes")
    assert code == 1
    assert "FAIL  stage prod cannot be priced, so it cannot be confirmed: no EC2 price for t9.huge" in out


def readme_samples() -> list[list[str]]:
    """The preflight's sample output in the docs (README.md, pages under docs/), line by line, each page's."""
    pages = [REPO_ROOT / "README.md", *(REPO_ROOT / "docs").rglob("*.md")]
    start = "```\nPreflight: queue-worker (QueueWorker), stage sandbox\n"
    samples = []
    for text in (page.read_text() for page in pages):
        if start in text:
            block = text[text.index(start) + 4 :]
            samples.append(block[: block.index("```")].rstrip("\n").splitlines())
    assert samples, "the docs' preflight sample is gone: this test compares the preflight with it"
    return samples


def fake_npx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, code: int) -> None:
    """An `npx` first on PATH that prints what a synth prints (warnings on both streams) and exits with `code`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npx = bin_dir / "npx"
    npx.write_text(
        "#!/bin/sh\n"
        'for i in 1 2 3 4 5 6 7; do echo "WARNING synth notice $i"; echo "[Warning at /Lab/Part] $i" >&2; done\n'
        f"exit {code}\n"
    )
    npx.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_the_synth_runs_quietly_and_the_report_is_the_readme_s(
    aws: Any,
    sandbox: SynthesizedStage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    # Given the README's account: bootstrapped (version 30), no billing alarm, and a synth that prints warnings
    bootstrap(aws, REGION, 30)
    fake_npx(tmp_path, monkeypatch, code=0)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cdk.out").symlink_to(sandbox.outdir)
    out = io.StringIO()
    # When the preflight synthesizes the stage itself (no --assembly), as `make preflight` does
    code = preflight.preflight_from_args(preflight.parse_args(["--lab", "queue-worker"]), session=aws, out=out)
    # Then its report is the README's sample, line for line, and the synth printed nothing
    assert code == 0
    for sample in readme_samples():
        assert out.getvalue().splitlines() == [line.replace("user/me", "user/moto") for line in sample]
    assert capfd.readouterr() == ("", "")


def test_a_failed_synth_shows_what_it_printed(
    aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    bootstrap(aws, REGION)
    fake_npx(tmp_path, monkeypatch, code=1)
    with pytest.raises(ScriptError, match="cdk synth failed for stage sandbox: fix the error above"):
        preflight.preflight_from_args(preflight.parse_args(["--lab", "queue-worker"]), session=aws, out=io.StringIO())
    err = capfd.readouterr().err
    assert "$ npx cdk synth --quiet -c stage=sandbox\n" in err
    assert "WARNING synth notice 7" in err
    assert "[Warning at /Lab/Part] 7" in err


def test_the_deploy_day_checks_run_on_the_labs_synthesized_template(
    aws: Any, assembly_dir: Path, billing_alarm_deployed: None
) -> None:
    # Given a region that already has a GuardDuty detector (one per account and region: prod's is
    # retained on destroy), https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html
    bootstrap(aws, REGION)
    detector = aws.client("guardduty").create_detector(Enable=True)["DetectorId"]
    # When the security-baseline preflight runs (the sandbox creates its own detector)
    code, out = run_preflight(aws, assembly_dir, "--lab", "security-baseline")
    # Then it fails before any deploy, naming the setting that uses the existing detector
    assert code == 1
    [failure] = [line for line in out.splitlines() if "FAIL" in line]
    assert f'existing_detector_id to "{detector}"' in failure
    assert f"the 1 SSM parameter(s) the template resolves exist in {REGION}" in out
