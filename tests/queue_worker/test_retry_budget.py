"""Under sustained DynamoDB throttling the worker retries for the invocation's time, not 5 attempts.

Failed messages come back only after the queue's visibility timeout (6x the function
timeout) and go to the dead-letter queue after max_receive_count receives
(https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html). With a
fixed 5 attempts (~1.5 s of backoff) per receive, a valid reading was tried for a few
seconds in ~9 minutes before being dead-lettered. The retries are now bounded by the
time the invocation has left (get_remaining_time_in_millis,
https://docs.aws.amazon.com/lambda/latest/dg/python-context.html), keeping back enough
for one more call to time out and the reply to go out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError

from queue_worker import handler, logic, store
from tests.harness import FakeLambdaContext, load_event

READING = logic.Reading("90210", datetime(2024, 5, 1, 12, tzinfo=UTC), Decimal(62))


class Clock:
    """A Lambda invocation's remaining time, which sleeping and each call use up."""

    def __init__(self, remaining_ms: int, call_ms: int = 20) -> None:
        self.remaining = remaining_ms
        self.call_ms = call_ms

    def remaining_ms(self) -> int:
        return self.remaining

    def sleep(self, seconds: float) -> None:
        self.remaining -= int(seconds * 1000)


class ThrottledTable:
    """BatchWriteItem that is throttled `throttled_calls` times, then writes everything."""

    def __init__(self, clock: Clock, throttled_calls: int) -> None:
        self.clock = clock
        self.throttled_calls = throttled_calls
        self.calls: list[int] = []  # the remaining time at each call

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:  # noqa: N803 (boto3's name)
        self.calls.append(self.clock.remaining)
        self.clock.remaining -= self.clock.call_ms
        if len(self.calls) <= self.throttled_calls:
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "throttled"}},
                "BatchWriteItem",
            )
        return {"UnprocessedItems": {}}


def test_throttling_longer_than_five_attempts_is_outlasted_within_the_invocation() -> None:
    # Given 30 s left, and a table throttled for the first 12 calls
    clock = Clock(remaining_ms=30_000)
    table = ThrottledTable(clock, throttled_calls=12)

    # When a reading is written with the invocation's clock
    result = store.write_readings(
        [READING], table_name="T", client=table, remaining_ms=clock.remaining_ms, sleep=clock.sleep
    )

    # Then it is written on the 13th call: nothing goes back to the queue
    assert result.written == {READING.key}
    assert result.failed == {}
    assert len(table.calls) == 13


def test_sustained_throttling_is_retried_until_only_the_reserve_is_left() -> None:
    # Given 30 s left and a table that stays throttled
    clock = Clock(remaining_ms=30_000)
    table = ThrottledTable(clock, throttled_calls=10_000)

    # When a reading is written
    result = store.write_readings(
        [READING], table_name="T", client=table, remaining_ms=clock.remaining_ms, sleep=clock.sleep
    )

    # Then it kept trying far beyond 5 attempts, started no call inside the reserve, and
    # reported the reading (for SQS to return) with time left to reply
    assert len(table.calls) > 3 * store.MAX_ATTEMPTS
    assert min(table.calls) > store.RESERVE_MS
    assert clock.remaining > store.RESERVE_MS - 1000 * store.MAX_DELAY_SECONDS
    assert result.failed == {READING.key: f"ProvisionedThroughputExceededException after {len(table.calls)} attempt(s)"}


def test_a_short_invocation_still_makes_the_first_attempt_and_no_retry() -> None:
    # Given less time left than the reserve (a 3 s function timeout)
    clock = Clock(remaining_ms=2_900)
    table = ThrottledTable(clock, throttled_calls=10_000)

    result = store.write_readings(
        [READING], table_name="T", client=table, remaining_ms=clock.remaining_ms, sleep=clock.sleep
    )

    assert len(table.calls) == 1
    assert set(result.failed) == {READING.key}


def test_a_clock_that_does_not_advance_still_ends_the_retries() -> None:
    # A context whose remaining time never falls (a stand-in clock) must not loop forever.
    clock = Clock(remaining_ms=30_000, call_ms=0)
    table = ThrottledTable(clock, throttled_calls=10_000)

    result = store.write_readings(
        [READING], table_name="T", client=table, remaining_ms=lambda: 30_000, sleep=lambda _: None
    )

    assert len(table.calls) == store.MAX_TIMED_ATTEMPTS
    assert set(result.failed) == {READING.key}


def test_the_handler_gives_the_store_the_invocations_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given an invocation with 30 s left
    monkeypatch.setenv("TABLE_NAME", "T")
    context = FakeLambdaContext("QueueWorker-Worker", remaining_ms=30_000)
    seen: list[Any] = []

    def write_readings(readings: Any, **options: Any) -> store.WriteResult:
        seen.append(options.get("remaining_ms"))
        return store.WriteResult()

    monkeypatch.setattr(store, "write_readings", write_readings)

    # When Lambda invokes the handler
    handler.lambda_handler(load_event("queue_worker", "sqs_duplicate_delivery.json"), context)  # type: ignore[arg-type]

    # Then the retries are bounded by this invocation's remaining time
    [remaining_ms] = seen
    assert remaining_ms is not None
    assert remaining_ms() == 30_000


def test_the_client_gives_up_on_a_hung_call_inside_the_reserve(
    monkeypatch: pytest.MonkeyPatch, fake_aws_credentials: None
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    config = store.default_client.__wrapped__().meta.config
    assert (config.connect_timeout + config.read_timeout) * 1000 < store.RESERVE_MS
