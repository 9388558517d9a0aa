"""A CloudWatch alarm that notifies a lab's alert topic: the settings every lab's alarms share."""

from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns as sns
from constructs import Construct


def notify_when_above(
    scope: Construct,
    construct_id: str,
    *,
    metric: cloudwatch.IMetric,
    topic: sns.ITopic,
    description: str,
    threshold: float = 0,
    evaluation_periods: int = 1,
    datapoints_to_alarm: int | None = None,
) -> cloudwatch.Alarm:
    """An alarm that publishes to `topic` when `metric` is above `threshold` (default: any at all).

    Missing data is not breaching: these metrics report nothing while nothing happens
    (no errors, an empty queue), and a quiet lab must not sit in ALARM or INSUFFICIENT_DATA.
    """
    alarm = cloudwatch.Alarm(
        scope,
        construct_id,
        metric=metric,
        threshold=threshold,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluation_periods=evaluation_periods,
        datapoints_to_alarm=datapoints_to_alarm,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        alarm_description=description,
    )
    alarm.add_alarm_action(cloudwatch_actions.SnsAction(topic))
    return alarm
