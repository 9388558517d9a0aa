"""Configuration section `static_site` of each stage in cdk.json."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import AcmCertificateArn, LogRetentionDays

_HOST_NAME = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _host_name(value: str) -> str:
    if not _HOST_NAME.match(value):
        raise ValueError("must be a lower-case DNS name like www.example.com, or null")
    return value


HostName = Annotated[str, AfterValidator(_host_name)]


class StaticSiteConfig(LabSection):
    """Lab 5: S3 + CloudFront with Origin Access Control.

    The guide's cache figures are the defaults: versioned assets (files under /assets/
    whose names carry a hash of their content) 24 hours by default and at most 7 days;
    pages (HTML) only minutes, so an edit shows soon even without an invalidation.
    """

    price_class: Literal["PriceClass_100", "PriceClass_200", "PriceClass_All"] = Field(
        description="CloudFront edge locations: 100 = North America, Europe, Israel (cheapest); All = every one"
    )
    html_ttl_seconds: int = Field(ge=0, le=3600, description="how long CloudFront caches pages (HTML)")
    asset_default_ttl_hours: int = Field(ge=1, le=168, description="default cache time of versioned /assets/* files")
    asset_max_ttl_days: int = Field(ge=1, le=365, description="longest cache time of versioned /assets/* files")
    domain_name: HostName | None = Field(
        default=None, description="custom domain (with certificate_arn); null: the *.cloudfront.net name"
    )
    certificate_arn: AcmCertificateArn | None = Field(
        default=None, description="ACM certificate in us-east-1 for domain_name: enables the TLS 1.2 policy"
    )
    access_log_days: int = Field(ge=1, le=3650, description="days CloudFront and S3 access logs are kept")
    log_retention_days: LogRetentionDays = Field(description="days of the deployment function's logs")

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {
        "domain_name": "www.example.com",
        "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
    }

    @model_validator(mode="after")
    def _fits_together(self) -> StaticSiteConfig:
        if (self.domain_name is None) != (self.certificate_arn is None):
            present = "domain_name" if self.domain_name is not None else "certificate_arn"
            absent = "certificate_arn" if present == "domain_name" else "domain_name"
            raise FieldError(absent, None, f"must be set together with {present} (a custom domain needs both)")
        if self.certificate_arn is not None and ":acm:us-east-1:" not in self.certificate_arn:
            raise FieldError(
                "certificate_arn",
                self.certificate_arn,
                "must be in us-east-1: CloudFront only uses ACM certificates from that region",
            )
        if self.asset_max_ttl_days * 24 < self.asset_default_ttl_hours:
            raise FieldError(
                "asset_max_ttl_days",
                self.asset_max_ttl_days,
                f"must be at least asset_default_ttl_hours ({self.asset_default_ttl_hours} h)",
            )
        return self
