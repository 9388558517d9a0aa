"""The handler on the Powertools collection's SQS event (events/SOURCES.toml): AWS's own shape.

Neither body is a reading ("Test message.", {"message": "foo1"}), so both are reported in
batchItemFailures and nothing is stored: the SQS event source then returns exactly those
messages to the queue (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
"""

from __future__ import annotations

import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext

from queue_worker import handler
from tests.harness import load_event
from tests.queue_worker.conftest import all_items


def test_the_published_sqs_event_reports_both_non_readings_and_stores_nothing(
    table_name: str, context: LambdaContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TABLE_NAME", table_name)
    response = handler.lambda_handler(load_event("queue_worker", "powertools_sqs_event.json"), context)
    assert response == {
        "batchItemFailures": [
            {"itemIdentifier": "059f36b4-87a3-44ab-83d2-661975830a7d"},
            {"itemIdentifier": "2e1424d4-f796-459a-8184-9c92662be6da"},
        ]
    }
    assert all_items(table_name) == []
