"""The ops-automation verify step against a moto 'deployment': a function, its schedules, EC2.

moto's Lambda cannot run code without Docker; its Docker-free backend answers an invoke
with whatever the test queued. The queued answer is the real handler's summary, computed
by running the snapshot chore against moto's EC2, so the check reads what the deployed
function would return.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.awslambda_simple.models import lambda_simple_backends
from moto.core.models import DEFAULT_ACCOUNT_ID

from ops_chores import chores
from ops_chores.aws import Gateway
from ops_chores.handler import run_chore
from scripts.ops_automation.verify import run_checks
from scripts.sandbox.checks import CheckResult, Waiter
from tests.ops_automation.conftest import REGION, make_volumes

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "x"}, "Action": "*"}]}


@pytest.fixture
def session(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[Any]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    with mock_aws(config={"lambda": {"use_docker": False}}):
        yield boto3.Session(region_name=REGION)


@pytest.fixture
def deployed(session: Any) -> dict[str, str]:
    """The outputs of a stack with the snapshot function and two enabled schedules."""
    role = session.client("iam").create_role(RoleName="chores", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    function = session.client("lambda").create_function(
        FunctionName="OpsAutomation-Snapshot",
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="ops_chores.handler.snapshot_handler",
        Code={"ZipFile": b"not run by moto's Docker-free backend"},
    )
    scheduler = session.client("scheduler")
    for name, expression in (("Snapshot", "cron(0 2 * * ? *)"), ("Cleanup", "cron(30 2 * * ? *)")):
        scheduler.create_schedule(
            Name=f"OpsAutomation-{name}",
            ScheduleExpression=expression,
            ScheduleExpressionTimezone="Europe/Berlin",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={"Arn": function["FunctionArn"], "RoleArn": role["Arn"]},
            State="ENABLED",
        )
    return {
        "SnapshotFunctionName": "OpsAutomation-Snapshot",
        "SnapshotScheduleName": "OpsAutomation-Snapshot",
        "CleanupScheduleName": "OpsAutomation-Cleanup",
    }


def function_answers(summary: dict[str, Any]) -> None:
    """Queues `summary` as moto's answer to the next invoke."""
    lambda_simple_backends[DEFAULT_ACCOUNT_ID][REGION].lambda_simple_results_queue.append(json.dumps(summary))


def dry_run_summary(ec2: Any) -> dict[str, Any]:
    """What the deployed snapshot function returns for {"dry_run": true}: the real handler, on moto's EC2."""
    return run_chore(
        lambda g, run, _: chores.snapshot_volumes(g, run), {"dry_run": True}, gateway=Gateway(ec2=ec2), env={}
    )


def verify(session: Any, outputs: dict[str, str]) -> dict[str, CheckResult]:
    return {result.name: result for result in run_checks(session, outputs, "sandbox", Waiter(out=io.StringIO()))}


def test_a_working_deployment_passes_every_check(session: Any, deployed: dict[str, str]) -> None:
    # Given two volumes to back up and the function's real dry-run answer
    ec2 = session.client("ec2")
    make_volumes(ec2, 2, {"Backup": "true"})
    function_answers(dry_run_summary(ec2))

    # When verify runs
    results = verify(session, deployed)

    # Then every check passes, and the details say what was seen
    assert {name: result.passed for name, result in results.items()} == {
        "snapshot function: dry run is clean": True,
        "schedule CleanupScheduleName: enabled": True,
        "schedule SnapshotScheduleName: enabled": True,
    }
    assert "would snapshot 2 volume(s)" in results["snapshot function: dry run is clean"].detail
    assert results["schedule SnapshotScheduleName: enabled"].detail == (
        "cron(0 2 * * ? *) (Europe/Berlin) -> OpsAutomation-Snapshot"
    )
    # and nothing was snapshotted
    assert ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] == []


def test_a_dry_run_that_ec2_refuses_fails_the_check_with_the_reason(session: Any, deployed: dict[str, str]) -> None:
    # Given EC2 would refuse CreateSnapshot (as it does when the role's tag conditions do not allow it)
    ec2 = session.client("ec2")
    [volume] = make_volumes(ec2, 1, {"Backup": "true"})

    def refuse(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "not authorized"}}, "CreateSnapshot")

    ec2.meta.events.register("before-call.ec2.CreateSnapshot", refuse)
    function_answers(dry_run_summary(ec2))

    # When verify runs, then the function's check fails naming the volume and EC2's answer
    result = verify(session, deployed)["snapshot function: dry run is clean"]
    assert not result.passed
    assert result.detail == f"AssertionError: 1 failure(s), first: {volume}: UnauthorizedOperation: not authorized"


def test_a_function_that_is_not_the_snapshot_chore_fails_the_check(session: Any, deployed: dict[str, str]) -> None:
    # Given nothing queued: moto's function echoes its input, as a wrong function would answer
    result = verify(session, deployed)["snapshot function: dry run is clean"]
    assert not result.passed
    assert result.detail.startswith('ScriptError: the function returned no chore summary: {"dry_run": true}')


def test_a_live_run_is_not_accepted_as_a_dry_run(session: Any, deployed: dict[str, str]) -> None:
    summary = dry_run_summary(session.client("ec2"))
    function_answers(summary | {"dry_run": False})
    result = verify(session, deployed)["snapshot function: dry run is clean"]
    assert (result.passed, result.detail) == (False, "AssertionError: the function did not run as a dry run")


def test_a_disabled_schedule_fails_its_check(session: Any, deployed: dict[str, str]) -> None:
    # Given the cleanup schedule was disabled by hand
    scheduler = session.client("scheduler")
    schedule = scheduler.get_schedule(Name="OpsAutomation-Cleanup")
    scheduler.update_schedule(
        Name="OpsAutomation-Cleanup",
        ScheduleExpression=schedule["ScheduleExpression"],
        FlexibleTimeWindow={"Mode": "OFF"},
        Target=schedule["Target"],
        State="DISABLED",
    )

    # When verify runs, then that schedule's check fails, the other one passes
    results = verify(session, deployed)
    assert results["schedule CleanupScheduleName: enabled"].detail == (
        "AssertionError: schedule OpsAutomation-Cleanup is DISABLED, not ENABLED"
    )
    assert results["schedule SnapshotScheduleName: enabled"].passed


def test_missing_outputs_are_failed_checks_not_exceptions(session: Any) -> None:
    results = verify(session, {})
    assert {name: (r.passed, r.detail) for name, r in results.items()} == {
        "snapshot function: dry run is clean": (False, "AssertionError: the stack has no output SnapshotFunctionName"),
        "schedules": (False, "the stack has no output ending in ScheduleName"),
    }
