"""End to end against moto: queue (with redrive policy) -> poll -> handler -> table and DLQ.

`poll_like_lambda` does what the SQS event source mapping does: receive a batch, invoke
the handler, delete the messages it did not report, and leave the reported ones to come
back (visibility timeout 0 here, so they return at once) until SQS dead-letters them.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from queue_worker import handler
from tests.queue_worker.conftest import REGION, all_items

MAX_RECEIVE_COUNT = 3


@pytest.fixture
def queues(table_name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    monkeypatch.setenv("TABLE_NAME", table_name)
    sqs = boto3.client("sqs", region_name=REGION)
    dlq_url = sqs.create_queue(QueueName="dead-letters")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT}
    queue_url = sqs.create_queue(QueueName="readings", Attributes={"RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
    return queue_url, dlq_url


def poll_like_lambda(queue_url: str, context: LambdaContext, batch_size: int = 10) -> int:
    """Polls until the queue is empty; returns how many invocations it took."""
    sqs = boto3.client("sqs", region_name=REGION)
    invocations = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=batch_size, VisibilityTimeout=0, AttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return invocations
        event = {"Records": [_record(message) for message in messages]}
        response = handler.lambda_handler(event, context)
        invocations += 1
        failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
        for message in messages:
            if message["MessageId"] not in failed:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        assert invocations < 100, "the queue never drained"


def _record(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "eventSource": "aws:sqs",
    }


def send(queue_url: str, *bodies: str) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    for body in bodies:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)


def reading(zipcode: str, minute: int, temperature: float = 60) -> str:
    return json.dumps(
        {"zipcode": zipcode, "temperature_f": temperature, "observed_at": f"2024-05-01T10:{minute:02d}:00Z"}
    )


def test_good_readings_are_stored_and_bad_messages_end_in_the_dead_letter_queue(
    queues: tuple[str, str], table_name: str, context: LambdaContext
) -> None:
    queue_url, dlq_url = queues
    # Given 12 good readings and 2 bad messages on the queue
    good = [reading("90210", minute) for minute in range(12)]
    bad = ['{"zipcode": "90210"}', "not json at all"]
    send(queue_url, *good[:6], *bad, *good[6:])
    # When the worker polls until the queue is empty
    poll_like_lambda(queue_url, context)
    # Then every good reading is stored once ...
    assert [item["ObservedAt"] for item in all_items(table_name)] == [f"2024-05-01T10:{m:02d}:00Z" for m in range(12)]
    # ... and each bad message was received maxReceiveCount times, then moved to the DLQ
    sqs = boto3.client("sqs", region_name=REGION)
    dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    assert sorted(message["Body"] for message in dead) == sorted(bad)
    assert all(int(message["Attributes"]["ApproximateReceiveCount"]) >= MAX_RECEIVE_COUNT for message in dead)


def test_a_reading_sent_twice_is_stored_once(queues: tuple[str, str], table_name: str, context: LambdaContext) -> None:
    queue_url, dlq_url = queues
    # Given the producer retried a send (the same reading twice on the queue)
    send(queue_url, reading("10001", 5, 48.5), reading("10001", 5, 48.5))
    # When the worker drains the queue in batches of one
    poll_like_lambda(queue_url, context, batch_size=1)
    # Then one item exists and nothing was dead-lettered
    assert all_items(table_name) == [{"Zipcode": "10001", "ObservedAt": "2024-05-01T10:05:00Z", "TemperatureF": "48.5"}]
    sqs = boto3.client("sqs", region_name=REGION)
    assert sqs.receive_message(QueueUrl=dlq_url).get("Messages", []) == []
