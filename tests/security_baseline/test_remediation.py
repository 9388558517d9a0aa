"""The remediation function against moto IAM, with the sample finding events.

moto stores and validates the inline policy; it does not evaluate aws:TokenIssueTime
(its IAM checks only sts:ExternalId conditions), so what is asserted here is the policy
attached to the right role, and test_finding.py asserts its condition.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from guardduty_remediation import handler
from guardduty_remediation.aws import Gateway
from guardduty_remediation.finding import Settings
from stacks.security_baseline import remediation_policy
from tests.security_baseline.conftest import REGION, load_event

ACCOUNT = "123456789012"
OUTSIDE = "finding_credential_exfiltration_outside_aws"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@pytest.fixture
def iam(aws: None) -> Any:
    client = boto3.client("iam", region_name=REGION)
    client.create_role(RoleName="web-server-role", AssumeRolePolicyDocument=json.dumps(TRUST))
    return client


def inline_policies(iam: Any, role: str = "web-server-role") -> dict[str, Any]:
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    return {name: iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"] for name in names}


def cutoff_of(document: Any) -> datetime:
    if isinstance(document, str):
        document = json.loads(document)
    [statement] = document["Statement"]
    assert (statement["Effect"], statement["Action"], statement["Resource"]) == ("Deny", ["*"], ["*"])
    value = statement["Condition"]["DateLessThan"]["aws:TokenIssueTime"]
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_by_default_it_only_logs_what_it_would_do(
    iam: Any, context: LambdaContext, caplog: pytest.LogCaptureFixture
) -> None:
    # Given the function with no DRY_RUN setting (the stack's default)
    # When the guide's finding arrives
    result = handler.lambda_handler(load_event(OUTSIDE), context)

    # Then the role is untouched, and the log says which policy it would have attached to which role
    assert inline_policies(iam) == {}
    assert result["status"] == "dry_run"
    assert result["role_name"] == "web-server-role"
    [entry] = [record for record in caplog.records if record.getMessage().startswith("dry run")]
    assert entry.levelname == "WARNING"
    assert entry.role_name == "web-server-role"  # type: ignore[attr-defined]
    assert entry.policy == result["policy"]  # type: ignore[attr-defined]


def test_when_enabled_it_denies_the_roles_sessions_issued_before_now(
    iam: Any, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the function with remediation on
    monkeypatch.setenv("DRY_RUN", "false")
    before = datetime.now(UTC)

    # When the guide's finding arrives
    result = handler.lambda_handler(load_event(OUTSIDE), context)
    after = datetime.now(UTC)

    # Then the role carries the AWSRevokeOlderSessions deny, cut off at the moment of remediation
    assert result["status"] == "remediated"
    policies = inline_policies(iam)
    assert list(policies) == ["AWSRevokeOlderSessions"]
    cutoff = cutoff_of(policies["AWSRevokeOlderSessions"])
    # (rounded up to the millisecond, so at most 1 ms after the call returned)
    assert before <= cutoff
    assert (cutoff - after).total_seconds() < 0.001


def test_a_later_finding_moves_the_cutoff_instead_of_adding_policies(iam: Any) -> None:
    # Given a role remediated at 09:00
    gateway, settings = Gateway(iam=iam), Settings(dry_run=False)
    first = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    handler.remediate(load_event(OUTSIDE), account_id=ACCOUNT, settings=settings, gateway=gateway, now=first)

    # When the finding is updated and arrives again at 15:00
    later = datetime(2024, 5, 1, 15, 0, tzinfo=UTC)
    handler.remediate(load_event(OUTSIDE), account_id=ACCOUNT, settings=settings, gateway=gateway, now=later)

    # Then there is still one policy, with the later cutoff
    policies = inline_policies(iam)
    assert list(policies) == ["AWSRevokeOlderSessions"]
    assert cutoff_of(policies["AWSRevokeOlderSessions"]) == later


def test_the_role_is_found_through_the_instance_profile(iam: Any) -> None:
    # Given the instance profile web-server-profile holding the role
    iam.create_instance_profile(InstanceProfileName="web-server-profile")
    iam.add_role_to_instance_profile(InstanceProfileName="web-server-profile", RoleName="web-server-role")

    # When a finding that names only the instance profile arrives
    result = handler.remediate(
        load_event("finding_credential_exfiltration_instance_profile_only"),
        account_id=ACCOUNT,
        settings=Settings(dry_run=False),
        gateway=Gateway(iam=iam),
    )

    # Then the profile's role is remediated
    assert result["status"] == "remediated"
    assert list(inline_policies(iam)) == ["AWSRevokeOlderSessions"]


@pytest.mark.parametrize(
    "name",
    ["not_a_finding", "finding_other_type", "finding_sample", "finding_member_account", "finding_iam_user_keys"],
)
def test_other_events_change_nothing_and_are_logged_as_ignored(
    iam: Any, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Given remediation is on
    # When an event it must not act on arrives
    result = handler.remediate(
        load_event(name), account_id=ACCOUNT, settings=Settings(dry_run=False), gateway=Gateway(iam=iam)
    )

    # Then no role changed, and one warning names the reason
    assert inline_policies(iam) == {}
    assert result["status"] == "ignored"
    [entry] = caplog.records
    assert (entry.levelname, entry.getMessage()) == ("WARNING", "event ignored")
    assert entry.reason == result["reason"]  # type: ignore[attr-defined]


def test_a_role_that_no_longer_exists_is_a_reported_failure_not_a_retry(aws: None) -> None:
    # Given the finding's role was deleted in the meantime, and an alert topic with a reader
    sns, sqs = boto3.client("sns", region_name=REGION), boto3.client("sqs", region_name=REGION)
    topic = sns.create_topic(Name="SecurityAlerts")["TopicArn"]
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)

    # When the finding arrives
    result = handler.remediate(
        load_event(OUTSIDE),
        account_id=ACCOUNT,
        settings=Settings(dry_run=False, alert_topic_arn=topic),
        gateway=Gateway(iam=boto3.client("iam", region_name=REGION), sns=sns),
    )

    # Then the result says it failed and why, and the alert topic hears of it
    assert result["status"] == "failed"
    assert result["reason"].startswith("NoSuchEntity")
    [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
    assert json.loads(message["Body"])["Subject"] == (
        "[guardduty-remediation] FAILED to revoke older sessions of role web-server-role"
    )


def subscribed_topic() -> tuple[Any, str, Any, str]:
    """An alert topic with a queue that reads it: (sns, topic ARN, sqs, queue URL)."""
    sns, sqs = boto3.client("sns", region_name=REGION), boto3.client("sqs", region_name=REGION)
    topic = sns.create_topic(Name="SecurityAlerts")["TopicArn"]
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    return sns, topic, sqs, queue


def test_a_role_the_function_may_not_change_is_alerted_not_retried(iam: Any) -> None:
    # Given a role without the GuardDutyRemediable=true tag. moto does not evaluate IAM policies, so
    # the client answers as IAM does when the role's policy does not allow the write (the
    # statement's aws:ResourceTag condition does not match): error code AccessDenied.
    def refuse(**_: Any) -> None:
        raise ClientError(
            {
                "Error": {
                    "Type": "Sender",
                    "Code": "AccessDenied",
                    "Message": "User: arn:aws:sts::123456789012:assumed-role/RemediationRole/Remediation is not "
                    "authorized to perform: iam:PutRolePolicy on resource: role web-server-role because no "
                    "identity-based policy allows the iam:PutRolePolicy action",
                },
                "ResponseMetadata": {"HTTPStatusCode": 403},
            },
            "PutRolePolicy",
        )

    iam.meta.events.register("before-call.iam.PutRolePolicy", refuse)
    sns, topic, sqs, queue = subscribed_topic()

    # When the finding arrives with remediation on
    result = handler.remediate(
        load_event(OUTSIDE),
        account_id=ACCOUNT,
        settings=Settings(dry_run=False, alert_topic_arn=topic),
        gateway=Gateway(iam=iam, sns=sns),
    )

    # Then it returns (no retry), the role is untouched, and the alert says what a person must do
    assert result["status"] == "failed"
    assert result["reason"].startswith("AccessDenied: ")
    assert "GuardDutyRemediable=true" in result["action"]
    assert "Revoke active sessions" in result["action"]
    assert inline_policies(iam) == {}
    [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
    body = json.loads(message["Body"])
    assert body["Subject"] == "[guardduty-remediation] FAILED to revoke older sessions of role web-server-role"
    assert "action: this function may change only roles tagged GuardDutyRemediable=true" in body["Message"]


def test_the_handler_names_the_tag_the_stack_scopes_the_role_with() -> None:
    assert handler.REMEDIABLE_TAG == remediation_policy.REMEDIABLE_TAG


def test_a_dry_run_needs_no_iam_write_permission(aws: None) -> None:
    # Given an IAM client that refuses every write (the stack grants none in dry-run mode)
    iam = boto3.client("iam", region_name=REGION)

    def refuse(**_: Any) -> None:
        raise AssertionError("a dry run called IAM PutRolePolicy")

    iam.meta.events.register("before-call.iam.PutRolePolicy", refuse)

    # When the finding arrives in dry-run mode, then nothing is written
    result = handler.remediate(load_event(OUTSIDE), account_id=ACCOUNT, settings=Settings(), gateway=Gateway(iam=iam))
    assert result["status"] == "dry_run"


def test_a_bad_environment_fails_with_one_line(context: LambdaContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRY_RUN", "no")
    with pytest.raises(ValueError, match=r"^DRY_RUN='no' is not a flag: use true or false$"):
        handler.lambda_handler(load_event(OUTSIDE), context)
