"""handler.lambda_handler: mixed batches, duplicates, failures, configuration."""

from __future__ import annotations

import json
import math
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.stub import Stubber

from queue_worker import handler, store
from tests.harness import load_event
from tests.queue_worker.conftest import REGION, all_items


def failed_ids(response: dict[str, Any]) -> list[str]:
    return sorted(item["itemIdentifier"] for item in response["batchItemFailures"])


@pytest.fixture
def configured(table_name: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TABLE_NAME", table_name)
    return table_name


def test_a_mixed_batch_stores_every_good_reading_and_reports_exactly_the_bad_ones(
    configured: str, context: LambdaContext
) -> None:
    # Given a batch of three good readings among every kind of bad message
    event = load_event("queue_worker", "sqs_mixed_batch.json")
    event["Records"].append({**event["Records"][0], "messageId": "bad-huge-body", "body": " " * 300_000 + "{}"})
    bad = sorted(r["messageId"] for r in event["Records"] if r["messageId"].startswith("bad-"))
    # When the handler runs
    response = handler.lambda_handler(event, context)
    # Then exactly the bad messages are reported and the good ones are stored
    assert failed_ids(response) == bad
    assert all_items(configured) == [
        {"Zipcode": "02134", "ObservedAt": "2024-01-15T06:30:00Z", "TemperatureF": "-3.2"},
        {"Zipcode": "10001", "ObservedAt": "2024-05-01T12:00:00Z", "TemperatureF": "48.5"},
        {"Zipcode": "90210", "ObservedAt": "2024-05-01T12:00:00Z", "TemperatureF": "62"},
    ]


def test_a_redelivered_reading_leaves_one_item(configured: str, context: LambdaContext) -> None:
    # Given the same reading delivered twice (at-least-once), once with another UTC offset
    event = load_event("queue_worker", "sqs_duplicate_delivery.json")
    # When both deliveries are handled, in one batch and again in a later one
    assert handler.lambda_handler(event, context) == {"batchItemFailures": []}
    assert handler.lambda_handler({"Records": event["Records"][:1]}, context) == {"batchItemFailures": []}
    # Then there is one item
    assert all_items(configured) == [{"Zipcode": "90210", "ObservedAt": "2024-05-01T12:00:00Z", "TemperatureF": "62"}]


def test_an_empty_batch_reports_nothing(configured: str, context: LambdaContext) -> None:
    assert handler.lambda_handler({"Records": []}, context) == {"batchItemFailures": []}


def test_a_batch_of_n_valid_messages_costs_at_most_ceil_n_over_25_write_calls(table_name: str) -> None:
    # Given 100 valid messages (the largest batch the config allows)
    records = [
        {
            "messageId": f"m{i}",
            "body": json.dumps(
                {"zipcode": "90210", "temperature_f": 60, "observed_at": f"2024-05-01T00:{i // 60:02d}:{i % 60:02d}Z"}
            ),
        }
        for i in range(100)
    ]
    client = boto3.client("dynamodb", region_name=REGION)
    calls: list[str] = []
    client.meta.events.register("before-call.dynamodb.BatchWriteItem", lambda **_: calls.append("call"))
    # When processed
    response = handler.process_records(records, table_name=table_name, client=client)
    # Then four calls store all of them
    assert response == {"batchItemFailures": []}
    assert len(calls) <= math.ceil(100 / 25)
    assert len(all_items(table_name)) == 100


def test_readings_that_could_not_be_written_are_reported_with_every_copy() -> None:
    # Given DynamoDB that keeps returning one reading as unprocessed
    event = load_event("queue_worker", "sqs_duplicate_delivery.json")
    event["Records"].append(
        {
            "messageId": "other",
            "body": json.dumps({"zipcode": "10001", "temperature_f": 50, "observed_at": "2024-05-01T00:00:00Z"}),
        }
    )
    client = boto3.client("dynamodb", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    stuck = {"Zipcode": {"S": "90210"}, "ObservedAt": {"S": "2024-05-01T12:00:00Z"}, "TemperatureF": {"N": "62"}}
    for _ in range(store.MAX_ATTEMPTS):
        stubber.add_response("batch_write_item", {"UnprocessedItems": {"T": [{"PutRequest": {"Item": stuck}}]}})
    # When processed
    with stubber:
        response = handler.process_records(event["Records"], table_name="T", client=client)
    # Then both deliveries of the stuck reading are retried by SQS; the written one is not
    assert failed_ids(response) == ["first-delivery", "second-delivery"]


def test_missing_table_name_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, context: LambdaContext) -> None:
    monkeypatch.delenv("TABLE_NAME", raising=False)
    with pytest.raises(handler.MissingConfigurationError, match="environment variable TABLE_NAME is not set"):
        handler.lambda_handler(load_event("queue_worker", "sqs_duplicate_delivery.json"), context)
