"""Lab 6: SNS topic -> three SQS queues with filter policies (guide 000 "SNS ... fan-out", 002 "SQS: fan-out")."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.components.alarm import notify_when_above
from stacks.components.alert_topic import AlertTopic
from stacks.fanout.config import FanoutConfig
from stacks.fanout.filters import ROUTES, TOPIC_OUTPUT
from stacks.fanout.subscribed_queue import SubscribedQueue

ALARM_PERIOD = cdk.Duration.minutes(1)


class FanoutStack(cdk.Stack):
    """One topic of order events, fanned out to billing, shipping and analytics queues.

    Builds:
    - `OrderEvents`: SNS topic, encrypted with the AWS-managed key `alias/aws/sns` (no key
      fee; only this account's principals publish, so no key policy needs editing), TLS-only.
    - One `SubscribedQueue` per route of stacks/fanout/filters.py: billing (every event),
      shipping (attribute filter event_type = order_paid), analytics (raw delivery, body
      filter amount >= 100). Each has its queue's DLQ and the subscription's own DLQ.
    - An alarm per dead-letter queue (six) on an encrypted alert topic: a message in
      either kind of DLQ means an event was not handled.
    - Outputs: the topic's ARN and each queue's URL, which the learner scripts read.

    Nothing here is stateful beyond in-flight messages, so both stages destroy it all.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: FanoutConfig,
        protect_data: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        del protect_data  # queues hold messages in flight, not data to keep: both stages are the same

        topic = sns.Topic(
            self,
            "OrderEvents",
            display_name="Order events",
            master_key=kms.Alias.from_alias_name(self, "SnsManagedKey", "alias/aws/sns"),
            enforce_ssl=True,
        )
        alerts = AlertTopic(
            self,
            "Alerts",
            display_name="Fanout alerts",
            email=config.alarm_email,
        )

        for route in ROUTES:
            subscriber = SubscribedQueue(
                self,
                route.queue.capitalize(),
                topic=topic,
                route=route,
                retention=cdk.Duration.days(config.queue_retention_days),
                max_receive_count=config.max_receive_count,
            )
            cdk.CfnOutput(self, route.output, value=subscriber.queue.queue_url, description=route.why)
            self._dead_letter_alarms(subscriber, route.queue, alerts.topic)

        cdk.CfnOutput(self, TOPIC_OUTPUT, value=topic.topic_arn, description="Publish order events here")

    def _dead_letter_alarms(self, subscriber: SubscribedQueue, queue: str, alerts: sns.ITopic) -> None:
        # SQS's dead-letter queue redrive (StartMessageMoveTask) moves messages only out of queues that
        # are dead-letter queues of other SQS queues, "not ... such as Lambda or Amazon SNS topics"
        # (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html):
        # what an SNS subscription could not deliver is read and published to the topic again.
        kinds: list[tuple[str, sqs.Queue, str, str]] = [
            (
                "DeadLetterAlarm",
                subscriber.dead_letter_queue,
                f"the {queue} consumer failed on a message repeatedly",
                "Inspect them, fix the consumer, then redrive them to the queue (SQS dead-letter queue redrive).",
            ),
            (
                "DeliveryDeadLetterAlarm",
                subscriber.delivery_dead_letter_queue,
                f"SNS could not deliver an event to the {queue} queue (queue policy, deleted queue?)",
                "Fix the cause, then read them and publish each event to the topic again "
                "(SQS redrive cannot move messages out of an SNS subscription's dead-letter queue).",
            ),
        ]
        for construct_id, dead_letters, why, what_to_do in kinds:
            notify_when_above(
                subscriber,
                construct_id,
                metric=dead_letters.metric_approximate_number_of_messages_visible(
                    statistic=cloudwatch.Stats.MAXIMUM, period=ALARM_PERIOD
                ),
                topic=alerts,
                description=f"Messages in a dead-letter queue: {why}. {what_to_do}",
            )
        acknowledge(
            subscriber.dead_letter_queue,
            "Serverless-SQSRedrivePolicy",
            "This queue is a dead-letter queue itself: messages the consumer failed on wait here to be inspected "
            "and redriven to the queue, and a second dead-letter queue behind it would only hide them.",
        )
        acknowledge(
            subscriber.delivery_dead_letter_queue,
            "Serverless-SQSRedrivePolicy",
            "This queue is the SNS subscription's dead-letter queue: undeliverable events wait here to be read and "
            "published to the topic again (SQS redrive does not serve SNS-fed queues); a queue behind it would "
            "only hide them.",
        )
