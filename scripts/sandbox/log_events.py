"""Reading a log group's events the way CloudWatch Logs serves them: every page, a bounded time range.

FilterLogEvents pages hold up to 1 MB or 10,000 events, but a page may be partly full or
empty while more events follow: only a response without `nextToken` ends the search
(https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
Without `startTime` the search covers the group's whole retention, page after page of
old events; a start time keeps each poll short.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

# Log events carry the function's clock, the start time ours: allow for a little skew.
CLOCK_SKEW = timedelta(minutes=1)


def matching_events(logs: Any, group: str, pattern: str, since: datetime) -> Iterator[dict[str, Any]]:
    """Every event of `group` matching `pattern` stamped from `since` (less the skew) on, across all pages."""
    start_ms = int((since - CLOCK_SKEW).timestamp() * 1000)
    pages = logs.get_paginator("filter_log_events").paginate(
        logGroupName=group, filterPattern=pattern, startTime=start_ms
    )
    for page in pages:
        yield from page.get("events", [])
