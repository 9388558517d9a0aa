"""Verify a deployed billing-alarm lab: the alarm in us-east-1, its topic, the e-mail subscription.

Run by `make verify LAB=billing-alarm` (scripts/sandbox/verify.py) with the BillingAlarm
stack's output AlertTopicArn:
- an alarm on AWS/Billing EstimatedCharges exists in us-east-1 and notifies the topic
  (its state is shown: INSUFFICIENT_DATA until billing alerts are on and AWS has
  published the first figures, which can take hours);
- the topic has a confirmed e-mail subscription. "Pending confirmation" fails with the
  explanation: AWS has mailed a link, and nothing is delivered until it is clicked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scripts.sandbox.checks import CheckResult, Waiter, check

# Billing metrics exist only in us-east-1, whatever the session's region.
BILLING_REGION = "us-east-1"
PENDING = "PendingConfirmation"
INSUFFICIENT_DATA_HINT = (
    "no billing data yet: turn on 'Receive CloudWatch billing alerts' in the Billing preferences "
    "(step 1 of the lab), then allow a few hours"
)


def run_checks(session: Any, outputs: dict[str, str], stage: str, wait: Waiter) -> list[CheckResult]:
    topic = outputs.get("AlertTopicArn", "")
    return [
        check("billing alarm in us-east-1 notifies the topic", lambda: alarm_notifies(session, topic)),
        check("e-mail subscription confirmed", lambda: subscription_state(session, topic)),
    ]


def billing_alarms(session: Any) -> list[dict[str, Any]]:
    cloudwatch = session.client("cloudwatch", region_name=BILLING_REGION)
    pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm"])
    return [
        alarm
        for page in pages
        for alarm in page["MetricAlarms"]
        if alarm.get("Namespace") == "AWS/Billing" and alarm.get("MetricName") == "EstimatedCharges"
    ]


def alarm_notifies(session: Any, topic_arn: str) -> str:
    if not topic_arn:
        raise AssertionError("the stack has no output AlertTopicArn: is it the billing-alarm lab's stack?")
    alarms = billing_alarms(session)
    if not alarms:
        raise AssertionError(f"no alarm on AWS/Billing EstimatedCharges in {BILLING_REGION}")
    ours = [alarm for alarm in alarms if topic_arn in alarm.get("AlarmActions", [])]
    if not ours:
        names = ", ".join(alarm["AlarmName"] for alarm in alarms)
        raise AssertionError(f"no EstimatedCharges alarm notifies {topic_arn} (found: {names})")
    described = "; ".join(f"{alarm['AlarmName']} > {alarm['Threshold']:g} USD, {alarm['StateValue']}" for alarm in ours)
    if any(alarm["StateValue"] == "INSUFFICIENT_DATA" for alarm in ours):
        described += f" ({INSUFFICIENT_DATA_HINT})"
    return described


def subscription_state(session: Any, topic_arn: str) -> str:
    if not topic_arn:
        raise AssertionError("the stack has no output AlertTopicArn: is it the billing-alarm lab's stack?")
    sns = session.client("sns", region_name=BILLING_REGION)
    pages = sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn)
    return describe_subscriptions([sub for page in pages for sub in page["Subscriptions"]])


def describe_subscriptions(subscriptions: Sequence[dict[str, Any]]) -> str:
    """Passes (returns a detail) with a confirmed e-mail subscriber; raises with what to do otherwise.

    SNS lists a subscription whose link was not clicked yet with SubscriptionArn
    "PendingConfirmation" (it has no ARN until it is confirmed).
    """
    emails = [sub for sub in subscriptions if sub.get("Protocol") in {"email", "email-json"}]
    if not emails:
        raise AssertionError(
            "no e-mail subscription: set billing_alarm.alarm_email in cdk.json, deploy again, confirm the e-mail"
        )
    confirmed = [sub["Endpoint"] for sub in emails if sub.get("SubscriptionArn") != PENDING]
    pending = [sub["Endpoint"] for sub in emails if sub.get("SubscriptionArn") == PENDING]
    if not confirmed:
        raise AssertionError(
            f"pending confirmation for {', '.join(pending)}: AWS mailed a confirmation link; "
            "alarms reach nobody until you click it (check spam), then run verify again"
        )
    detail = f"confirmed: {', '.join(confirmed)}"
    if pending:
        detail += f"; still pending confirmation: {', '.join(pending)}"
    return detail
