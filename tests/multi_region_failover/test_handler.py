"""The handler behind each ALB, with the published ALB events, against moto's SSM and DynamoDB."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest

from tests.harness import fake_lambda_context, load_event
from tests.multi_region_failover.conftest import DOWN_PARAMETER, SECONDARY, TABLE_NAME


@pytest.fixture
def handler(deployed: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The handler module as Lambda loads it in the secondary region (fresh: no cached switch)."""
    monkeypatch.setenv("AWS_REGION", SECONDARY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", SECONDARY)
    monkeypatch.setenv("DOWN_PARAMETER", DOWN_PARAMETER)
    monkeypatch.setenv("DOWN_CACHE_SECONDS", "0")
    monkeypatch.setenv("TABLE_NAME", TABLE_NAME)
    import failover_site.handler

    module = importlib.reload(failover_site.handler)
    yield module
    module._CLIENTS.clear()


def invoke(handler: ModuleType, event: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = handler.lambda_handler(event, fake_lambda_context("MultiRegionFailoverSecondary-Site", region=SECONDARY))
    return response["statusCode"], json.loads(response["body"])


def test_health_follows_the_switch_in_ssm_without_a_redeploy(handler: ModuleType) -> None:
    event = load_event("multi_region_failover", "alb_health.json")
    assert invoke(handler, event) == (200, {"status": "ok", "region": SECONDARY})
    boto3.client("ssm", region_name=SECONDARY).put_parameter(Name=DOWN_PARAMETER, Value="true", Overwrite=True)
    assert invoke(handler, event) == (503, {"status": "down", "region": SECONDARY})


def test_root_counts_visits_in_the_regions_table(handler: ModuleType) -> None:
    event = {**load_event("multi_region_failover", "alb_request.json"), "path": "/"}  # the sample, asking for /
    assert invoke(handler, event) == (200, {"region": SECONDARY, "visits": 1})
    assert invoke(handler, event) == (200, {"region": SECONDARY, "visits": 2})


def test_the_published_sample_path_is_not_found(handler: ModuleType) -> None:
    status, body = invoke(handler, load_event("multi_region_failover", "alb_request.json"))
    assert status == 404
    assert "/health" in body["message"]
