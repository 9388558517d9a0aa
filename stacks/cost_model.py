"""Shared arithmetic for the labs' monthly cost models (stacks/<lab>/cost.py).

Each lab's cost model lists priced lines with the arithmetic spelled out
(`monthly_lines(config)` for one stage's section); this module holds the line type,
the price table's date and region, and the one renderer. `python -m scripts.cost`
prints them, so every cost figure in the README comes from a command and shows its working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HOURS_PER_MONTH = 730  # AWS pricing pages use 730 hours per month.
PRICE_REGION = "us-east-1"
# On-demand list prices (before free tier and taxes) as the authors last reviewed them.
# The build machine cannot fetch prices: check the AWS pricing pages before relying on them.
PRICES_REVIEWED = "2026-11-22"
ARITHMETIC_WIDTH = 32
# Prices every lab pays: the alert topic's customer-managed key (stacks/components/alert_topic.py)
# and its alarms. Labs keep their own prices in their cost.py.
KMS_KEY_MONTH = 1.00  # per customer-managed key, prorated hourly
CLOUDWATCH_STANDARD_ALARM_MONTH = 0.10  # per standard-resolution alarm metric; the first 10 a month are free
CUSTOM_METRIC_MONTH = 0.30  # per custom metric (a metric filter's), prorated by the hours it is published
LOGS_VENDED_INGEST_GB = 0.50  # CloudWatch Logs ingestion of vended logs (VPC flow logs), first 10 TB
LOGS_STORAGE_GB_MONTH = 0.03
# Alert topics' keys rotate yearly (alert_topic.py); since April 2024 each of a key's first two
# rotations adds 1 USD a month and later ones are free (https://aws.amazon.com/kms/pricing/).
KMS_ROTATION_NOTE = (
    "Key rotation: the alert topic's key rotates every year, and each of its first two rotations adds "
    f"{KMS_KEY_MONTH:.2f} USD a month (after a year 1 x {KMS_KEY_MONTH:.2f}, after two years 2 x {KMS_KEY_MONTH:.2f}; "
    "later rotations are free): not in the lines, as a lab session ends long before the first."
)
# Every lab's functions run on arm64 (stacks/components/python_function.py). Free tier ignored.
LAMBDA_PER_MILLION_REQUESTS = 0.20
LAMBDA_ARM64_PER_GB_SECOND = 0.0000133334  # the first 6 billion GB-s a month


class PriceMissingError(Exception):
    """A configured size has no price in the lab's table; the message says where to add it."""


@dataclass(frozen=True)
class Line:
    """One billed item per month: what, how it is computed, and the result in USD."""

    item: str
    arithmetic: str
    usd: float


def hourly(item: str, count: float, price: float, hours: float = HOURS_PER_MONTH) -> Line:
    return Line(item, f"{count:g} x {price:.4f} USD/h x {hours:.0f} h", count * price * hours)


def monthly(item: str, quantity: float, unit: str, price: float) -> Line:
    return Line(item, f"{quantity:g} {unit} x {price:.3f} USD", quantity * price)


def alert_topic_key() -> Line:
    """The customer-managed key that encrypts a lab's alert topic."""
    return monthly("KMS customer-managed key (alert topic)", 1, "key", KMS_KEY_MONTH)


def alarms(what: str, count: int) -> Line:
    """`count` standard CloudWatch alarms; `what` says which, e.g. "on the dead-letter queues"."""
    return monthly(
        f"CloudWatch alarms {what}", count, "alarm" if count == 1 else "alarms", CLOUDWATCH_STANDARD_ALARM_MONTH
    )


def lambda_arm64(invocations: float, duration_ms: float, memory_mb: int) -> list[Line]:
    """What `invocations` of an arm64 function of `memory_mb` cost: requests and duration."""
    gb_seconds = invocations * duration_ms / 1000 * memory_mb / 1024
    return [
        Line(
            "Lambda requests",
            f"{invocations:,.0f} invocations x ${LAMBDA_PER_MILLION_REQUESTS:.2f}/M",
            invocations / 1e6 * LAMBDA_PER_MILLION_REQUESTS,
        ),
        Line(
            "Lambda duration (arm64)",
            f"{invocations:,.0f} x {duration_ms:g} ms x {memory_mb} MB = {gb_seconds:,.0f} GB-s "
            f"x ${LAMBDA_ARM64_PER_GB_SECOND}",
            gb_seconds * LAMBDA_ARM64_PER_GB_SECOND,
        ),
    ]


def total(lines: Sequence[Line]) -> float:
    return sum(line.usd for line in lines)


def render(title: str, lines: Sequence[Line]) -> str:
    """The title, one aligned row per line, and the total."""
    width = max(len(line.item) for line in lines)
    arithmetic = max(ARITHMETIC_WIDTH, *(len(line.arithmetic) for line in lines))
    rows = [title]
    rows += [f"  {line.item:<{width}}  {line.arithmetic:<{arithmetic}} = {line.usd:7.2f} USD" for line in lines]
    rows.append(f"  {'Total per month':<{width}}  {'':<{arithmetic}} = {total(lines):7.2f} USD")
    return "\n".join(rows)
