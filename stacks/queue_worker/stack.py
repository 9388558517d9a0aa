"""Lab 2: SQS -> Lambda -> DynamoDB (guide 000 v3 "Lambda Triggered by SQS", v2 ZipcodeWeather)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.alarm import notify_when_above
from stacks.components.alert_topic import AlertTopic
from stacks.components.log_retention import log_retention
from stacks.components.python_function import python_function
from stacks.queue_worker.config import QueueWorkerConfig
from stacks.queue_worker.work_queue import WorkQueue

HANDLER = "queue_worker.handler.lambda_handler"
ALARM_PERIOD = cdk.Duration.minutes(1)


class QueueWorkerStack(cdk.Stack):
    """Producer -> SQS -> Lambda -> DynamoDB, with a dead-letter queue and alarms.

    Builds:
    - `WorkQueue`: encrypted (SSE-SQS), TLS-only standard queue with long polling, a
      visibility timeout of 6x the function timeout plus the batching window, and a DLQ
      (14 days) after `max_receive_count` receives.
    - `Worker`: Python 3.14 arm64 function with the Powertools layer, X-Ray tracing, its
      own log group (generated name, in the FunctionLogGroup output) with explicit
      retention, and a role that may write only that log group, X-Ray segments, the
      queue and, with BatchWriteItem only, the table.
    - SQS event source with ReportBatchItemFailures, so a bad message is retried (and
      dead-lettered) alone instead of with its whole batch.
    - `ReadingsTable`: Zipcode (S) + ObservedAt (S), on-demand, point-in-time recovery,
      encrypted with the AWS-managed key; retained and deletion-protected in prod,
      destroyed with the stack in the sandbox.
    - Alarms on an encrypted SNS topic: messages in the DLQ, function errors, age of the
      oldest message.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: QueueWorkerConfig,
        protect_data: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)

        work = WorkQueue(
            self,
            "WorkQueue",
            visibility_timeout=cdk.Duration.seconds(config.visibility_timeout_seconds),
            max_receive_count=config.max_receive_count,
        )

        table = dynamodb.TableV2(
            self,
            "ReadingsTable",
            partition_key=dynamodb.Attribute(name="Zipcode", type=dynamodb.AttributeType.STRING),
            # ISO-8601 UTC, fixed width: sorts in time order, so a Query can ask for a time range.
            sort_key=dynamodb.Attribute(name="ObservedAt", type=dynamodb.AttributeType.STRING),
            billing=dynamodb.Billing.on_demand(),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            # The AWS-managed key (aws/dynamodb): no monthly key fee, and its use shows in CloudTrail.
            encryption=dynamodb.TableEncryptionV2.aws_managed_key(),
            deletion_protection=protect_data,
            removal_policy=cdk.RemovalPolicy.RETAIN if protect_data else cdk.RemovalPolicy.DESTROY,
        )

        function = self._worker_function(
            config.function_timeout_seconds,
            config.function_memory_mb,
            log_retention(config.log_retention_days),
            table,
        )
        function.add_event_source(
            event_sources.SqsEventSource(
                work.queue,
                # Up to batch_size readings per invocation, written with ceil(n/25) BatchWriteItem calls;
                # the window lets a trickle of messages fill a batch instead of one invocation each.
                batch_size=config.batch_size,
                max_batching_window=cdk.Duration.seconds(config.max_batching_window_seconds),
                report_batch_item_failures=True,
            )
        )
        # Write-only, and only the one action the code uses: no reads, scans or deletes.
        table.grant(function, "dynamodb:BatchWriteItem")

        self._acknowledge(work, function)
        self._alarms(config.alarm_email, config.oldest_message_age_alarm_seconds, work, function)

        cdk.CfnOutput(self, "QueueUrl", value=work.queue.queue_url, description="Send readings here")
        cdk.CfnOutput(
            self,
            "DeadLetterQueueUrl",
            value=work.dead_letter_queue.queue_url,
            description="Messages that failed max_receive_count times wait here (14 days)",
        )
        cdk.CfnOutput(
            self,
            "TableName",
            value=table.table_name,
            description="DynamoDB table of the readings (Zipcode + ObservedAt)",
        )
        cdk.CfnOutput(self, "FunctionLogGroup", value=function.log_group.log_group_name, description="Worker logs")

    def _worker_function(
        self, timeout_seconds: int, memory_mb: int, retention: logs.RetentionDays, table: dynamodb.TableV2
    ) -> lambda_.Function:
        # The log group's generated name is in the FunctionLogGroup output.
        return python_function(
            self,
            log_group_id="WorkerLogs",
            role_id="WorkerRole",
            function_id="Worker",
            package="queue_worker",
            handler=HANDLER,
            role_description="Queue worker: write logs, X-Ray, consume the queue, write the readings table",
            log_retention=retention,
            timeout=cdk.Duration.seconds(timeout_seconds),
            memory_size=memory_mb,
            environment={
                "TABLE_NAME": table.table_name,
                "POWERTOOLS_SERVICE_NAME": "queue-worker",
                "POWERTOOLS_LOG_LEVEL": "INFO",
            },
        ).function

    @staticmethod
    def _acknowledge(work: WorkQueue, function: lambda_.Function) -> None:
        """cdk-nag findings that do not apply here, each on the one resource it names."""
        assert function.role is not None
        acknowledge(
            function.role.node.find_child("DefaultPolicy"),
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active "
            "tracing needs Resource *; every other statement names its queue, table or log group.",
        )
        acknowledge(
            work.dead_letter_queue,
            "Serverless-SQSRedrivePolicy",
            "This queue is the dead-letter queue itself: failed messages wait here to be inspected and "
            "redriven, and a second dead-letter queue behind it would only hide them.",
        )
        cfn_function = function.node.default_child
        assert cfn_function is not None
        acknowledge(
            cfn_function,
            "Serverless-LambdaDLQ",
            "The function is only invoked synchronously by its SQS event source mapping; a function "
            "dead-letter queue serves asynchronous invocations only. Failed messages reach the queue's DLQ.",
        )
        for mapping in function.node.children:
            if isinstance(mapping, lambda_.EventSourceMapping):
                acknowledge(
                    mapping,
                    "Serverless-LambdaEventSourceMappingDestination",
                    "SQS event source mappings do not support on-failure destinations (only streams and Kafka "
                    "do); the source queue's redrive policy sends failed messages to its dead-letter queue.",
                )

    def _alarms(self, email: str | None, oldest_age_seconds: int, work: WorkQueue, function: lambda_.Function) -> None:
        alerts = AlertTopic(self, "Alerts", display_name="Queue worker alerts", email=email)
        notify_when_above(
            self,
            "DeadLetterMessagesAlarm",
            metric=work.dead_letter_queue.metric_approximate_number_of_messages_visible(
                statistic=cloudwatch.Stats.MAXIMUM, period=ALARM_PERIOD
            ),
            topic=alerts.topic,
            description="Messages are in the dead-letter queue: inspect them, fix, then redrive",
        )
        notify_when_above(
            self,
            "FunctionErrorsAlarm",
            metric=function.metric_errors(statistic=cloudwatch.Stats.SUM, period=ALARM_PERIOD),
            topic=alerts.topic,
            description="The worker failed whole invocations (crash, timeout or missing configuration)",
        )
        notify_when_above(
            self,
            "OldestMessageAgeAlarm",
            metric=work.queue.metric_approximate_age_of_oldest_message(
                statistic=cloudwatch.Stats.MAXIMUM, period=ALARM_PERIOD
            ),
            topic=alerts.topic,
            threshold=oldest_age_seconds,
            evaluation_periods=3,
            description=f"A message has waited more than {oldest_age_seconds} s: the worker is behind",
        )
