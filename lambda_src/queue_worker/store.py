"""The only module that talks to AWS: writes readings to DynamoDB with BatchWriteItem.

- One BatchWriteItem call per 25 items (the API's limit), so n readings cost
  ceil(n / 25) calls on the happy path.
- Items with the same key are sent once per call: DynamoDB rejects a whole
  BatchWriteItem that names one key twice. Redelivered copies of a reading overwrite
  the same item, so writing it once is enough.
- UnprocessedItems and throttling are retried with exponential backoff and full
  jitter for as long as the invocation has time left (RetryBudget): whatever still
  fails is returned to the caller, never dropped. botocore's own retries are off, and
  its timeouts short, so that this is the one retry budget and it fits inside the
  function timeout.

Why the time, not a count: under sustained throttling a fixed 5 attempts (about 1.5 s
of backoff) per receive sends a valid reading to the dead-letter queue after
max_receive_count receives, about 9 minutes with the lab's settings, having tried to
write it for a few seconds. Failed messages only come back after the queue's visibility
timeout (6x the function timeout), so retrying inside the invocation until it is nearly
out of time costs no delay and multiplies the time spent trying to write.
https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
https://docs.aws.amazon.com/lambda/latest/dg/python-context.html (get_remaining_time_in_millis)
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from queue_worker.logic import Reading

MAX_ITEMS_PER_CALL = 25
MAX_ATTEMPTS = 5  # without an invocation clock (scripts, tests): a fixed number of attempts
BASE_DELAY_SECONDS = 0.05
MAX_DELAY_SECONDS = 1.0
# A BatchWriteItem of 25 small items answers in milliseconds; botocore's 60 s defaults
# would let one hung call outlast the whole invocation.
CONNECT_TIMEOUT_SECONDS = 1
READ_TIMEOUT_SECONDS = 2
# A retry starts only if, after its backoff, this much of the invocation is left: one
# call's worst case (connect + read timeout) and half a second to log and reply.
RESERVE_MS = (CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS) * 1000 + 500
# A ceiling even with the clock (a clock that does not advance must not loop forever): far
# above what fits in the longest function timeout (120 s) with backoff capped at 1 s.
MAX_TIMED_ATTEMPTS = 200
RETRYABLE_ERROR_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)

Key = tuple[str, str]


@dataclass
class WriteResult:
    """What happened to each distinct key: written, or failed with the last reason."""

    written: set[Key] = field(default_factory=set)
    failed: dict[Key, str] = field(default_factory=dict)
    calls: int = 0


@dataclass(frozen=True)
class RetryBudget:
    """Whether another attempt may start.

    With the invocation's clock (the Lambda context's get_remaining_time_in_millis): while,
    after the backoff, more than `reserve_ms` would be left (and below MAX_TIMED_ATTEMPTS).
    Without one: `max_attempts`.
    The first attempt of each chunk is always made.
    """

    remaining_ms: Callable[[], int] | None = None
    max_attempts: int = MAX_ATTEMPTS
    reserve_ms: int = RESERVE_MS

    def allows_retry(self, attempts: int, delay_seconds: float) -> bool:
        if self.remaining_ms is None:
            return attempts < self.max_attempts
        return attempts < MAX_TIMED_ATTEMPTS and self.remaining_ms() - delay_seconds * 1000 > self.reserve_ms


@functools.cache
def default_client() -> Any:
    """Created on first use, not at import: importing the handler needs no credentials or region."""
    return boto3.client(
        "dynamodb",
        config=Config(
            retries={"total_max_attempts": 1, "mode": "standard"},
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=READ_TIMEOUT_SECONDS,
        ),
    )


def write_readings(
    readings: Iterable[Reading],
    *,
    table_name: str,
    client: Any = None,
    max_attempts: int = MAX_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
    remaining_ms: Callable[[], int] | None = None,
) -> WriteResult:
    """Writes every reading (last one wins per key); returns which keys were written or failed.

    `remaining_ms` (the Lambda context's get_remaining_time_in_millis) bounds the retries by
    the invocation's time instead of by `max_attempts`.
    """
    client = client if client is not None else default_client()
    budget = RetryBudget(remaining_ms=remaining_ms, max_attempts=max_attempts)
    unique: dict[Key, Reading] = {}
    for reading in readings:
        unique[reading.key] = reading
    result = WriteResult()
    items = list(unique.values())
    for start in range(0, len(items), MAX_ITEMS_PER_CALL):
        chunk = items[start : start + MAX_ITEMS_PER_CALL]
        _write_chunk(client, table_name, chunk, result, budget, sleep)
    return result


def to_item(reading: Reading) -> dict[str, dict[str, str]]:
    """The DynamoDB item, in the guide's ZipcodeWeather shape plus the observation time."""
    return {
        "Zipcode": {"S": reading.zipcode},
        "ObservedAt": {"S": reading.observed_at_key},
        "TemperatureF": {"N": str(reading.temperature_f)},
    }


def _write_chunk(
    client: Any,
    table_name: str,
    chunk: Sequence[Reading],
    result: WriteResult,
    budget: RetryBudget,
    sleep: Callable[[float], None],
) -> None:
    pending: list[dict[str, Any]] = [{"PutRequest": {"Item": to_item(reading)}} for reading in chunk]
    reason = ""
    attempts = 0
    while True:
        if attempts:
            delay = _backoff(attempts)
            if not budget.allows_retry(attempts, delay):
                break
            sleep(delay)
        attempts += 1
        result.calls += 1
        try:
            response = client.batch_write_item(RequestItems={table_name: pending})
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "ClientError")
            reason = code
            if code not in RETRYABLE_ERROR_CODES:
                break  # AccessDenied, ResourceNotFound, ValidationException: retrying cannot help.
            continue
        except BotoCoreError as error:  # connection reset, endpoint timeout
            reason = type(error).__name__
            continue
        unprocessed = response.get("UnprocessedItems", {}).get(table_name, [])
        pending_keys = {_key_of(request) for request in pending}
        left_keys = {_key_of(request) for request in unprocessed}
        result.written |= pending_keys - left_keys
        pending = unprocessed
        reason = "UnprocessedItems"
        if not pending:
            return
    for request in pending:
        result.failed[_key_of(request)] = f"{reason} after {attempts} attempt(s)"


def _key_of(request: dict[str, Any]) -> Key:
    item = request["PutRequest"]["Item"]
    return (item["Zipcode"]["S"], item["ObservedAt"]["S"])


def _backoff(attempt: int) -> float:
    """Full jitter: a random delay up to base * 2^attempt, capped."""
    return random.uniform(0, min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2**attempt))
