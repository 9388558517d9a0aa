"""Configuration section `multi_region_failover` of each stage in cdk.json."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import AcmCertificateArn, EmailAddress, LogRetentionDays, RegionName

_ZONE_NAME = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def _zone_name(value: str) -> str:
    if not _ZONE_NAME.match(value):
        raise ValueError("must be a lower-case DNS name like failover-lab.example.com (no trailing dot)")
    return value


def _label(value: str) -> str:
    if not _LABEL.match(value):
        raise ValueError("must be one lower-case DNS label like www (letters, digits, hyphens)")
    return value


_EXAMPLE_UUID = "11111111-2222-3333-4444-555555555555"
ZoneName = Annotated[str, AfterValidator(_zone_name)]
RecordLabel = Annotated[str, AfterValidator(_label)]


class MultiRegionFailoverConfig(LabSection):
    """Lab 11: Route 53 failover between an ALB + Lambda in each of two regions.

    The guide's figures are the defaults: primary us-east-1, secondary eu-west-1, a health
    check every 30 s that fails the primary after 3 failed checks in a row.
    """

    primary_region: RegionName = Field(description="region of the primary (active) stack and of the DNS stack")
    secondary_region: RegionName = Field(description="region of the secondary (passive) stack and the table replica")
    zone_name: ZoneName = Field(
        description="public hosted zone to create; no registered domain needed: verify asks its own name servers"
    )
    record_name: RecordLabel = Field(description="the failover record's name in the zone (the guide's www)")
    health_check_interval_seconds: Literal[10, 30] = Field(
        description="Route 53 health check interval: 30 (standard) or 10 (fast, billed extra)"
    )
    health_check_failure_threshold: int = Field(
        ge=1, le=10, description="consecutive failed checks before Route 53 serves the secondary"
    )
    down_switch_cache_seconds: int = Field(
        ge=0, le=60, description="how long the function keeps the SSM 'down' switch it read (fewer SSM calls)"
    )
    primary_certificate_arn: AcmCertificateArn | None = Field(
        default=None, description="ACM certificate in the primary region: HTTPS listener and HTTPS health check"
    )
    secondary_certificate_arn: AcmCertificateArn | None = Field(
        default=None, description="ACM certificate in the secondary region: HTTPS listener"
    )
    function_memory_mb: int = Field(ge=128, le=3008, description="memory of each region's function")
    access_log_days: int = Field(ge=1, le=3650, description="days the ALB access logs are kept in each region")
    log_retention_days: LogRetentionDays = Field(description="days of function logs")
    alarm_email: EmailAddress | None = Field(
        default=None, description="e-mail for both regions' alarms; null: no subscriber (synth warns)"
    )

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {
        "primary_certificate_arn": f"arn:aws:acm:us-east-1:123456789012:certificate/{_EXAMPLE_UUID}",
        "secondary_certificate_arn": f"arn:aws:acm:eu-west-1:123456789012:certificate/{_EXAMPLE_UUID}",
        "alarm_email": "ops@example.com",
    }

    @property
    def record_fqdn(self) -> str:
        return f"{self.record_name}.{self.zone_name}"

    @model_validator(mode="after")
    def _fits_together(self) -> MultiRegionFailoverConfig:
        if self.secondary_region == self.primary_region:
            raise FieldError(
                "secondary_region", self.secondary_region, f"must differ from primary_region ({self.primary_region})"
            )
        # An ALB takes only a certificate of its own region (ACM certificates are regional).
        for field, region in (
            ("primary_certificate_arn", self.primary_region),
            ("secondary_certificate_arn", self.secondary_region),
        ):
            arn = getattr(self, field)
            if arn is not None and arn.split(":")[3] != region:
                raise FieldError(field, arn, f"must be a certificate in {region}, the region of its load balancer")
        return self
