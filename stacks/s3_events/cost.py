"""Monthly cost of the s3-events lab: at idle, and per 10,000 uploads (us-east-1 list prices).

    python -m scripts.cost --lab s3-events [--stage prod] [--duration-ms 250]

Prints the arithmetic, line by line, from the dated price table below. The prices are
us-east-1 list prices WITHOUT the free tier; AWS changes them, so check them on the
pricing pages (https://aws.amazon.com/<service>/pricing/) before quoting. The image
work per upload is what `python -m scripts.s3_events.bench` measures; the billed Lambda
duration adds the S3 calls, so pass your own with --duration-ms.
"""

from __future__ import annotations

from stacks.cost_model import PRICES_REVIEWED, Line, alarms, alert_topic_key, lambda_arm64
from stacks.s3_events.config import S3EventsConfig

# USD, us-east-1.
PRICE = {
    "s3_standard_per_gb_month": 0.023,  # first 50 TB
    "s3_put_per_1000": 0.005,  # PUT, COPY, POST, LIST (S3 Standard)
    "s3_get_per_1000": 0.0004,
    "logs_ingest_per_gb": 0.50,
    "xray_per_million_traces": 5.00,
}
# Where the lifecycle rule moves the originals: USD per GB-month, and per 1,000 objects moved (once).
CLASS_STORAGE = {"STANDARD_IA": 0.0125, "INTELLIGENT_TIERING": 0.023, "GLACIER_IR": 0.004}
CLASS_TRANSITION_PER_1000 = {"STANDARD_IA": 0.01, "INTELLIGENT_TIERING": 0.01, "GLACIER_IR": 0.02}
INTELLIGENT_TIERING_MONITORING_PER_1000 = 0.0025  # per 1,000 objects of 128 KB or more, per month
UPLOADS = 10_000
PHOTO_MB = 3.0  # a 12 MP phone photo as JPEG
# JPEG bytes per thumbnail pixel at quality 85 (512 x 384: 17 KB, measured on the generated sample), 4:3 photos.
THUMBNAIL_BYTES_PER_PIXEL = 0.09
BYTES_LOGGED_PER_INVOCATION = 1500  # START/END/REPORT lines plus two JSON lines of the Powertools logger
ACCESS_LOG_BYTES_PER_REQUEST = 400  # one server access log record


def _later_months() -> str:
    """What the lifecycle rule changes after the first month, for the same uploads."""
    originals_gb = UPLOADS * PHOTO_MB / 1000
    standard = originals_gb * PRICE["s3_standard_per_gb_month"]
    classes = ", ".join(f"{CLASS_STORAGE[name] * originals_gb:.2f} in {name}" for name in ("STANDARD_IA", "GLACIER_IR"))
    return (
        f"Later months: once moved by the lifecycle rule, the {originals_gb:g} GB of originals cost {classes} "
        f"(instead of {standard:.2f} in Standard) per month, plus a one-off "
        f"{UPLOADS / 1000 * CLASS_TRANSITION_PER_1000['STANDARD_IA']:.2f} USD per {UPLOADS:,} objects moved "
        f"({UPLOADS / 1000 * CLASS_TRANSITION_PER_1000['GLACIER_IR']:.2f} to GLACIER_IR; INTELLIGENT_TIERING adds "
        f"{UPLOADS / 1000 * INTELLIGENT_TIERING_MONITORING_PER_1000:.3f} USD of monitoring a month)."
    )


NOT_COUNTED = (
    _later_months()
    + f" Prices compiled {PRICES_REVIEWED} from the public us-east-1 list prices, not fetched live, free tier "
    "ignored: check them before you rely on them. Not counted: data transfer out (downloading thumbnails from "
    "outside AWS), SQS requests for failed events (a handful), the seconds of Lambda the custom resources "
    "(notification set-up, sandbox auto-delete) run at deploy and destroy, and objects under 128 KB, which S3 "
    "lifecycle does not transition by default."
)


def monthly_lines(config: S3EventsConfig) -> list[Line]:
    """A deployed month with no uploads: what the lab costs just by existing."""
    del config  # the idle cost does not depend on the stage's sizes
    return [
        alert_topic_key(),
        alarms("on failed events", 1),
        Line("S3, Lambda, SQS, logs at idle", "an empty bucket, no invocations, no messages", 0.0),
    ]


def usage_lines(config: S3EventsConfig, duration_ms: float) -> tuple[str, list[Line]]:
    """What 10,000 uploads add in their first month (before the lifecycle move), with the stage's sizes and memory."""
    title = (
        f"Per {UPLOADS:,} uploads of {PHOTO_MB:g} MB photos, their first month ({duration_ms:g} ms at "
        f"{config.function_memory_mb} MB, {len(config.thumbnail_sizes)} sizes):"
    )
    return title, per_uploads(config, duration_ms)


def per_uploads(config: S3EventsConfig, duration_ms: float) -> list[Line]:
    sizes = len(config.thumbnail_sizes)
    puts = UPLOADS * (1 + sizes)
    thumbnail_bytes = sum(THUMBNAIL_BYTES_PER_PIXEL * size * size * 3 / 4 for size in config.thumbnail_sizes)
    stored_gb = UPLOADS * (PHOTO_MB * 1e6 + thumbnail_bytes) / 1e9
    log_gb = UPLOADS * BYTES_LOGGED_PER_INVOCATION / 1e9
    access_log_gb = (puts + UPLOADS) * ACCESS_LOG_BYTES_PER_REQUEST / 1e9
    return [
        Line(
            "S3 PUT requests",
            f"{puts:,} (upload + {sizes} thumbnails each) x ${PRICE['s3_put_per_1000']}/1,000",
            puts / 1000 * PRICE["s3_put_per_1000"],
        ),
        Line(
            "S3 GET requests",
            f"{UPLOADS:,} x ${PRICE['s3_get_per_1000']}/1,000",
            UPLOADS / 1000 * PRICE["s3_get_per_1000"],
        ),
        Line(
            "S3 Standard storage (1st month)",
            f"{stored_gb:.1f} GB x ${PRICE['s3_standard_per_gb_month']}",
            stored_gb * PRICE["s3_standard_per_gb_month"],
        ),
        *lambda_arm64(UPLOADS, duration_ms, config.function_memory_mb),
        Line(
            "CloudWatch Logs + access logs",
            f"({log_gb:.3f} GB x ${PRICE['logs_ingest_per_gb']:.2f}) + ({access_log_gb:.3f} GB x "
            f"${PRICE['s3_standard_per_gb_month']})",
            log_gb * PRICE["logs_ingest_per_gb"] + access_log_gb * PRICE["s3_standard_per_gb_month"],
        ),
        Line(
            "X-Ray traces (upper bound: all sampled)",
            f"{UPLOADS:,} traces x ${PRICE['xray_per_million_traces']:.2f}/M",
            UPLOADS / 1e6 * PRICE["xray_per_million_traces"],
        ),
    ]
