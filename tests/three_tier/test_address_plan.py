"""GuideAddressPlan: the guide's /24s per subnet group and AZ, and ec2.Vpc accepting it."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from stacks.three_tier.address_plan import GuideAddressPlan
from tests.harness import resources_of_type

GUIDE = {"Public": 1, "PrivateApp": 11, "PrivateDb": 21}


def requested(group: str, subnet_type: ec2.SubnetType, az: str, *, mask: int | None = 24) -> ec2.RequestedSubnet:
    return ec2.RequestedSubnet(
        availability_zone=az,
        subnet_construct_id=f"{group}Subnet",
        configuration=ec2.SubnetConfiguration(name=group, subnet_type=subnet_type, cidr_mask=mask),
    )


def test_guide_diagram_addresses_for_each_group_and_az() -> None:
    plan = GuideAddressPlan("10.0.0.0/16", group_octets=GUIDE)

    assert plan.cidrs_for("Public", 2) == ["10.0.1.0/24", "10.0.2.0/24"]
    assert plan.cidrs_for("PrivateApp", 2) == ["10.0.11.0/24", "10.0.12.0/24"]
    assert plan.cidrs_for("PrivateDb", 2) == ["10.0.21.0/24", "10.0.22.0/24"]


def test_addresses_follow_another_vpc_range() -> None:
    plan = GuideAddressPlan("172.20.0.0/16", group_octets=GUIDE)

    assert plan.vpc_cidr == "172.20.0.0/16"
    assert plan.subnet_cidr("PrivateApp", 1) == "172.20.12.0/24"


def test_allocation_answers_each_request_in_order_by_az_position() -> None:
    # Given requests as ec2.Vpc sends them: group by group, AZ by AZ (AZs arrive as tokens)
    plan = GuideAddressPlan("10.0.0.0/16", group_octets=GUIDE)
    requests = [
        requested("Public", ec2.SubnetType.PUBLIC, "${Token[AZ0]}"),
        requested("Public", ec2.SubnetType.PUBLIC, "${Token[AZ1]}"),
        requested("PrivateDb", ec2.SubnetType.PRIVATE_ISOLATED, "${Token[AZ0]}"),
        requested("PrivateDb", ec2.SubnetType.PRIVATE_ISOLATED, "${Token[AZ1]}"),
    ]

    # When
    answer = plan.allocate_subnets_cidr(requested_subnets=requests, vpc_cidr="${Token[VpcCidr]}")

    # Then
    assert [subnet.cidr for subnet in answer.allocated_subnets] == [
        "10.0.1.0/24",
        "10.0.2.0/24",
        "10.0.21.0/24",
        "10.0.22.0/24",
    ]
    assert plan.allocate_vpc_cidr().cidr_block == "10.0.0.0/16"


def test_unknown_group_is_an_error_not_a_guess() -> None:
    plan = GuideAddressPlan("10.0.0.0/16", group_octets=GUIDE)

    with pytest.raises(ValueError, match="no address block for subnet group 'Cache'"):
        plan.allocate_subnets_cidr(
            requested_subnets=[requested("Cache", ec2.SubnetType.PRIVATE_ISOLATED, "az-a")], vpc_cidr="x"
        )


def test_other_mask_is_an_error() -> None:
    plan = GuideAddressPlan("10.0.0.0/16", group_octets=GUIDE)

    with pytest.raises(ValueError, match="asks for /20; the plan is /24"):
        plan.allocate_subnets_cidr(
            requested_subnets=[requested("Public", ec2.SubnetType.PUBLIC, "a", mask=20)], vpc_cidr="x"
        )


def test_too_many_azs_for_the_blocks_is_an_error_not_an_overlap() -> None:
    # Blocks 1 and 3 collide as soon as a group needs three AZs.
    plan = GuideAddressPlan("10.0.0.0/16", group_octets={"Public": 1, "PrivateApp": 3})
    azs = ["a", "b", "c"]

    with pytest.raises(ValueError, match="groups Public and PrivateApp would share block 3"):
        plan.allocate_subnets_cidr(
            requested_subnets=[requested("Public", ec2.SubnetType.PUBLIC, az) for az in azs], vpc_cidr="x"
        )


@pytest.mark.parametrize("cidr", ["10.0.0.0/24", "10.0.0.0/8"])
def test_vpc_range_must_hold_the_24s(cidr: str) -> None:
    with pytest.raises(ValueError, match="must have a /16 to /23 prefix"):
        GuideAddressPlan(cidr, group_octets=GUIDE)


def test_ec2_vpc_builds_its_subnets_from_the_plan() -> None:
    """One small App (a VPC only, no NAT): proves the jsii callback path that ec2.Vpc uses."""
    app = cdk.App()
    stack = cdk.Stack(app, "PlanProbe")
    ec2.Vpc(
        stack,
        "Vpc",
        ip_addresses=GuideAddressPlan("10.0.0.0/16", group_octets=GUIDE),
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
            ec2.SubnetConfiguration(name="PrivateDb", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24),
        ],
        restrict_default_security_group=False,
    )

    template = dict(Template.from_stack(stack).to_json())

    (vpc,) = resources_of_type(template, "AWS::EC2::VPC").values()
    assert vpc["Properties"]["CidrBlock"] == "10.0.0.0/16"
    cidrs = sorted(s["Properties"]["CidrBlock"] for s in resources_of_type(template, "AWS::EC2::Subnet").values())
    assert cidrs == ["10.0.1.0/24", "10.0.2.0/24", "10.0.21.0/24", "10.0.22.0/24"]
