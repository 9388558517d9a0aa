"""Stage values that make no sense for the three-tier lab stop the synth with one line naming the key."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from stacks.config import ConfigError, load_stage_config
from stacks.three_tier.config import ThreeTierConfig
from tests.harness import stage_context

KEY = "stages.sandbox.three_tier"
_ABSENT = object()  # marks a key to delete, as the CDK CLI does with a null value


def sandbox_with(**changes: Any) -> dict[str, Any]:
    context = copy.deepcopy(stage_context("sandbox"))
    section = context["stages"]["sandbox"]["three_tier"]
    for key, value in changes.items():
        if value is _ABSENT:
            section.pop(key)
        else:
            section[key] = value
    return context


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"nat_type": "gateway", "nat_count": 3, "nat_instance_type": None},
            f"invalid configuration: {KEY}.nat_count = 3: must be 1 to 2: at most one NAT per "
            "Availability Zone, and this lab uses 2 AZs",
        ),
        (
            {"asg_min_capacity": 3, "asg_max_capacity": 2},
            f"invalid configuration: {KEY}.asg_min_capacity = 3: must not exceed asg_max_capacity (2)",
        ),
        (
            {"instance_type": "t3micro"},
            f'invalid configuration: {KEY}.instance_type = "t3micro": must be an EC2 instance type like '
            "t3.micro or t4g.small (family.size, no 'db.' prefix)",
        ),
        (
            {"db_instance_type": "db.t3.micro"},
            f'invalid configuration: {KEY}.db_instance_type = "db.t3.micro": must be an EC2 instance type like '
            "t3.micro or t4g.small (family.size, no 'db.' prefix)",
        ),
        (
            {"nat_count": 2},
            f'invalid configuration: {KEY}.nat_count = 2: must be 1 when nat_type is "instance"',
        ),
        (
            {"nat_instance_type": _ABSENT},
            f"invalid configuration: {KEY}.nat_instance_type = null: must be an EC2 instance type like "
            't4g.nano when nat_type is "instance"',
        ),
        (
            {"nat_type": "gateway"},
            f'invalid configuration: {KEY}.nat_instance_type = "t4g.nano": must be null when nat_type is '
            '"gateway" (a NAT gateway has no instance type)',
        ),
        (
            {"vpc_cidr": "10.0.0.0/24"},
            f'invalid configuration: {KEY}.vpc_cidr = "10.0.0.0/24": must be a private IPv4 CIDR '
            "(10/8, 172.16/12 or 192.168/16) with a /16-/16 prefix",
        ),
    ],
    ids=[
        "more-nats-than-azs",
        "asg-min-above-max",
        "malformed-instance-type",
        "db-prefix-in-db-instance-type",
        "two-nat-instances",
        "nat-instance-without-type",
        "gateway-with-instance-type",
        "vpc-not-a-16",
    ],
)
def test_bad_three_tier_values_raise_one_line_naming_the_key(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=f"^{re.escape(message)}$") as raised:
        load_stage_config(sandbox_with(**changes))

    assert "\n" not in str(raised.value)


def test_gateway_stage_may_omit_the_nat_instance_type() -> None:
    # The CDK CLI drops null values from context, so prod's null arrives as an absent key.
    context = copy.deepcopy(stage_context("prod"))
    context["stages"]["prod"]["three_tier"].pop("nat_instance_type")

    assert load_stage_config(context).section(ThreeTierConfig).nat_instance_type is None


def test_both_stages_load_as_committed() -> None:
    sandbox = load_stage_config(stage_context("sandbox")).section(ThreeTierConfig)
    prod = load_stage_config(stage_context("prod")).section(ThreeTierConfig)

    assert (sandbox.nat_type, sandbox.nat_count, sandbox.nat_instance_type) == ("instance", 1, "t4g.nano")
    assert (prod.nat_type, prod.nat_count, prod.nat_instance_type) == ("gateway", 2, None)
