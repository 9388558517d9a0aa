"""What reading a fanout queue costs its messages: every receive counts toward maxReceiveCount.

SQS has no peek. Each ReceiveMessage that returns a message raises its receive count, and
putting the message back (ChangeMessageVisibility to 0, or letting the visibility timeout
run out) does not lower it; once the count exceeds the queue's maxReceiveCount, SQS moves
the message to the dead-letter queue
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html,
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html).
So a reader that "only looks" still spends one of the message's receives each time.
"""

from __future__ import annotations

import json
from typing import Any

RECEIVE_COUNT = "ApproximateReceiveCount"


def max_receive_count(sqs: Any, queue_url: str) -> int | None:
    """The queue's maxReceiveCount (its redrive policy), None when it has no dead-letter queue."""
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"])["Attributes"]
    policy = attributes.get("RedrivePolicy")
    return int(json.loads(policy)["maxReceiveCount"]) if policy else None


def messages_held(sqs: Any, queue_url: str) -> int:
    """Messages in the queue, visible or in flight (SQS's approximate counts)."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return sum(int(attributes.get(name, 0)) for name in names)


def receive_count(message: dict[str, Any]) -> int:
    """How many times SQS has returned this message, this receive included."""
    return int(message.get("Attributes", {}).get(RECEIVE_COUNT, 1))
