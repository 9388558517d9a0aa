"""A queue subscribed to the order-events topic through one route of filters.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from stacks.components.acknowledge import acknowledge
from stacks.fanout.filters import Route, UnsupportedFilterError

# Long enough to notice an alarm after a holiday and investigate: SQS's maximum is 14 days.
DEAD_LETTER_RETENTION = cdk.Duration.days(14)
# Long polling: a receive waits up to 20 s (the maximum) for messages instead of returning empty.
RECEIVE_WAIT_TIME = cdk.Duration.seconds(20)
_NUMERIC_KEYWORDS = {
    ">": "greater_than",
    ">=": "greater_than_or_equal_to",
    "<": "less_than",
    "<=": "less_than_or_equal_to",
}


class SubscribedQueue(Construct):
    """One consumer's queue on the topic: the queue, its two dead-letter queues, the subscription.

    Defaults:
    - Every queue encrypted with SQS-managed keys (SSE-SQS): SNS can deliver to it without
      any KMS grant, and consumers need no KMS permission.
    - Every queue TLS-only (a policy denies requests without `aws:SecureTransport`), and
      the only Allow in its policy is for SNS sending from this topic (`aws:SourceArn`),
      which CDK's SQS subscription writes.
    - `dead_letter_queue`: where a message goes after `max_receive_count` receives that did
      not delete it (the consumer keeps failing on it). 14 days.
    - `delivery_dead_letter_queue`: the subscription's own redrive policy. SNS puts here
      what it could not deliver to the queue at all (queue deleted, policy or key wrong),
      instead of dropping it after its retries. 14 days. Two different failures with two
      different fixes, so two queues.
    - The subscription's filter policy, scope and raw delivery come from the `route`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        topic: sns.ITopic,
        route: Route,
        retention: cdk.Duration,
        max_receive_count: int,
    ) -> None:
        super().__init__(scope, construct_id)

        self.dead_letter_queue = _queue(self, "DeadLetterQueue", retention_period=DEAD_LETTER_RETENTION)
        self.delivery_dead_letter_queue = _queue(
            self, "DeliveryDeadLetterQueue", retention_period=DEAD_LETTER_RETENTION
        )
        self.queue = _queue(
            self,
            "Queue",
            retention_period=retention,
            receive_message_wait_time=RECEIVE_WAIT_TIME,
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue, max_receive_count=max_receive_count),
        )
        acknowledge(
            self.delivery_dead_letter_queue,
            "AwsSolutions-SQS3",
            "This queue is the SNS subscription's dead-letter queue (the subscription's RedrivePolicy names "
            "it); cdk-nag only recognises queues named in another queue's redrive policy as dead-letter queues.",
        )
        topic.add_subscription(
            subscriptions.SqsSubscription(
                self.queue,
                raw_message_delivery=route.raw_message_delivery,
                dead_letter_queue=self.delivery_dead_letter_queue,
                **filter_arguments(route),
            )
        )


def _queue(scope: Construct, construct_id: str, **props: Any) -> sqs.Queue:
    return sqs.Queue(scope, construct_id, encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True, **props)


def filter_arguments(route: Route) -> dict[str, Any]:
    """The route's filter policy as SqsSubscription's keyword arguments (none, attribute or body filters)."""
    if route.filter_policy is None:
        return {}
    filters = {name: _subscription_filter(name, allowed) for name, allowed in route.filter_policy.items()}
    if route.scope == "MessageAttributes":
        return {"filter_policy": filters}
    return {"filter_policy_with_message_body": {name: sns.FilterOrPolicy.filter(f) for name, f in filters.items()}}


def _subscription_filter(name: str, allowed: Sequence[Any]) -> sns.SubscriptionFilter:
    """One key's allowed values: a list of strings, or one numeric condition."""
    if all(isinstance(value, str) for value in allowed):
        return sns.SubscriptionFilter.string_filter(allowlist=list(allowed))
    if len(allowed) == 1 and isinstance(allowed[0], Mapping) and set(allowed[0]) == {"numeric"}:
        condition = list(allowed[0]["numeric"])
        pairs = dict(zip(condition[::2], condition[1::2], strict=True))
        if set(pairs) <= set(_NUMERIC_KEYWORDS):
            return sns.SubscriptionFilter.numeric_filter(
                **{_NUMERIC_KEYWORDS[operator]: bound for operator, bound in pairs.items()}
            )
    raise UnsupportedFilterError(f"filter on {name!r}: {list(allowed)} (the stack builds strings or one numeric range)")
