"""The four CIS metric filters on the trail's log group, each with an alarm to the alert topic."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from stacks.security_baseline.filters import FILTERS, METRIC_NAMESPACE

PERIOD = cdk.Duration.minutes(5)


class CisAlarms(Construct):
    """One metric filter and one alarm per entry of filters.FILTERS.

    Each filter counts 1 per matching CloudTrail record in `METRIC_NAMESPACE`; its alarm
    fires on at least one match in 5 minutes (the CIS benchmark's threshold), treats no
    data as fine (a quiet account emits nothing) and notifies `topic`.
    """

    def __init__(self, scope: Construct, construct_id: str, *, log_group: logs.ILogGroup, topic: sns.ITopic) -> None:
        super().__init__(scope, construct_id)
        self.alarms: list[cloudwatch.Alarm] = []
        for metric_filter in FILTERS:
            metric = logs.MetricFilter(
                self,
                f"{metric_filter.key}Filter",
                log_group=log_group,
                filter_pattern=logs.FilterPattern.literal(metric_filter.pattern),
                metric_namespace=METRIC_NAMESPACE,
                metric_name=metric_filter.metric_name,
                metric_value="1",
            ).metric(statistic=cloudwatch.Stats.SUM, period=PERIOD)
            alarm = cloudwatch.Alarm(
                self,
                f"{metric_filter.key}Alarm",
                metric=metric,
                threshold=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                alarm_description=f"CloudTrail recorded {metric_filter.title} ({metric_filter.benchmark}). "
                f"{metric_filter.why}",
            )
            alarm.add_alarm_action(cloudwatch_actions.SnsAction(topic))
            self.alarms.append(alarm)
