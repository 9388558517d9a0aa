"""The remediation's rules on the inputs `make mutate` found untested: a valid alert topic as the
stack sets it, and the rarer shapes of an event (wrong source only, odd ids, missing parts)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from guardduty_remediation import handler
from guardduty_remediation.finding import (
    FINDING_TYPE_PREFIX,
    ConfigurationError,
    IgnoredEventError,
    Settings,
    Target,
    instance_profile_name,
    parse_finding,
    policy_json,
    token_issue_cutoff,
)
from tests.security_baseline.conftest import REGION, load_event

ACCOUNT = "123456789012"
OUTSIDE = "finding_credential_exfiltration_outside_aws"
TOPIC = "arn:aws:sns:us-east-1:123456789012:SecurityAlerts"


def test_a_valid_alert_topic_is_kept() -> None:
    assert Settings.from_env({"ALERT_TOPIC_ARN": TOPIC}) == Settings(dry_run=True, alert_topic_arn=TOPIC)
    assert Settings.from_env({"ALERT_TOPIC_ARN": f"  {TOPIC} "}).alert_topic_arn == TOPIC
    assert Settings.from_env({"ALERT_TOPIC_ARN": "  "}).alert_topic_arn is None


def test_an_invalid_alert_topic_is_named_in_one_line() -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({"ALERT_TOPIC_ARN": "arn:aws:sqs:us-east-1:123456789012:q"})
    assert str(refused.value) == "ALERT_TOPIC_ARN='arn:aws:sqs:us-east-1:123456789012:q' is not an SNS topic ARN"


def test_the_deployed_function_publishes_its_dry_run_to_the_alert_topic(
    aws: None, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the function as the stack deploys it: DRY_RUN=true and ALERT_TOPIC_ARN, with a reader on the topic
    sns, sqs = boto3.client("sns", region_name=REGION), boto3.client("sqs", region_name=REGION)
    topic = sns.create_topic(Name="SecurityAlerts")["TopicArn"]
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    monkeypatch.setenv("DRY_RUN", "true")
    monkeypatch.setenv("ALERT_TOPIC_ARN", topic)

    # When the guide's finding arrives
    result = handler.lambda_handler(load_event(OUTSIDE), context)

    # Then the alert says what it would have done
    assert result["status"] == "dry_run"
    [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
    notification = json.loads(message["Body"])
    assert (
        notification["Subject"]
        == "[guardduty-remediation] would revoke (dry run) older sessions of role web-server-role"
    )
    assert "role_name: web-server-role" in notification["Message"]


def changed(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    event = copy.deepcopy(load_event(OUTSIDE))
    change(event)
    return event


NOT_GUARDDUTY = "not a GuardDuty finding event (source aws.guardduty, detail-type GuardDuty Finding)"


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        # Right detail-type, another source (anyone may put events with any detail-type on a bus).
        (changed(lambda e: e.update(source="my.app")), NOT_GUARDDUTY),
        (changed(lambda e: e.pop("source")), NOT_GUARDDUTY),
        (changed(lambda e: e.update({"detail-type": "GuardDuty Finding Updated"})), NOT_GUARDDUTY),
        (changed(lambda e: e["detail"].update(id="")), "the finding has no id"),
        (changed(lambda e: e["detail"].update(id=12345)), "the finding has no id"),
        (changed(lambda e: e["detail"].update(id=None)), "the finding has no id"),
        (changed(lambda e: e["detail"].update(type=None)), "finding type (missing) is not "),
        (changed(lambda e: e["detail"].update(type=7)), "finding type int is not "),
        (changed(lambda e: e["detail"].update(severity=True)), "the finding has no numeric severity"),
        (changed(lambda e: e["detail"].update(severity=float("nan"))), "the finding has no numeric severity"),
        (changed(lambda e: e["detail"].pop("accountId")), "the finding is for account (missing), not 123456789012"),
        (changed(lambda e: e.update(detail=[])), "the event has no detail object"),
    ],
)
def test_rarer_shapes_are_ignored_with_the_exact_reason(event: dict[str, Any], reason: str) -> None:
    with pytest.raises(IgnoredEventError) as raised:
        parse_finding(event, ACCOUNT)
    assert str(raised.value) == reason or (reason.endswith(" ") and str(raised.value).startswith(reason))


def test_a_finding_without_access_key_details_is_remediated_through_the_instance_profile() -> None:
    event = copy.deepcopy(load_event("finding_credential_exfiltration_instance_profile_only"))
    del event["detail"]["resource"]["accessKeyDetails"]
    target = parse_finding(event, ACCOUNT)
    assert (target.role_name, target.instance_profile_arn) == (
        None,
        "arn:aws:iam::123456789012:instance-profile/web-server-profile",
    )


def test_an_instance_profile_without_arn_leaves_the_role_name() -> None:
    # GuardDuty's instanceDetails, with the profile's id but no arn
    details = {"instanceId": "i-0a1b2c3d4e5f67890", "iamInstanceProfile": {"id": "AIPAEXAMPLEPROFILE123"}}
    event = changed(lambda e: e["detail"]["resource"].update(instanceDetails=details))
    assert parse_finding(event, ACCOUNT) == Target(
        finding_id=event["detail"]["id"],
        finding_type="UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
        severity=8.0,
        role_name="web-server-role",
        instance_profile_arn=None,
    )


def test_neither_access_key_details_nor_an_instance_profile_arn_names_no_role() -> None:
    event = copy.deepcopy(load_event("finding_credential_exfiltration_instance_profile_only"))
    resource = event["detail"]["resource"]
    del resource["accessKeyDetails"]
    del resource["instanceDetails"]["iamInstanceProfile"]["arn"]
    with pytest.raises(IgnoredEventError) as raised:
        parse_finding(event, ACCOUNT)
    assert str(raised.value) == "the finding names no role: no AssumedRole user name and no instance profile"


@pytest.mark.parametrize("service", [None, "n/a"])
def test_a_finding_without_service_details_is_still_a_finding(service: Any) -> None:
    # service (archived, additionalInfo) is optional to the rules: only its flags can ignore a finding.
    event = changed(lambda e: e["detail"].update(service=service))
    assert parse_finding(event, ACCOUNT).role_name == "web-server-role"


@pytest.mark.parametrize(
    ("type_name", "shown"),
    [
        ("T" * 78, "'" + "T" * 78 + "'"),  # 80 characters quoted: shown whole
        ("T" * 79, "'" + "T" * 76 + "..."),  # 81: cut to 77 and an ellipsis
    ],
)
def test_a_field_is_shown_in_at_most_80_characters(type_name: str, shown: str) -> None:
    with pytest.raises(IgnoredEventError) as raised:
        parse_finding(changed(lambda e: e["detail"].update(type=type_name)), ACCOUNT)
    assert str(raised.value) == f"finding type {shown} is not {FINDING_TYPE_PREFIX}*"


def test_a_malformed_instance_profile_arn_is_named() -> None:
    event = copy.deepcopy(load_event("finding_credential_exfiltration_instance_profile_only"))
    event["detail"]["resource"]["instanceDetails"]["iamInstanceProfile"]["arn"] = "arn:aws:iam::123456789012:role/web"
    with pytest.raises(IgnoredEventError) as raised:
        parse_finding(event, ACCOUNT)
    assert str(raised.value) == "instanceDetails.iamInstanceProfile.arn is not an instance profile ARN"
    with pytest.raises(IgnoredEventError) as raised:
        instance_profile_name("arn:aws:iam::123456789012:role/web")
    assert str(raised.value) == "the instance profile ARN is malformed"


@pytest.mark.parametrize(
    ("microsecond", "cutoff"),
    [
        (123_600, "2024-05-01T09:00:00.124Z"),  # 400 us to the next millisecond, not 1600
        (123_001, "2024-05-01T09:00:00.124Z"),
        (123_999, "2024-05-01T09:00:00.124Z"),
    ],
)
def test_the_cutoff_is_the_next_millisecond(microsecond: int, cutoff: str) -> None:
    assert token_issue_cutoff(datetime(2024, 5, 1, 9, 0, 0, microsecond, tzinfo=UTC)) == cutoff


@pytest.mark.usefixtures("local_time_zone")
def test_the_cutoff_is_utc_whatever_the_machine_s_time_zone() -> None:
    assert token_issue_cutoff(datetime(2024, 5, 1, 9, 0, tzinfo=UTC)) == "2024-05-01T09:00:00.000Z"


def test_the_policy_is_sent_as_compact_json() -> None:
    assert policy_json({"Version": "2012-10-17", "Statement": [{"Effect": "Deny"}]}) == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Deny"}]}'
    )
