"""Stand-ins for what moto cannot play: Route 53's health-checked DNS answers, the two ALBs, time.

`World` keeps a fake clock. Its zone resolver answers like Route 53 with a failover pair:
the health checker probes the primary's /health every `interval` seconds of that clock (the
answer comes from the lab's own logic, reading the down switch from moto's SSM), the primary
turns unhealthy after `threshold` failures in a row and healthy after as many successes,
and the zone then answers with the secondary's or the primary's ALB addresses. Its HTTP
stand-in serves each ALB with the lab's logic against moto's DynamoDB in that region, and
`replicate()` copies the counter item as DynamoDB's global table replication would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import boto3
from failover_site import logic

from stacks.multi_region_failover import names
from tests.multi_region_failover.conftest import PRIMARY, PRIMARY_ALB, RECORD, SECONDARY, SECONDARY_ALB

ADDRESSES = {PRIMARY_ALB: frozenset({"3.3.3.1", "3.3.3.2"}), SECONDARY_ALB: frozenset({"52.5.5.1", "52.5.5.2"})}
REGION_OF = {PRIMARY_ALB: PRIMARY, SECONDARY_ALB: SECONDARY}


@dataclass
class World:
    interval: float = 30
    threshold: int = 3
    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)
    replicate_on_sleep: bool = True
    dns_queries: int = 0
    _last_probe: float = 0.0
    _streak: int = 0  # consecutive probes that disagree with the current status
    primary_healthy: bool = True

    # -- time -------------------------------------------------------------------------------
    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.replicate_on_sleep:
            self.replicate()

    # -- the regions ------------------------------------------------------------------------
    def switch(self, region: str) -> logic.DownSwitch:
        ssm = boto3.client("ssm", region_name=region)
        return logic.DownSwitch(
            lambda: ssm.get_parameter(Name=names.DOWN_PARAMETER)["Parameter"]["Value"], cache_seconds=0
        )

    def http_get(self, url: str) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(url)
        region = REGION_OF[parts.netloc]
        dynamodb = boto3.client("dynamodb", region_name=region)
        answer = logic.answer(
            "GET",
            parts.path or "/",
            region=region,
            switch=self.switch(region),
            visit=lambda: logic.count_visit(dynamodb, names.TABLE_NAME),
        )
        return answer.status, json.loads(json.dumps(answer.body))

    def replicate(self) -> None:
        """The counter item, copied from the primary's table to the replica."""
        item = boto3.client("dynamodb", region_name=PRIMARY).get_item(
            TableName=names.TABLE_NAME, Key={"pk": {"S": logic.COUNTER_KEY}}
        )
        if "Item" in item:
            boto3.client("dynamodb", region_name=SECONDARY).put_item(TableName=names.TABLE_NAME, Item=item["Item"])

    # -- Route 53 ---------------------------------------------------------------------------
    def _probe_until_now(self) -> None:
        while self._last_probe + self.interval <= self.now:
            self._last_probe += self.interval
            healthy = not self.switch(PRIMARY).is_down()
            self._streak = self._streak + 1 if healthy != self.primary_healthy else 0
            if self._streak >= self.threshold:
                self.primary_healthy, self._streak = healthy, 0

    def zone(self, deployment: Any = None) -> ZoneResolver:
        return ZoneResolver(self)

    def answer(self, name: str) -> frozenset[str]:
        self.dns_queries += 1
        if name != RECORD:
            return frozenset()
        self._probe_until_now()
        return ADDRESSES[PRIMARY_ALB if self.primary_healthy else SECONDARY_ALB]


class ZoneResolver:
    def __init__(self, world: World) -> None:
        self.world = world

    def addresses(self, name: str) -> frozenset[str]:
        return self.world.answer(name)


class PublicResolver:
    def addresses(self, name: str) -> frozenset[str]:
        return ADDRESSES.get(name, frozenset())
