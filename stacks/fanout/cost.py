"""Monthly cost of the fanout lab for one stage's configuration, with the arithmetic.

    python -m scripts.cost --lab fanout [--stage prod]

At idle the lab costs its alarms and the alert topic's key: SNS and SQS charge per
request, and nothing polls the queues until a learner runs the reader.
"""

from __future__ import annotations

from stacks.cost_model import Line, alarms, alert_topic_key
from stacks.fanout.config import FanoutConfig
from stacks.fanout.filters import ROUTES

DEAD_LETTER_QUEUES_PER_ROUTE = 2  # the queue's DLQ and the subscription's DLQ, one alarm each

NOT_COUNTED = (
    "Per use, not in the lines: SNS publishes 0.50 USD per million, SNS-to-SQS deliveries free, SQS requests "
    "0.40 USD per million (a filtered-out event costs no delivery), analytics' body filter 0.09 USD per GB "
    "of payload scanned (attribute filters are free), KMS requests for the aws/sns key 0.03 USD per 10,000. "
    "Free tier: 1 million SNS publishes and SQS requests, 10 alarms a month."
)


def monthly_lines(config: FanoutConfig) -> list[Line]:
    del config  # the idle cost does not depend on the stage's retention or receive count
    return [
        alarms("on the dead-letter queues", len(ROUTES) * DEAD_LETTER_QUEUES_PER_ROUTE),
        alert_topic_key(),
        Line("SNS topic and SQS queues at idle", "no requests, no charge", 0.0),
    ]
