"""What a real region publishes and moto does not: answers for two calls the deploy-day checks make.

moto knows the AL2023 AMI parameters but not Powertools' public layer parameters
(/aws/service/powertools/...), and its DescribeOrderableDBInstanceOptions answers only for
Aurora PostgreSQL and Neptune. `PublishedFacts` answers those two calls on one session
(botocore before-call hooks, as tests/security_baseline does for TestMetricFilter): every
parameter exists and every engine version is orderable, except those named `missing` and
`unorderable`. Everything else the checks ask (zones, offerings, GuardDuty, Config, ACM) is moto.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

HOOKS = {
    "before-call.ssm.GetParameters": "_parameters",
    "before-call.rds.DescribeOrderableDBInstanceOptions": "_orderable",
}


class PublishedFacts:
    def __init__(self) -> None:
        self.missing: set[str] = set()
        self.unorderable: set[tuple[str, str, str]] = set()
        self.calls: list[str] = []

    def _parameters(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        names = _request(params)["Names"]
        self.calls.append("GetParameters")
        found = [
            {"Name": name, "Type": "String", "Value": f"value of {name}"} for name in names if name not in self.missing
        ]
        return _ok(), {"Parameters": found, "InvalidParameters": [name for name in names if name in self.missing]}

    def _orderable(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        request = _request(params)
        key = (request["Engine"], request["EngineVersion"], request["DBInstanceClass"])
        self.calls.append("DescribeOrderableDBInstanceOptions")
        option = {"Engine": key[0], "EngineVersion": key[1], "DBInstanceClass": key[2]}
        return _ok(), {"OrderableDBInstanceOptions": [] if key in self.unorderable else [option]}


@contextmanager
def published(session: Any) -> Iterator[PublishedFacts]:
    """Registers the answers on `session` (shared by tests) and removes them afterwards."""
    facts = PublishedFacts()
    handlers = {event: getattr(facts, method) for event, method in HOOKS.items()}
    for event, handler in handlers.items():
        session.events.register(event, handler)
    try:
        yield facts
    finally:
        for event, handler in handlers.items():
            session.events.unregister(event, handler)


def _request(params: dict[str, Any]) -> dict[str, Any]:
    """The operation's input: a JSON body (SSM) or the query form (RDS, Names.member.N style flattened)."""
    body = params.get("body")
    if isinstance(body, bytes | str):
        return dict(json.loads(body or "{}"))
    return dict(body or {})


def _ok() -> Any:
    return SimpleNamespace(status_code=200, headers={})
