"""run_chore against a moto 'deployment': stack outputs, the function, the report it prints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.awslambda_simple.models import lambda_simple_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from ops_chores import chores
from ops_chores.aws import Gateway
from ops_chores.handler import run_chore
from scripts.ops_automation import run_chore as script
from scripts.stack_outputs import run
from tests.ops_automation.conftest import REGION, make_volumes

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "x"}, "Action": "*"}]}


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[Any]:
    """A stack OpsAutomation whose outputs name a snapshot function (no stop chore, like the sandbox)."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    with mock_aws(config={"lambda": {"use_docker": False}}):
        session = boto3.Session(region_name=REGION)
        role = session.client("iam").create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
        session.client("lambda").create_function(
            FunctionName="OpsAutomation-Snapshot",
            Runtime="python3.12",
            Role=role["Arn"],
            Handler="ops_chores.handler.snapshot_handler",
            Code={"ZipFile": b"not run"},
        )
        template = {
            "Resources": {"Alerts": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"SnapshotFunctionName": {"Value": "OpsAutomation-Snapshot"}},
        }
        session.client("cloudformation").create_stack(StackName="OpsAutomation", TemplateBody=json.dumps(template))
        yield session


def answers(summary: dict[str, Any]) -> None:
    lambda_simple_backends[DEFAULT_ACCOUNT_ID][REGION].lambda_simple_results_queue.append(json.dumps(summary))


def test_it_prints_the_dry_run_report(deployed: Any, capsys: pytest.CaptureFixture[str]) -> None:
    ec2 = deployed.client("ec2")
    [volume] = make_volumes(ec2, 1, {"Backup": "true"})
    answers(
        run_chore(lambda g, r, _: chores.snapshot_volumes(g, r), {"dry_run": True}, gateway=Gateway(ec2=ec2), env={})
    )

    assert run(script.main, ["--chore", "snapshot"]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(": 1 done, 0 skipped, 0 failed (dry run)")
    assert out[1] == f"  done    {volume}: would create a snapshot (dry run)"


def test_without_live_it_asks_for_a_dry_run_and_with_live_it_does_not(
    deployed: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing queued: moto's function echoes its input, which the error message shows.
    assert run(script.main, ["--chore", "snapshot"]) == 1
    assert capsys.readouterr().err == 'error: the function returned no chore summary: {"dry_run": true}\n'
    assert run(script.main, ["--chore", "snapshot", "--live"]) == 1
    assert capsys.readouterr().err == "error: the function returned no chore summary: {}\n"


def test_failures_make_the_exit_code_1(deployed: Any, capsys: pytest.CaptureFixture[str]) -> None:
    summary = {
        "chore": "snapshot",
        "dry_run": False,
        "date": "2024-05-01",
        "counts": {"done": 0, "skipped": 0, "failed": 1},
        "done": [],
        "skipped": [],
        "failures": [{"item": "vol-1", "detail": "UnauthorizedOperation: not authorized"}],
    }
    answers(summary)
    assert run(script.main, ["--chore", "snapshot", "--live"]) == 1
    assert "  failed  vol-1: UnauthorizedOperation: not authorized" in capsys.readouterr().out


def test_a_stage_without_the_stop_chore_says_so(deployed: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(script.main, ["--chore", "stop-instances"]) == 1
    assert capsys.readouterr().err.startswith("error: this stage has no stop-instances chore")


def test_an_unknown_chore_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        script.main(["--chore", "backup-rds"])
    assert exit_info.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: argument --chore: invalid choice: 'backup-rds'")
