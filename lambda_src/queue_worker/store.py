"""The only module that talks to AWS: writes readings to DynamoDB with BatchWriteItem.

- One BatchWriteItem call per 25 items (the API's limit), so n readings cost
  ceil(n / 25) calls on the happy path.
- Items with the same key are sent once per call: DynamoDB rejects a whole
  BatchWriteItem that names one key twice. Redelivered copies of a reading overwrite
  the same item, so writing it once is enough.
- UnprocessedItems and throttling are retried a bounded number of times with
  exponential backoff and full jitter; whatever still fails is returned to the
  caller, never dropped. botocore's own retries are off so that this is the one
  retry budget and it fits inside the function timeout.
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
MAX_ATTEMPTS = 5
BASE_DELAY_SECONDS = 0.05
MAX_DELAY_SECONDS = 1.0
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


@functools.cache
def default_client() -> Any:
    """Created on first use, not at import: importing the handler needs no credentials or region."""
    return boto3.client("dynamodb", config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def write_readings(
    readings: Iterable[Reading],
    *,
    table_name: str,
    client: Any = None,
    max_attempts: int = MAX_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> WriteResult:
    """Writes every reading (last one wins per key); returns which keys were written or failed."""
    client = client if client is not None else default_client()
    unique: dict[Key, Reading] = {}
    for reading in readings:
        unique[reading.key] = reading
    result = WriteResult()
    items = list(unique.values())
    for start in range(0, len(items), MAX_ITEMS_PER_CALL):
        chunk = items[start : start + MAX_ITEMS_PER_CALL]
        _write_chunk(client, table_name, chunk, result, max_attempts, sleep)
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
    max_attempts: int,
    sleep: Callable[[float], None],
) -> None:
    pending: list[dict[str, Any]] = [{"PutRequest": {"Item": to_item(reading)}} for reading in chunk]
    reason = ""
    attempts = 0
    while attempts < max_attempts:
        if attempts:
            sleep(_backoff(attempts))
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
