"""One scheduled chore: an EventBridge Scheduler schedule -> its own Lambda function."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from stacks.components.alarm import notify_when_above
from stacks.components.alert_topic import AlertTopic
from stacks.components.python_function import python_function
from stacks.ops_automation.config import CHORE_MEMORY_MB

# Paginated listing plus one EC2 call per item: minutes for thousands of volumes.
TIMEOUT = cdk.Duration.minutes(5)


class ChoreFunction(Construct):
    """A Lambda function for one chore and the schedule that invokes it.

    Defaults:
    - Python 3.14 on arm64 with the Powertools layer, X-Ray tracing, its own log group
      with retention, and a role that holds only `statements` plus its log group,
      X-Ray and publishing to the alert topic (the chore's daily report).
    - The schedule (`schedule_expression` in `time_zone`, which Scheduler follows through
      daylight saving) passes `{"scheduled_time": <aws.scheduler.scheduled-time>}`: a
      retry of the same scheduled run carries the same time, hence the same date tag,
      which keeps the snapshot chore idempotent across retries. Scheduler gets its own
      role that may invoke only this function.
    - Lambda invokes asynchronously: an invocation that still fails after Lambda's two
      retries goes to the alert topic (the function's dead-letter topic), and an
      Errors alarm on the same topic says that the chore crashed.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        handler: str,
        description: str,
        schedule_expression: str,
        time_zone: str,
        environment: Mapping[str, str],
        statements: Sequence[iam.PolicyStatement],
        alerts: AlertTopic,
        log_retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, construct_id)

        built = python_function(
            self,
            log_group_id="Logs",
            role_id="Role",
            function_id="Function",
            package="ops_chores",
            handler=handler,
            description=description,
            role_description=f"Ops chore: {description}",
            statements=statements,
            log_retention=log_retention,
            timeout=TIMEOUT,
            memory_size=CHORE_MEMORY_MB,
            dead_letter_topic=alerts.topic,
            environment={**environment, "ALERT_TOPIC_ARN": alerts.topic.topic_arn, "POWERTOOLS_LOG_LEVEL": "INFO"},
        )
        self.role, self.function = built.role, built.function
        alerts.grant_publish(self.role)

        # Scheduler's own role: it may invoke this function (not its versions or aliases), and only
        # for schedules of this account.
        scheduler_role = iam.Role(
            self,
            "SchedulerRole",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com", conditions={"StringEquals": {"aws:SourceAccount": cdk.Aws.ACCOUNT_ID}}
            ),
            description=f"EventBridge Scheduler invokes the chore: {description}",
        )
        scheduler_role.add_to_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[self.function.function_arn])
        )
        # L1: the L2 LambdaInvoke target would also grant invoke on every version and alias (<arn>:*).
        self.schedule = scheduler.CfnSchedule(
            self,
            "Schedule",
            description=description,
            schedule_expression=schedule_expression,
            schedule_expression_timezone=time_zone,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            state="ENABLED",
            target=scheduler.CfnSchedule.TargetProperty(
                arn=self.function.function_arn,
                role_arn=scheduler_role.role_arn,
                input=json.dumps({"scheduled_time": "<aws.scheduler.scheduled-time>"}),
                # Scheduler retries only failed deliveries (throttling); a chore that ran and
                # failed is retried by Lambda and reported.
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                    maximum_retry_attempts=3, maximum_event_age_in_seconds=3600
                ),
            ),
        )
        self.schedule.node.add_dependency(scheduler_role)

        notify_when_above(
            self,
            "ErrorsAlarm",
            metric=self.function.metric_errors(statistic=cloudwatch.Stats.SUM, period=cdk.Duration.minutes(5)),
            topic=alerts.topic,
            description=f"The chore failed as a whole ({description}): see its log group",
        )
