"""Monthly cost of the queue-worker lab: at idle, and per million messages (us-east-1 list prices).

    python -m scripts.cost --lab queue-worker [--stage prod] [--duration-ms 250]

Prints the arithmetic, line by line, from the dated price table below. The prices
are us-east-1 on-demand list prices WITHOUT the free tier; AWS changes them, so check
them on the pricing pages (https://aws.amazon.com/<service>/pricing/) before quoting.
"""

from __future__ import annotations

from stacks.cost_model import PRICES_REVIEWED, Line, alarms, alert_topic_key, lambda_arm64
from stacks.queue_worker.config import QueueWorkerConfig

PRICES_NOTE = (
    f"Prices compiled {PRICES_REVIEWED} from the public us-east-1 list prices (DynamoDB on-demand after "
    "its November 2024 cut), not fetched live, free tier ignored: check them before you rely on them."
)
# USD, us-east-1.
PRICE = {
    "sqs_per_million_requests": 0.40,  # standard queue, beyond the first 1M requests/month
    "dynamodb_per_million_write_units": 0.625,  # on-demand, standard table class
    "dynamodb_storage_per_gb_month": 0.25,
    "dynamodb_pitr_per_gb_month": 0.20,
    "logs_ingest_per_gb": 0.50,
    "xray_per_million_traces": 5.00,
}
# An SQS event source keeps pollers long-polling the queue even when it is empty. AWS does not
# publish the exact number; this assumes 5 pollers x one 20 s receive each = 15 requests/minute.
IDLE_RECEIVES_PER_MONTH = 15 * 60 * 24 * 30
BYTES_LOGGED_PER_INVOCATION = 700  # START/END/REPORT lines plus one JSON summary line
ITEM_BYTES = 150  # ~60 bytes of attributes plus DynamoDB's 100-byte per-item overhead


NOT_COUNTED = PRICES_NOTE


def monthly_lines(config: QueueWorkerConfig) -> list[Line]:
    """A deployed month with no messages: what the lab costs just by existing."""
    del config  # the idle cost does not depend on the stage's sizes
    return idle_month()


def usage_lines(config: QueueWorkerConfig, duration_ms: float) -> tuple[str, list[Line]]:
    """What each million messages adds, with the stage's batch size and memory."""
    title = (
        f"Per million messages (batches of {config.batch_size}, {duration_ms:g} ms at {config.function_memory_mb} MB):"
    )
    return title, per_million_messages(config.batch_size, duration_ms, config.function_memory_mb)


def idle_month() -> list[Line]:
    receives = IDLE_RECEIVES_PER_MONTH
    return [
        alert_topic_key(),
        alarms("(DLQ, errors, message age)", 3),
        Line(
            "SQS empty long polls (assumed)",
            f"{receives:,} receives x ${PRICE['sqs_per_million_requests']:.2f}/M",
            receives / 1e6 * PRICE["sqs_per_million_requests"],
        ),
        Line("Lambda, DynamoDB, logs at idle", "no invocations, no writes, an empty table", 0.0),
    ]


def per_million_messages(batch_size: int, duration_ms: float, memory_mb: int) -> list[Line]:
    messages = 1_000_000
    invocations = messages / batch_size
    sqs_requests = messages / 10 + 2 * invocations  # SendMessageBatch of 10; one receive + one delete per batch
    log_gb = invocations * BYTES_LOGGED_PER_INVOCATION / 1e9
    storage_gb = messages * ITEM_BYTES / 1e9
    return [
        Line(
            "SQS requests",
            f"{sqs_requests:,.0f} (sends in 10s, receive + delete per batch)"
            f" x ${PRICE['sqs_per_million_requests']:.2f}/M",
            sqs_requests / 1e6 * PRICE["sqs_per_million_requests"],
        ),
        *lambda_arm64(invocations, duration_ms, memory_mb),
        Line(
            "DynamoDB writes (on-demand)",
            f"{messages:,} items < 1 KB = {messages:,} WRU x ${PRICE['dynamodb_per_million_write_units']:.3f}/M",
            messages / 1e6 * PRICE["dynamodb_per_million_write_units"],
        ),
        Line(
            "DynamoDB storage + PITR (1st month)",
            f"{storage_gb:.2f} GB x (${PRICE['dynamodb_storage_per_gb_month']:.2f} + "
            f"${PRICE['dynamodb_pitr_per_gb_month']:.2f})",
            storage_gb * (PRICE["dynamodb_storage_per_gb_month"] + PRICE["dynamodb_pitr_per_gb_month"]),
        ),
        Line(
            "CloudWatch Logs ingestion",
            f"{invocations:,.0f} x {BYTES_LOGGED_PER_INVOCATION} B = {log_gb:.3f} GB"
            f" x ${PRICE['logs_ingest_per_gb']:.2f}",
            log_gb * PRICE["logs_ingest_per_gb"],
        ),
        Line(
            "X-Ray traces (upper bound: all sampled)",
            f"{invocations:,.0f} traces x ${PRICE['xray_per_million_traces']:.2f}/M",
            invocations / 1e6 * PRICE["xray_per_million_traces"],
        ),
    ]
