"""The multi_region_failover section: the guide's defaults, and one-line errors for what cannot work."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from stacks.config import ConfigError, load_stage_config
from stacks.labs import lab_named
from stacks.multi_region_failover.config import MultiRegionFailoverConfig
from tests.harness import stage_context

LAB = lab_named("multi-region-failover")
EU_CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


def with_section(stage: str, **changes: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context(stage))
    context["stages"][stage]["multi_region_failover"].update(changes)
    return context


@pytest.mark.parametrize("stage", ["sandbox", "prod"])
def test_the_guides_figures_are_the_defaults(stage: str) -> None:
    section = load_stage_config(stage_context(stage)).section(MultiRegionFailoverConfig)
    assert (section.primary_region, section.secondary_region) == ("us-east-1", "eu-west-1")
    assert (section.health_check_interval_seconds, section.health_check_failure_threshold) == (30, 3)
    assert section.record_fqdn == "www.failover-lab.example.com"
    assert LAB.regions(section) == ("us-east-1", "eu-west-1")


def test_the_regions_come_from_the_section() -> None:
    section = load_stage_config(with_section("sandbox", primary_region="eu-central-1", secondary_region="us-west-2"))
    regions = LAB.stack_regions(section.sections["multi_region_failover"])
    assert regions == {
        "MultiRegionFailoverPrimary": "eu-central-1",
        "MultiRegionFailoverSecondary": "us-west-2",
        "MultiRegionFailover": "eu-central-1",
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"secondary_region": "us-east-1"},
            'multi_region_failover.secondary_region = "us-east-1": must differ from primary_region (us-east-1)',
        ),
        (
            {"primary_certificate_arn": EU_CERTIFICATE},
            "must be a certificate in us-east-1, the region of its load balancer",
        ),
        ({"health_check_interval_seconds": 20}, "health_check_interval_seconds = 20: must be one of 10, 30"),
        (
            {"zone_name": "Example.COM."},
            "must be a lower-case DNS name like failover-lab.example.com (no trailing dot)",
        ),
        ({"record_name": "www.app"}, "must be one lower-case DNS label like www"),
        ({"primary_region": "us-east"}, "must be an AWS region name like us-east-1"),
    ],
)
def test_bad_values_are_one_line(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_stage_config(with_section("sandbox", **changes))
    assert message in str(error.value)
    assert "\n" not in str(error.value)
