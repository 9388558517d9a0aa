"""scripts/billing_alarm/verify.py against moto: the alarm in us-east-1, its topic, the e-mail's state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from scripts.billing_alarm import verify
from tests.sandbox.fakes import FakeTime, moto_session

BILLING_REGION = "us-east-1"


@pytest.fixture
def session(fake_aws_credentials: None) -> Iterator[Any]:
    """The learner's default region is not us-east-1: verify must look there anyway."""
    with mock_aws():
        yield moto_session("eu-west-1")


def deploy_lab(session: Any, *, email: str | None = "me@example.com", notify_topic: bool = True) -> str:
    """What the BillingAlarm stack creates; returns the topic ARN (its AlertTopicArn output)."""
    sns = session.client("sns", region_name=BILLING_REGION)
    topic: str = sns.create_topic(Name="BillingAlarm-BillingAlertsTopic")["TopicArn"]
    if email:
        sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=email)
    session.client("cloudwatch", region_name=BILLING_REGION).put_metric_alarm(
        AlarmName="BillingAlarm-ChargesAbove10Usd-1",
        Namespace="AWS/Billing",
        MetricName="EstimatedCharges",
        Dimensions=[{"Name": "Currency", "Value": "USD"}],
        Statistic="Maximum",
        Period=21600,
        EvaluationPeriods=1,
        Threshold=10,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[topic] if notify_topic else ["arn:aws:sns:us-east-1:123456789012:someone-else"],
    )
    return topic


def run(session: Any, topic: str) -> dict[str, Any]:
    results = verify.run_checks(session, {"AlertTopicArn": topic}, "sandbox", FakeTime().waiter())
    return {result.name: result for result in results}


def test_a_deployed_lab_with_a_confirmed_e_mail_passes(session: Any) -> None:
    topic = deploy_lab(session)
    results = run(session, topic)
    alarm = results["billing alarm in us-east-1 notifies the topic"]
    assert alarm.passed, alarm.detail
    assert "BillingAlarm-ChargesAbove10Usd-1 > 10 USD" in alarm.detail
    subscription = results["e-mail subscription confirmed"]
    assert subscription.passed, subscription.detail
    assert subscription.detail == "confirmed: me@example.com"


def test_an_alarm_that_notifies_another_topic_fails(session: Any) -> None:
    topic = deploy_lab(session, notify_topic=False)
    alarm = run(session, topic)["billing alarm in us-east-1 notifies the topic"]
    assert not alarm.passed
    assert f"no EstimatedCharges alarm notifies {topic}" in alarm.detail
    assert "BillingAlarm-ChargesAbove10Usd-1" in alarm.detail


def test_no_billing_alarm_in_us_east_1_fails(session: Any) -> None:
    # Given a billing alarm in the wrong region only
    session.client("cloudwatch").put_metric_alarm(
        AlarmName="elsewhere",
        Namespace="AWS/Billing",
        MetricName="EstimatedCharges",
        Statistic="Maximum",
        Period=21600,
        EvaluationPeriods=1,
        Threshold=10,
        ComparisonOperator="GreaterThanThreshold",
    )
    topic = session.client("sns", region_name=BILLING_REGION).create_topic(Name="t")["TopicArn"]
    alarm = run(session, topic)["billing alarm in us-east-1 notifies the topic"]
    assert not alarm.passed
    assert alarm.detail == "AssertionError: no alarm on AWS/Billing EstimatedCharges in us-east-1"


def test_no_e_mail_subscription_says_how_to_add_one(session: Any) -> None:
    topic = deploy_lab(session, email=None)
    subscription = run(session, topic)["e-mail subscription confirmed"]
    assert not subscription.passed
    assert "no e-mail subscription: set billing_alarm.alarm_email in cdk.json" in subscription.detail


def test_a_missing_output_fails_each_check_with_one_line(session: Any) -> None:
    results = verify.run_checks(session, {}, "sandbox", FakeTime().waiter())
    assert [result.passed for result in results] == [False, False]
    assert all("no output AlertTopicArn" in result.detail for result in results)


def pending(email: str) -> dict[str, str]:
    """How SNS lists an e-mail subscription whose link was not clicked yet."""
    return {"Protocol": "email", "Endpoint": email, "SubscriptionArn": "PendingConfirmation"}


def confirmed(email: str) -> dict[str, str]:
    return {"Protocol": "email", "Endpoint": email, "SubscriptionArn": "arn:aws:sns:us-east-1:1:t:abc"}


def test_pending_confirmation_fails_and_explains_the_link() -> None:
    with pytest.raises(AssertionError) as raised:
        verify.describe_subscriptions([pending("me@example.com")])
    message = str(raised.value)
    assert message.startswith("pending confirmation for me@example.com: AWS mailed a confirmation link")
    assert "alarms reach nobody until you click it" in message


def test_one_confirmed_address_passes_and_still_shows_the_pending_one() -> None:
    detail = verify.describe_subscriptions([confirmed("a@example.com"), pending("b@example.com")])
    assert detail == "confirmed: a@example.com; still pending confirmation: b@example.com"


def test_insufficient_data_is_explained(session: Any) -> None:
    topic = deploy_lab(session)
    session.client("cloudwatch", region_name=BILLING_REGION).set_alarm_state(
        AlarmName="BillingAlarm-ChargesAbove10Usd-1", StateValue="INSUFFICIENT_DATA", StateReason="test"
    )
    alarm = run(session, topic)["billing alarm in us-east-1 notifies the topic"]
    assert alarm.passed
    assert "INSUFFICIENT_DATA" in alarm.detail
    assert "turn on 'Receive CloudWatch billing alerts'" in alarm.detail
