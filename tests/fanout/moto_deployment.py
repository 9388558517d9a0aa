"""A moto 'deployment' of the fanout lab: the topic, three queues with their dead-letter
queues, the subscriptions built from stacks/fanout/filters.py, and a CloudFormation stack
named Fanout whose outputs point at them (moto's CloudFormation cannot create filtered
subscriptions, so the resources are made through the APIs and the outputs are literals).

The dead-letter queues are wired as the stack wires them, but moto never uses a
subscription's redrive policy (measured: a paid order published after the shipping queue
was deleted did not reach shipping's subscription DLQ), so the DLQs are asserted on the
synthesized template instead."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stacks.fanout.filters import ROUTES, TOPIC_OUTPUT, Route

REGION = "us-east-1"


@dataclass
class Deployment:
    outputs: dict[str, str]
    subscriptions: dict[str, str]  # queue -> subscription ARN


def queue_arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def deploy(
    session: Any, routes: tuple[Route, ...] = ROUTES, *, subscribe: Callable[[Route], bool] | None = None
) -> Deployment:
    sns, sqs = session.client("sns"), session.client("sqs")
    topic = sns.create_topic(Name="fanout-orders")["TopicArn"]
    outputs = {TOPIC_OUTPUT: topic}
    subscriptions = {}
    for route in routes:
        dead_letters = sqs.create_queue(QueueName=f"{route.queue}-dlq")["QueueUrl"]
        delivery_dead_letters = sqs.create_queue(QueueName=f"{route.queue}-subscription-dlq")["QueueUrl"]
        url = sqs.create_queue(
            QueueName=route.queue,
            Attributes={
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": queue_arn(sqs, dead_letters), "maxReceiveCount": 5})
            },
        )["QueueUrl"]
        outputs[route.output] = url
        if subscribe is None or subscribe(route):
            redrive = json.dumps({"deadLetterTargetArn": queue_arn(sqs, delivery_dead_letters)})
            subscriptions[route.queue] = sns.subscribe(
                TopicArn=topic,
                Protocol="sqs",
                Endpoint=queue_arn(sqs, url),
                Attributes={**route.subscription_attributes(), "RedrivePolicy": redrive},
                ReturnSubscriptionArn=True,
            )["SubscriptionArn"]
    return Deployment(outputs, subscriptions)


def create_stack(session: Any, outputs: dict[str, str], name: str = "Fanout") -> None:
    template = {
        "Resources": {"Placeholder": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    session.client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(template))


def drain(session: Any, url: str) -> list[dict[str, Any]]:
    """Every message in the queue (received and deleted)."""
    sqs = session.client("sqs")
    messages: list[dict[str, Any]] = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get(
        "Messages", []
    ):
        messages += batch
        for message in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return messages
