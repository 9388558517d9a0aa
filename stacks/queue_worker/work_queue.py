"""An SQS standard queue with its dead-letter queue, safely by default."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_sqs as sqs
from constructs import Construct

# Long enough to notice an alarm after a holiday and investigate: SQS's maximum is 14 days.
DEAD_LETTER_RETENTION = cdk.Duration.days(14)
# Long polling: a receive waits up to 20 s (the maximum) for messages instead of returning empty.
RECEIVE_WAIT_TIME = cdk.Duration.seconds(20)


class WorkQueue(Construct):
    """Work queue + dead-letter queue.

    Defaults:
    - Both queues encrypted at rest with SQS-managed keys (SSE-SQS): no key to pay for
      or to grant, and producers and consumers need no KMS permissions.
    - Both queues TLS-only: their policies deny any request without `aws:SecureTransport`.
    - Long polling (20 s) on the work queue.
    - A message that has been received `max_receive_count` times without being deleted
      moves to the dead-letter queue, which keeps it for 14 days (the SQS maximum).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        visibility_timeout: cdk.Duration,
        max_receive_count: int,
    ) -> None:
        super().__init__(scope, construct_id)

        self.dead_letter_queue = sqs.Queue(
            self,
            "DeadLetterQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=DEAD_LETTER_RETENTION,
        )
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=visibility_timeout,
            receive_message_wait_time=RECEIVE_WAIT_TIME,
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dead_letter_queue, max_receive_count=max_receive_count),
        )
