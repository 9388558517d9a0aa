"""The Lambda entry points, end to end against moto: environment in, summary out, report published."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from ops_chores import chores, handler
from ops_chores.aws import Gateway
from ops_chores.logic import ConfigurationError, InvalidEventError
from tests.ops_automation.conftest import REGION, all_snapshots, make_snapshots, make_volumes


@pytest.fixture
def alert_inbox(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An alert topic (ALERT_TOPIC_ARN) with a queue subscribed, to read what the function publishes."""
    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic_arn = sns.create_topic(Name="OpsAlerts")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    monkeypatch.setenv("ALERT_TOPIC_ARN", topic_arn)

    def received() -> list[dict[str, Any]]:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(message["Body"]) for message in messages]

    return received


def test_the_snapshot_function_snapshots_and_publishes_its_summary(
    ec2: Any, alert_inbox: Any, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a live (not dry-run) function and two volumes to back up
    monkeypatch.setenv("DRY_RUN", "false")
    volumes = make_volumes(ec2, 2, {"Backup": "true"})

    # When the schedule invokes it
    result = handler.snapshot_handler({"scheduled_time": "2024-05-01T02:00:00Z"}, context)

    # Then it returns the summary, the snapshots exist, and the report reached the topic
    assert result["counts"] == {"done": 2, "skipped": 0, "failed": 0}
    assert result["date"] == "2024-05-01"
    assert sorted(tags["SourceVolume"] for tags in all_snapshots(ec2).values()) == sorted(volumes)
    [report] = alert_inbox()
    assert report["Subject"] == "[ops-automation] snapshot 2024-05-01: 2 done, ok"
    assert all(volume in report["Message"] for volume in volumes)


def test_the_function_is_a_dry_run_unless_configured_otherwise(
    ec2: Any, alert_inbox: Any, context: LambdaContext
) -> None:
    # Given no DRY_RUN setting at all
    make_volumes(ec2, 3, {"Backup": "true"})

    # When the function runs
    result = handler.snapshot_handler({}, context)

    # Then nothing was created and the report says it was a dry run
    assert result["dry_run"] is True
    assert all_snapshots(ec2) == {}
    [report] = alert_inbox()
    assert report["Subject"].endswith("3 done, ok (dry run)")


def test_failures_are_published_with_the_report(
    ec2: Any, alert_inbox: Any, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a cleanup function that EC2 refuses to let delete one snapshot
    monkeypatch.setenv("DRY_RUN", "false")
    monkeypatch.setenv("RETENTION_DAYS", "7")
    [volume] = make_volumes(ec2, 1)
    expired = make_snapshots(ec2, volume, 3, {"AutoCreated": "true"}, age_days=8)
    refused = expired[0]

    def refuse_one(params: dict[str, Any], **_: Any) -> None:
        if params["body"].get("SnapshotId") == refused:
            from botocore.exceptions import ClientError

            raise ClientError({"Error": {"Code": "InvalidSnapshot.InUse", "Message": "in use by ami-1"}}, "x")

    gateway = Gateway(ec2=ec2)
    ec2.meta.events.register("before-call.ec2.DeleteSnapshot", refuse_one)

    # When the cleanup runs
    result = handler.run_chore(
        lambda g, run, settings: chores.delete_expired_snapshots(g, run, settings.retention_days),
        {},
        gateway=gateway,
    )

    # Then the others are deleted and the failure is in the published report
    assert result["counts"] == {"done": 2, "skipped": 0, "failed": 1}
    assert list(all_snapshots(ec2)) == [refused]
    [report] = alert_inbox()
    assert "1 FAILED" in report["Subject"]
    assert f"{refused}: InvalidSnapshot.InUse: in use by ami-1" in report["Message"]


def test_the_stop_function_stops_office_hours_instances(
    ec2: Any, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRY_RUN", "false")
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Schedule", "Value": "office-hours"}]}]
    [instance] = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, TagSpecifications=tags)["Instances"]

    result = handler.stop_instances_handler({}, context)

    assert [item["item"] for item in result["done"]] == [instance["InstanceId"]]


def test_a_bad_environment_fails_the_invocation_with_one_line(
    aws: None, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "a month")
    with pytest.raises(ConfigurationError, match=r"^RETENTION_DAYS='a month' is not a whole number"):
        handler.cleanup_handler({}, context)


def test_a_bad_input_fails_the_invocation_with_one_line(aws: None, context: LambdaContext) -> None:
    with pytest.raises(InvalidEventError, match=r"^dry_run must be true or false$"):
        handler.snapshot_handler({"dry_run": "no"}, context)
