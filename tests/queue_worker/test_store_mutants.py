"""store.write_readings' retry budget, measured exactly: what `make mutate` found untested.

The backoff is full jitter (a uniform delay between 0 and base * 2^attempt, capped): with the
randomness replaced, the tests see the exact bounds it draws from, their growth and the cap.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError, EndpointConnectionError

from queue_worker import logic, store

START = datetime(2024, 5, 1, tzinfo=UTC)


def readings(count: int) -> list[logic.Reading]:
    return [logic.Reading("90210", START + timedelta(minutes=i), Decimal(60 + i)) for i in range(count)]


class TopOfRange:
    """random's stand-in: uniform(a, b) records (a, b) and returns b, the longest delay allowed."""

    def __init__(self) -> None:
        self.ranges: list[tuple[float, float]] = []

    def uniform(self, a: float, b: float) -> float:
        self.ranges.append((a, b))
        return b


@pytest.fixture
def jitter(monkeypatch: pytest.MonkeyPatch) -> TopOfRange:
    fake = TopOfRange()
    monkeypatch.setattr(store, "random", fake)
    return fake


class FakeClient:
    """batch_write_item answers (or raises) from a script, one per call; records each call's items."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.calls: list[list[dict[str, Any]]] = []

    def batch_write_item(self, RequestItems: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:  # noqa: N803 - boto3's name
        [requests] = RequestItems.values()
        self.calls.append(requests)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def throttled() -> ClientError:
    return ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "BatchWriteItem")


def test_the_backoff_doubles_from_0_1_s_and_stops_at_1_s(jitter: TopOfRange) -> None:
    # Given DynamoDB that throttles every call, and room for 8 attempts
    delays: list[float] = []
    client = FakeClient([throttled() for _ in range(8)])
    # When a reading is written
    store.write_readings(readings(1), table_name="T", client=client, max_attempts=8, sleep=delays.append)
    # Then the waits before attempts 2..8 are drawn from [0, 0.05 * 2^n], capped at 1 s, and slept as drawn
    assert delays == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]
    assert [low for low, _ in jitter.ranges] == [0] * len(jitter.ranges)
    assert [high for _, high in jitter.ranges][: len(delays)] == delays
    assert len(client.calls) == 8


@pytest.mark.parametrize(("attempt", "longest"), [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.8), (5, 1.0), (9, 1.0)])
def test_each_wait_is_drawn_from_zero_to_its_bound(jitter: TopOfRange, attempt: int, longest: float) -> None:
    assert store._backoff(attempt) == pytest.approx(longest)
    [(low, high)] = jitter.ranges
    assert low == 0
    assert high == pytest.approx(longest)


def test_the_first_attempt_does_not_wait(jitter: TopOfRange) -> None:
    client = FakeClient([{"UnprocessedItems": {}}])
    store.write_readings(readings(1), table_name="T", client=client, sleep=lambda _: pytest.fail("waited"))
    assert jitter.ranges == []


def test_a_connection_failure_is_retried_and_then_succeeds(jitter: TopOfRange) -> None:
    # Given a connection that fails once (a BotoCoreError, not an answer from DynamoDB)
    batch = readings(2)
    client = FakeClient([EndpointConnectionError(endpoint_url="https://dynamodb"), {"UnprocessedItems": {}}])
    delays: list[float] = []
    # When the readings are written
    result = store.write_readings(batch, table_name="T", client=client, sleep=delays.append)
    # Then the second attempt, after one backoff, writes both
    assert result.written == {r.key for r in batch}
    assert result.failed == {}
    assert (result.calls, delays) == (2, [0.1])


def test_a_connection_that_keeps_failing_is_reported_by_the_error_s_name(jitter: TopOfRange) -> None:
    batch = readings(2)
    client = FakeClient([EndpointConnectionError(endpoint_url="https://dynamodb") for _ in range(store.MAX_ATTEMPTS)])
    result = store.write_readings(batch, table_name="T", client=client, sleep=lambda _: None)
    assert result.calls == store.MAX_ATTEMPTS
    assert result.failed == {r.key: "EndpointConnectionError after 5 attempt(s)" for r in batch}


@pytest.mark.parametrize("response", [{"Error": {"Message": "?"}}, {}], ids=["no-code", "no-error"])
def test_an_error_without_a_code_is_reported_as_a_client_error(jitter: TopOfRange, response: Any) -> None:
    batch = readings(1)
    client = FakeClient([ClientError(response, "BatchWriteItem")])
    result = store.write_readings(batch, table_name="T", client=client, sleep=lambda _: pytest.fail("retried"))
    assert result.failed == {batch[0].key: "ClientError after 1 attempt(s)"}


def test_only_the_unprocessed_items_are_sent_again(jitter: TopOfRange) -> None:
    # Given three readings of which DynamoDB leaves the last two unprocessed once
    batch = readings(3)
    left = [{"PutRequest": {"Item": store.to_item(r)}} for r in batch[1:]]
    client = FakeClient([{"UnprocessedItems": {"T": left}}, {}])
    result = store.write_readings(batch, table_name="T", client=client, sleep=lambda _: None)
    # Then the retry names exactly those two, and all three are written
    assert client.calls[1] == left
    assert result.written == {r.key for r in batch}
    assert result.calls == 2


def test_the_last_copy_of_a_key_is_the_one_written(jitter: TopOfRange) -> None:
    first = logic.Reading("90210", START, Decimal("60"))
    again = logic.Reading("90210", START, Decimal("61"))
    client = FakeClient([{}])
    store.write_readings([first, again], table_name="T", client=client)
    assert client.calls == [[{"PutRequest": {"Item": store.to_item(again)}}]]


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data.read()


@pytest.fixture
def region(monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    store.default_client.cache_clear()
    yield
    store.default_client.cache_clear()


@pytest.mark.usefixtures("region")
def test_botocore_makes_one_attempt_per_call() -> None:
    # Given the function's own client, and DynamoDB answering every HTTP request with throttling
    client = store.default_client()
    sent: list[str] = []

    def throttle(request: Any, **_: Any) -> AWSResponse:
        sent.append(request.url)
        body = b'{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}'
        return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.0"}, _Body(body))

    client.meta.events.register("before-send.dynamodb.BatchWriteItem", throttle)
    # When one BatchWriteItem is made
    with pytest.raises(ClientError, match="ThrottlingException"):
        client.batch_write_item(RequestItems={"T": [{"PutRequest": {"Item": {"Zipcode": {"S": "90210"}}}}]})
    # Then botocore sent it once: write_readings' backoff is the only retry budget
    assert len(sent) == 1
    assert client.meta.config.retries == {"total_max_attempts": 1, "mode": "standard"}


@pytest.mark.parametrize(
    ("remaining_ms", "delay_seconds", "allowed"),
    [
        (5_000, 1.5, False),  # after the 1.5 s backoff exactly the reserve (3.5 s) would be left: stop
        (5_001, 1.5, True),  # one millisecond more than the reserve: retry
        (3_501, 0.0, True),
        (3_500, 0.0, False),
        (13_500, 10.0, False),  # the delay counts in milliseconds: 10 s of backoff is 10,000 ms
        (13_501, 10.0, True),
    ],
)
def test_a_retry_needs_more_than_the_reserve_left_after_its_backoff(
    remaining_ms: int, delay_seconds: float, allowed: bool
) -> None:
    # The reserve keeps one call's timeout and the reply inside the invocation (store.RESERVE_MS).
    budget = store.RetryBudget(remaining_ms=lambda: remaining_ms, reserve_ms=3_500)
    assert budget.allows_retry(1, delay_seconds) is allowed
