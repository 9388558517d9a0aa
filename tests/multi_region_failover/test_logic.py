"""lambda_src/failover_site/logic.py: routes, the cached down switch, the atomic counter (moto)."""

from __future__ import annotations

import json

import boto3
import pytest
from failover_site import logic

from tests.multi_region_failover.conftest import PRIMARY, TABLE_NAME


class Reads:
    def __init__(self, *values: str) -> None:
        self.values, self.count = list(values), 0

    def __call__(self) -> str:
        self.count += 1
        return self.values[min(self.count, len(self.values)) - 1]


def test_the_switch_is_read_once_per_cache_period() -> None:
    now = [0.0]
    reads = Reads("false", "true")
    switch = logic.DownSwitch(reads, cache_seconds=5, clock=lambda: now[0])
    assert switch.is_down() is False
    now[0] = 4.9
    assert switch.is_down() is False  # still the cached "false"
    assert reads.count == 1
    now[0] = 5.0
    assert switch.is_down() is True  # the flip shows after the cache period
    assert reads.count == 2


@pytest.mark.parametrize(
    ("value", "down"), [("true", True), (" TRUE\n", True), ("down", True), ("false", False), ("", False)]
)
def test_the_switch_values(value: str, down: bool) -> None:
    assert logic.DownSwitch(lambda: value, cache_seconds=0).is_down() is down


def up() -> logic.DownSwitch:
    return logic.DownSwitch(lambda: "false", cache_seconds=0)


def down() -> logic.DownSwitch:
    return logic.DownSwitch(lambda: "true", cache_seconds=0)


def test_health_answers_200_when_up_and_503_when_down() -> None:
    assert logic.answer("GET", "/health", region="eu-west-1", switch=up(), visit=lambda: 0).status == 200
    answer = logic.answer("GET", "/health", region="eu-west-1", switch=down(), visit=lambda: 0)
    assert (answer.status, answer.body) == (503, {"status": "down", "region": "eu-west-1"})


def test_root_answers_the_region_and_counts_even_while_down() -> None:
    # Down only fails the health check: the region still serves, Route 53 moves the traffic.
    answer = logic.answer("GET", "/", region="us-east-1", switch=down(), visit=lambda: 7)
    assert (answer.status, answer.body) == (200, {"region": "us-east-1", "visits": 7})


def test_other_paths_and_methods() -> None:
    assert logic.answer("GET", "/admin", region="r", switch=up(), visit=lambda: 0).status == 404
    assert logic.answer("POST", "/", region="r", switch=up(), visit=lambda: 0).status == 405


def test_the_alb_response_shape() -> None:
    response = logic.Answer(503, {"status": "down"}).as_alb_response()
    assert response["statusCode"] == 503
    assert response["statusDescription"] == "503 Service Unavailable"
    assert response["isBase64Encoded"] is False
    assert response["headers"]["Cache-Control"] == "no-store"
    assert json.loads(response["body"]) == {"status": "down"}


def test_count_visit_adds_one_atomically(deployed: dict[str, str]) -> None:
    client = boto3.client("dynamodb", region_name=PRIMARY)
    assert [logic.count_visit(client, TABLE_NAME) for _ in range(3)] == [1, 2, 3]
    item = client.get_item(TableName=TABLE_NAME, Key={"pk": {"S": "visits"}})["Item"]
    assert item["visits"] == {"N": "3"}
