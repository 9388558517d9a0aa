"""store.write_readings: batching, deduplication and bounded retries."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from queue_worker import logic, store
from tests.queue_worker.conftest import REGION, all_items

START = datetime(2024, 5, 1, tzinfo=UTC)


def readings(count: int, zipcode: str = "90210") -> list[logic.Reading]:
    return [logic.Reading(zipcode, START + timedelta(minutes=i), Decimal(60 + i % 10)) for i in range(count)]


def counting_client() -> tuple[Any, list[dict[str, Any]]]:
    """A real (moto-backed) client that records the parameters of every BatchWriteItem call."""
    client = boto3.client("dynamodb", region_name=REGION)
    calls: list[dict[str, Any]] = []
    client.meta.events.register(
        "provide-client-params.dynamodb.BatchWriteItem", lambda params, **_: calls.append(params)
    )
    return client, calls


@pytest.mark.parametrize("count", [1, 24, 25, 26, 60, 100])
def test_n_readings_cost_at_most_ceil_n_over_25_write_calls(table_name: str, count: int) -> None:
    # Given n valid readings and a client that counts its calls
    client, calls = counting_client()
    # When they are written
    result = store.write_readings(readings(count), table_name=table_name, client=client)
    # Then the happy path needs ceil(n/25) calls and stores every reading
    assert len(calls) == result.calls <= math.ceil(count / 25)
    assert all(len(call["RequestItems"][table_name]) <= 25 for call in calls)
    assert len(all_items(table_name)) == count
    assert result.failed == {}


def test_duplicate_keys_are_sent_once_per_call(table_name: str) -> None:
    # Given the same reading twice (a redelivery inside one batch) and one other reading
    first, other = readings(2)
    duplicate = logic.Reading(first.zipcode, first.observed_at, first.temperature_f)
    client, calls = counting_client()
    # When written together
    result = store.write_readings([first, other, duplicate], table_name=table_name, client=client)
    # Then one call names each key once (DynamoDB rejects a batch that repeats a key)
    (call,) = calls
    keys = [
        (r["PutRequest"]["Item"]["Zipcode"]["S"], r["PutRequest"]["Item"]["ObservedAt"]["S"])
        for r in call["RequestItems"][table_name]
    ]
    assert sorted(keys) == sorted({first.key, other.key})
    assert result.written == {first.key, other.key}


def test_the_item_has_the_guide_s_attributes(table_name: str) -> None:
    store.write_readings(
        [logic.Reading("90210", START, Decimal("62.1"))], table_name=table_name, client=counting_client()[0]
    )
    assert all_items(table_name) == [{"Zipcode": "90210", "ObservedAt": "2024-05-01T00:00:00Z", "TemperatureF": "62.1"}]


# --- Failures, with botocore's Stubber: no network, no moto ---------------------------------------
def stubbed_client() -> tuple[Any, Stubber]:
    client = boto3.client("dynamodb", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
    return client, Stubber(client)


def unprocessed(table_name: str, batch: list[logic.Reading]) -> dict[str, Any]:
    return {"UnprocessedItems": {table_name: [{"PutRequest": {"Item": store.to_item(r)}} for r in batch]}}


def test_unprocessed_items_are_retried_a_bounded_number_of_times_then_reported() -> None:
    # Given DynamoDB that never processes two of three items
    batch = readings(3)
    client, stubber = stubbed_client()
    stubber.add_response("batch_write_item", unprocessed("T", batch[1:]))
    for _ in range(store.MAX_ATTEMPTS - 1):
        stubber.add_response("batch_write_item", unprocessed("T", batch[1:]))
    delays: list[float] = []
    # When the readings are written
    with stubber:
        result = store.write_readings(batch, table_name="T", client=client, sleep=delays.append)
        stubber.assert_no_pending_responses()
    # Then it gave up after MAX_ATTEMPTS calls, with growing but capped backoff, and reports the two
    assert result.calls == store.MAX_ATTEMPTS
    assert len(delays) == store.MAX_ATTEMPTS - 1
    assert all(0 <= delay <= store.MAX_DELAY_SECONDS for delay in delays)
    assert result.written == {batch[0].key}
    assert set(result.failed) == {batch[1].key, batch[2].key}
    assert all(reason == "UnprocessedItems after 5 attempt(s)" for reason in result.failed.values())


def test_throttling_is_retried_and_then_succeeds() -> None:
    # Given one throttled call, then one that succeeds
    batch = readings(2)
    client, stubber = stubbed_client()
    stubber.add_client_error("batch_write_item", "ProvisionedThroughputExceededException", http_status_code=400)
    stubber.add_response("batch_write_item", {"UnprocessedItems": {}})
    with stubber:
        result = store.write_readings(batch, table_name="T", client=client, sleep=lambda _: None)
    # Then nothing is lost
    assert result.calls == 2
    assert result.written == {r.key for r in batch}
    assert result.failed == {}


def test_persistent_throttling_is_reported_not_dropped() -> None:
    batch = readings(2)
    client, stubber = stubbed_client()
    for _ in range(store.MAX_ATTEMPTS):
        stubber.add_client_error("batch_write_item", "ThrottlingException", http_status_code=400)
    with stubber:
        result = store.write_readings(batch, table_name="T", client=client, sleep=lambda _: None)
    assert result.calls == store.MAX_ATTEMPTS
    assert result.failed == {r.key: "ThrottlingException after 5 attempt(s)" for r in batch}


def test_an_error_that_retrying_cannot_fix_is_reported_at_once() -> None:
    # Given a function without permission on the table
    batch = readings(2)
    client, stubber = stubbed_client()
    stubber.add_client_error("batch_write_item", "AccessDeniedException", http_status_code=400)
    with stubber:
        result = store.write_readings(batch, table_name="T", client=client, sleep=lambda _: pytest.fail("no retry"))
    assert result.calls == 1
    assert result.failed == {r.key: "AccessDeniedException after 1 attempt(s)" for r in batch}


def test_each_chunk_of_25_has_its_own_retry_budget() -> None:
    # Given 30 readings: the first chunk of 25 is throttled once, the second chunk of 5 succeeds
    batch = readings(30)
    client, stubber = stubbed_client()
    stubber.add_client_error("batch_write_item", "ThrottlingException", http_status_code=400)
    stubber.add_response("batch_write_item", {"UnprocessedItems": {}})
    stubber.add_response("batch_write_item", {"UnprocessedItems": {}})
    with stubber:
        result = store.write_readings(batch, table_name="T", client=client, sleep=lambda _: None)
        stubber.assert_no_pending_responses()
    assert result.calls == 3
    assert len(result.written) == 30
