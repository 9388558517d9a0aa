"""Configuration section `three_tier` of each stage in cdk.json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import AcmCertificateArn, InstanceTypeName, LogRetentionDays, private_cidr

# The lab's fixed shape, shared by the stack and its cost model: 2 Availability Zones
# (the guide's diagram: AZ a and AZ b) and the AL2023 AMI's own 8 GiB root volumes.
AZ_COUNT = 2
ROOT_VOLUME_GIB = 8


class ThreeTierConfig(LabSection):
    """Lab 1: VPC with ALB -> EC2 Auto Scaling -> RDS MySQL.

    `nat_instance_type` is the NAT instance's type when `nat_type` is "instance"
    (a Graviton t4g.nano is the cheapest that routes a lab's traffic) and must be
    null (or absent) when `nat_type` is "gateway".
    """

    vpc_cidr: private_cidr(16, 16) = Field(  # type: ignore[valid-type]
        description="VPC range, a private /16; subnets get the guide's .1/.2, .11/.12, .21/.22 /24s"
    )
    nat_type: Literal["instance", "gateway"] = Field(
        description='`"instance"`: one cheap NAT instance; `"gateway"`: NAT gateways with Elastic IPs'
    )
    nat_count: int = Field(description="NATs for the app subnets, at most one per AZ (the lab uses 2 AZs)")
    nat_instance_type: InstanceTypeName | None = Field(
        default=None, description='NAT instance type; null when `nat_type` is `"gateway"`'
    )
    instance_type: InstanceTypeName = Field(description="web server instance type")
    asg_min_capacity: int = Field(ge=0, le=10, description="Auto Scaling group minimum")
    asg_max_capacity: int = Field(ge=1, le=10, description="Auto Scaling group maximum")
    target_cpu_percent: int = Field(ge=10, le=90, description="target tracking on average CPU (the guide: 50)")
    scheduled_scaling: bool = Field(description="the guide's weekday schedule: a higher minimum 08:00-20:00")
    certificate_arn: AcmCertificateArn | None = Field(
        default=None, description="ACM certificate: HTTPS + HTTP->HTTPS redirect; null: HTTP only"
    )
    db_instance_type: InstanceTypeName = Field(description="RDS instance class, without the `db.` prefix")
    db_multi_az: bool = Field(description="a standby in the second AZ")
    db_allocated_storage_gib: int = Field(ge=20, le=1000, description="gp3 database storage")
    db_backup_retention_days: int = Field(ge=1, le=35, description="days of automated backups")
    log_retention_days: LogRetentionDays = Field(description="days of VPC flow logs and ALB access logs")

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {
        "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        "scheduled_scaling": True,
        "db_multi_az": True,
    }
    ALL_OPTIONS_EXEMPT: ClassVar[Mapping[str, str]] = {
        "nat_instance_type": "tied to nat_type: set with an instance NAT (sandbox), null with gateways (prod)",
    }

    @property
    def busy_min_capacity(self) -> int:
        """Weekday-daytime minimum for scheduled scaling: twice the minimum, within max (prod: 2 -> 4)."""
        return min(max(1, 2 * self.asg_min_capacity), self.asg_max_capacity)

    @model_validator(mode="after")
    def _fits_together(self) -> ThreeTierConfig:
        if not 1 <= self.nat_count <= AZ_COUNT:
            raise FieldError(
                "nat_count",
                self.nat_count,
                f"must be 1 to {AZ_COUNT}: at most one NAT per Availability Zone, and this lab uses {AZ_COUNT} AZs",
            )
        if self.asg_min_capacity > self.asg_max_capacity:
            raise FieldError(
                "asg_min_capacity",
                self.asg_min_capacity,
                f"must not exceed asg_max_capacity ({self.asg_max_capacity})",
            )
        if self.nat_type == "instance" and self.nat_count != 1:
            raise FieldError("nat_count", self.nat_count, 'must be 1 when nat_type is "instance"')
        if self.nat_type == "instance" and self.nat_instance_type is None:
            raise FieldError(
                "nat_instance_type", None, 'must be an EC2 instance type like t4g.nano when nat_type is "instance"'
            )
        if self.nat_type == "gateway" and self.nat_instance_type is not None:
            raise FieldError(
                "nat_instance_type",
                self.nat_instance_type,
                'must be null when nat_type is "gateway" (a NAT gateway has no instance type)',
            )
        return self
