"""The study guide's fixed subnet address plan, as an `ec2.IIpAddresses` that `ec2.Vpc` accepts."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

import jsii
from aws_cdk import aws_ec2 as ec2

SUBNET_PREFIX = 24


@jsii.implements(ec2.IIpAddresses)
class GuideAddressPlan:
    """Gives every subnet group a fixed block of /24s, one per Availability Zone.

    CDK's default allocator (`IpAddresses.cidr`) packs subnets from the start of the
    VPC range (10.0.0.0/24, 10.0.1.0/24, ...), so a template would not match the
    guide's diagram. This plan maps a subnet group and an AZ index straight to the
    guide's address: with `group_octets={"Public": 1, "PrivateApp": 11, "PrivateDb": 21}`
    and `vpc_cidr="10.0.0.0/16"`, AZ a gets 10.0.1.0/24, 10.0.11.0/24, 10.0.21.0/24
    and AZ b gets 10.0.2.0/24, 10.0.12.0/24, 10.0.22.0/24.

    Because it is an `IIpAddresses`, `ec2.Vpc` still builds the route tables, the
    internet gateway, the NATs and the endpoints around these subnets.

    Defaults and limits:
    - Every subnet is a /24 (a `cidr_mask` other than 24 is an error).
    - The `vpc_cidr` prefix must be /16 to /23 so that the /24 blocks exist.
    - The groups' blocks must not overlap for the number of AZs the VPC asks for:
      with bases 1, 11, 21 up to 10 AZs fit; more is an error, never a silent overlap.
    - An unknown subnet group name is an error: each group's place is deliberate.
    """

    def __init__(self, vpc_cidr: str, *, group_octets: Mapping[str, int]) -> None:
        self._network = ipaddress.IPv4Network(vpc_cidr, strict=True)
        if not 16 <= self._network.prefixlen < SUBNET_PREFIX:
            raise ValueError(f"GuideAddressPlan: vpc_cidr {vpc_cidr} must have a /16 to /23 prefix")
        if not group_octets:
            raise ValueError("GuideAddressPlan: group_octets must name at least one subnet group")
        self._group_octets = dict(group_octets)
        self._block_count = 2 ** (SUBNET_PREFIX - self._network.prefixlen)
        for group, base in self._group_octets.items():
            if not 0 <= base < self._block_count:
                raise ValueError(f"GuideAddressPlan: group {group} starts at block {base}, outside {vpc_cidr}")

    @property
    def vpc_cidr(self) -> str:
        return str(self._network)

    def subnet_cidr(self, group: str, az_index: int) -> str:
        """The /24 of subnet group `group` in the AZ at `az_index` (0 = first AZ)."""
        if group not in self._group_octets:
            known = ", ".join(sorted(self._group_octets))
            raise ValueError(f"GuideAddressPlan: no address block for subnet group {group!r} (known: {known})")
        block = self._group_octets[group] + az_index
        if az_index < 0 or block >= self._block_count:
            raise ValueError(f"GuideAddressPlan: AZ index {az_index} of group {group} falls outside {self._network}")
        # The n-th /24 of the VPC range: for 10.0.0.0/16 that is 10.0.n.0/24.
        first = int(self._network.network_address) + block * 2 ** (32 - SUBNET_PREFIX)
        return str(ipaddress.IPv4Network((first, SUBNET_PREFIX)))

    def cidrs_for(self, group: str, az_count: int) -> list[str]:
        """Every /24 of one subnet group, AZ by AZ."""
        return [self.subnet_cidr(group, index) for index in range(az_count)]

    # -- ec2.IIpAddresses ------------------------------------------------------------
    def allocate_vpc_cidr(self) -> ec2.VpcIpamOptions:
        return ec2.VpcIpamOptions(cidr_block=str(self._network))

    def allocate_subnets_cidr(
        self, *, requested_subnets: Sequence[ec2.RequestedSubnet | dict[str, Any]], vpc_cidr: str
    ) -> ec2.SubnetIpamOptions:
        # `vpc_cidr` arrives as the VPC's CidrBlock token; our own range is the plan.
        del vpc_cidr
        requests = [r if isinstance(r, ec2.RequestedSubnet) else ec2.RequestedSubnet(**r) for r in requested_subnets]
        az_order: list[str] = []
        for request in requests:
            if request.availability_zone not in az_order:
                az_order.append(request.availability_zone)
        self._check_no_overlap(len(az_order))
        allocated = []
        for request in requests:
            configuration = request.configuration
            mask = configuration.cidr_mask
            if mask is not None and mask != SUBNET_PREFIX:
                raise ValueError(
                    f"GuideAddressPlan: subnet group {configuration.name} asks for /{mask}; the plan is /24"
                )
            index = az_order.index(request.availability_zone)
            allocated.append(ec2.AllocatedSubnet(cidr=self.subnet_cidr(configuration.name, index)))
        # ec2.Vpc pairs the answers with its requests by position.
        return ec2.SubnetIpamOptions(allocated_subnets=allocated)

    def _check_no_overlap(self, az_count: int) -> None:
        owner: dict[int, str] = {}
        for group, base in self._group_octets.items():
            for block in range(base, base + az_count):
                if block in owner:
                    raise ValueError(
                        f"GuideAddressPlan: with {az_count} AZs, groups {owner[block]} and {group} "
                        f"would share block {block}"
                    )
                owner[block] = group
