"""Lambda entry point for the SQS event source: thin wiring only.

Each record is parsed by `logic`, the valid readings of the whole batch are written
together by `store` (ceil(n/25) calls), and every message that is invalid or could not
be written is returned in `batchItemFailures` (ReportBatchItemFailures is on), so SQS
retries only those and, after maxReceiveCount, moves them to the dead-letter queue.

Powertools' batch utility is not used: it hands records over one at a time, which
would cost one DynamoDB call per message instead of one per 25.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from queue_worker import logic, store

TABLE_NAME_VARIABLE = "TABLE_NAME"

logger = Logger(service="queue-worker")


class MissingConfigurationError(RuntimeError):
    """The function was deployed without a setting it needs."""


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[dict[str, str]]]:
    table_name = os.environ.get(TABLE_NAME_VARIABLE, "").strip()
    if not table_name:
        # Raising (not reporting items) retries the whole batch and trips the Errors alarm.
        raise MissingConfigurationError(
            f"environment variable {TABLE_NAME_VARIABLE} is not set: the table name is unknown"
        )
    # Retries of throttled writes last as long as the invocation has time (store.RetryBudget).
    return process_records(
        event.get("Records", []), table_name=table_name, remaining_ms=context.get_remaining_time_in_millis
    )


def process_records(
    records: list[dict[str, Any]],
    *,
    table_name: str,
    client: Any = None,
    remaining_ms: Callable[[], int] | None = None,
) -> dict[str, list[dict[str, str]]]:
    failed_ids: list[str] = []
    message_ids_by_key: dict[store.Key, list[str]] = {}
    readings: list[logic.Reading] = []
    for record in records:
        message_id = str(record.get("messageId", ""))
        try:
            reading = logic.parse_reading(record.get("body"))
        except logic.InvalidReadingError as error:
            logger.warning(
                "rejected message",
                extra={
                    "message_id": message_id,
                    "reason": str(error),
                    "receive_count": record.get("attributes", {}).get("ApproximateReceiveCount"),
                },
            )
            failed_ids.append(message_id)
            continue
        readings.append(reading)
        message_ids_by_key.setdefault(reading.key, []).append(message_id)

    result = store.write_readings(readings, table_name=table_name, client=client, remaining_ms=remaining_ms)
    for key, reason in result.failed.items():
        logger.error("write failed", extra={"zipcode": key[0], "observed_at": key[1], "reason": reason})
        failed_ids.extend(message_ids_by_key[key])

    logger.info(
        "batch processed",
        extra={
            "records": len(records),
            "stored": len(result.written),
            "failed": len(failed_ids),
            "write_calls": result.calls,
        },
    )
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed_ids]}
