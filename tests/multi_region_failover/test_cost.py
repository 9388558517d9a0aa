"""The lab's cost model: both regions' ALBs and addresses, the health check, the zone, in numbers."""

from __future__ import annotations

import pytest

from stacks.config import load_stage_config
from stacks.cost_model import total
from stacks.multi_region_failover import cost
from stacks.multi_region_failover.config import MultiRegionFailoverConfig
from tests.harness import stage_context


def section(**changes: object) -> MultiRegionFailoverConfig:
    base = load_stage_config(stage_context("sandbox")).section(MultiRegionFailoverConfig)
    return base.model_copy(update=changes)


def lines(config: MultiRegionFailoverConfig) -> dict[str, float]:
    return {line.item: line.usd for line in cost.monthly_lines(config)}


def test_two_albs_and_four_public_addresses_for_a_month() -> None:
    found = lines(section())
    assert found["Application Load Balancers (2 regions)"] == pytest.approx(2 * 0.0225 * 730)
    assert found["Public IPv4 addresses (2 per ALB)"] == pytest.approx(4 * 0.005 * 730)
    assert found["Route 53 health check (AWS endpoint)"] == pytest.approx(0.50)
    assert found["Route 53 hosted zone"] == pytest.approx(0.50)
    assert found["Route 53 queries"] == 0.0  # alias queries to an ALB are free


def test_https_and_the_fast_interval_are_billed_options() -> None:
    assert lines(section())["Route 53 health check options (HTTPS, 10 s)"] == 0
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    both = lines(section(health_check_interval_seconds=10, primary_certificate_arn=arn))
    assert both["Route 53 health check options (HTTPS, 10 s)"] == pytest.approx(2.00)


def test_the_fast_interval_triples_the_health_check_invocations() -> None:
    slow = lines(section())["Lambda requests (health checks)"]
    fast = lines(section(health_check_interval_seconds=10))["Lambda requests (health checks)"]
    assert fast > 2.5 * slow


def test_the_idle_month_is_dominated_by_the_load_balancers() -> None:
    month = cost.monthly_lines(section())
    assert 45 < total(month) < 60
    assert isinstance(cost.NOT_COUNTED, str)
