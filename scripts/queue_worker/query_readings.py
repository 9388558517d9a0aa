"""Read back one zipcode's readings from the queue-worker lab's table, with a Query.

    python -m scripts.queue_worker.query_readings --zipcode 90210
    python -m scripts.queue_worker.query_readings --zipcode 90210 --since 2024-05-01T00:00:00Z --compare-scan

Query vs Scan (guide 000, "DynamoDB"): the table's partition key is Zipcode, so a
Query goes straight to that zipcode's items and reads only them, already sorted by
the sort key ObservedAt (a time range is a key condition, not a filter). A Scan reads
every item in the table and only then applies a filter: you pay for, and wait for,
everything it examined. --compare-scan runs both and prints how many items each read.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from scripts.aws_session import aws_session
from scripts.stack_outputs import OneLineParser, require_output, run, stack_outputs

MAX_LIMIT = 1000


def iso_utc(value: str) -> str:
    """An argparse type: an ISO-8601 time with zone, as the table's sort-key format."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO-8601 time with a zone, like 2024-05-01T12:00:00Z")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def query(client: Any, table: str, zipcode: str, since: str | None, until: str | None, limit: int) -> dict[str, Any]:
    condition = "Zipcode = :zipcode"
    values: dict[str, Any] = {":zipcode": {"S": zipcode}}
    if since or until:
        condition += " AND ObservedAt BETWEEN :since AND :until"
        values[":since"] = {"S": since or "0000"}
        values[":until"] = {"S": until or "9999"}
    response: dict[str, Any] = client.query(
        TableName=table,
        KeyConditionExpression=condition,
        ExpressionAttributeValues=values,
        ScanIndexForward=False,  # newest first
        Limit=limit,
        ReturnConsumedCapacity="TOTAL",
    )
    return response


def scan_for(client: Any, table: str, zipcode: str) -> tuple[int, int]:
    """What a Scan costs for the same question: (items examined, items returned)."""
    examined = returned = 0
    for page in client.get_paginator("scan").paginate(
        TableName=table,
        FilterExpression="Zipcode = :zipcode",
        ExpressionAttributeValues={":zipcode": {"S": zipcode}},
    ):
        examined += page["ScannedCount"]
        returned += page["Count"]
    return examined, returned


def parse_args(argv: Sequence[str] | None) -> Any:
    parser = OneLineParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--zipcode", required=True, help="5 digits, e.g. 90210")
    parser.add_argument("--since", type=iso_utc, help="only readings at or after this time")
    parser.add_argument("--until", type=iso_utc, help="only readings at or before this time")
    parser.add_argument("--limit", type=int, default=20, help=f"newest readings to show (1-{MAX_LIMIT}, default 20)")
    parser.add_argument("--compare-scan", action="store_true", help="also run a Scan and compare what each read")
    parser.add_argument("--stack-name", default="QueueWorker", help="the lab's stack (default QueueWorker)")
    parser.add_argument("--region", help="AWS region of the stack (default: your AWS CLI configuration)")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[0-9]{5}", args.zipcode):
        parser.error(f"--zipcode must be exactly 5 digits, not {args.zipcode!r}")
    if not 1 <= args.limit <= MAX_LIMIT:
        parser.error(f"--limit must be between 1 and {MAX_LIMIT}, not {args.limit}")
    if args.since and args.until and args.since > args.until:
        parser.error("--since must not be later than --until")
    return args


def main(argv: Sequence[str] | None = None, session: Any = None) -> int:
    args = parse_args(argv)
    session = session or aws_session(args.region)
    table = require_output(stack_outputs(session, args.stack_name), "TableName", args.stack_name)
    client = session.client("dynamodb")
    response = query(client, table, args.zipcode, args.since, args.until, args.limit)
    for item in response["Items"]:
        print(f"{item['Zipcode']['S']}  {item['ObservedAt']['S']}  {item['TemperatureF']['N']:>6} F")
    print(f"Query read {response['ScannedCount']} item(s) of zipcode {args.zipcode} and returned {response['Count']}.")
    if args.compare_scan:
        examined, returned = scan_for(client, table, args.zipcode)
        print(
            f"Scan examined {examined} item(s) (the whole table) to return {returned}: "
            "a Scan reads everything, then filters; a Query reads one partition."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main, None))
