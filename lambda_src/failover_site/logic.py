"""What the failover site answers, independent of Lambda: routes, the down switch, the counter.

The down switch is an SSM parameter read at run time (not an environment variable), so the
failover drill flips a region without a deploy. It is cached `cache_seconds` per execution
environment: Route 53's health checkers call /health several times a second in all, and the
cache keeps SSM calls (and their throttling) down while a flip still shows within seconds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

COUNTER_KEY = "visits"
DOWN_VALUES = frozenset({"true", "down", "1", "yes"})


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]

    def as_alb_response(self) -> dict[str, Any]:
        """The response shape an ALB expects from a Lambda target."""
        reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}
        return {
            "statusCode": self.status,
            "statusDescription": f"{self.status} {reason.get(self.status, '')}".strip(),
            "isBase64Encoded": False,
            # A failover test must see each answer fresh, not a cached copy from before the switch.
            "headers": {"Content-Type": "application/json", "Cache-Control": "no-store"},
            "body": json.dumps(self.body),
        }


@dataclass
class DownSwitch:
    """The region's "down" switch: `read()` returns the parameter's value, cached for a while."""

    read_value: Callable[[], str]
    cache_seconds: float
    clock: Callable[[], float] = time.monotonic
    _cached: tuple[float, bool] | None = field(default=None, init=False)

    def is_down(self) -> bool:
        now = self.clock()
        if self._cached is not None and now - self._cached[0] < self.cache_seconds:
            return self._cached[1]
        down = self.read_value().strip().lower() in DOWN_VALUES
        self._cached = (now, down)
        return down


def count_visit(client: Any, table_name: str) -> int:
    """Adds one to the shared counter item (an atomic ADD, no read-then-write); returns the new count."""
    response = client.update_item(
        TableName=table_name,
        Key={"pk": {"S": COUNTER_KEY}},
        UpdateExpression="ADD visits :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="UPDATED_NEW",
    )
    return int(response["Attributes"]["visits"]["N"])


def answer(method: str, path: str, *, region: str, switch: DownSwitch, visit: Callable[[], int]) -> Answer:
    """/health: 200 or 503 (switch on); /: the region and the visit count; anything else 404."""
    if method not in ("GET", "HEAD"):
        return Answer(405, {"message": f"method {method} not allowed: use GET"})
    if path == "/health":
        if switch.is_down():
            return Answer(503, {"status": "down", "region": region})
        return Answer(200, {"status": "ok", "region": region})
    if path == "/":
        return Answer(200, {"region": region, "visits": visit()})
    return Answer(404, {"message": "not found: try / or /health"})
