"""Configuration section `serverless_api` of each stage in cdk.json."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, Strict, model_validator

from stacks.config import FieldError, LabSection
from stacks.config_types import EmailAddress, LogRetentionDays, unique_items

# A browser origin: scheme, host and optional port, nothing else (no path, no wildcard).
_ORIGIN = re.compile(r"^https://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$|^http://localhost(:[0-9]{1,5})?$")


def _origin(value: str) -> str:
    if not _ORIGIN.fullmatch(value):
        raise ValueError("each origin must be https://host[:port] (lowercase, no path) or http://localhost[:port]")
    return value


Origin = Annotated[str, Strict(), AfterValidator(_origin)]


class ServerlessApiConfig(LabSection):
    """Lab 4: API Gateway REST (regional, Lambda proxy) -> Lambda -> DynamoDB.

    The stage throttle applies to every caller together (the guide's sandbox figure:
    10 requests per second, bursts of 20); with `api_key` on, the usage plan applies the
    same limits to each key and adds the daily quota.
    """

    function_memory_mb: int = Field(ge=128, le=3008, description="function memory (CPU grows with it)")
    function_timeout_seconds: int = Field(
        ge=3, le=29, description="function timeout; API Gateway stops waiting after 29 s"
    )
    throttle_rate_per_second: int = Field(ge=1, le=10_000, description="stage throttle: steady requests per second")
    throttle_burst: int = Field(ge=1, le=5_000, description="stage throttle: burst (token bucket size)")
    p99_latency_alarm_ms: int = Field(
        ge=50, le=29_000, description="alarm when the stage's p99 latency stays above this (ms)"
    )
    log_retention_days: LogRetentionDays = Field(description="days of function, access and execution logs")
    cors_allow_origins: Annotated[
        tuple[Origin, ...], Field(strict=False, max_length=10), AfterValidator(unique_items)
    ] = Field(default=(), description="browser origins allowed to call the API (CORS); empty: none")
    api_key: bool = Field(default=False, description="require an API key (x-api-key) with a usage plan per key")
    api_key_daily_quota: int | None = Field(
        default=None, ge=1, le=100_000_000, description="requests per key per day, with api_key; null: no quota"
    )
    waf: bool = Field(
        default=False, description="AWS WAF: per-IP rate rule + AWS managed core and known-bad-inputs rules"
    )
    waf_rate_limit_per_5_minutes: int = Field(
        ge=10, le=2_000_000_000, description="WAF: requests per IP per 5 minutes before it blocks (the guide: 2000)"
    )
    account_logging_role: bool = Field(
        description="set API Gateway's account-wide CloudWatch Logs role in this region (access logs need one)"
    )
    alarm_email: EmailAddress | None = Field(
        default=None, description="e-mail for the alarms; null: no subscriber (synth warns)"
    )

    ALL_OPTIONS: ClassVar[Mapping[str, Any]] = {
        "cors_allow_origins": ["https://app.example.com", "http://localhost:5173"],
        "api_key": True,
        "api_key_daily_quota": 10_000,
        "waf": True,
        "account_logging_role": True,
        "alarm_email": "ops@example.com",
    }

    @model_validator(mode="after")
    def _fits_together(self) -> ServerlessApiConfig:
        if self.throttle_burst < self.throttle_rate_per_second:
            raise FieldError(
                "throttle_burst",
                self.throttle_burst,
                f"must be at least throttle_rate_per_second ({self.throttle_rate_per_second}): "
                "a bucket smaller than one second of the steady rate throttles the steady rate itself",
            )
        if self.api_key_daily_quota is not None and not self.api_key:
            raise FieldError(
                "api_key_daily_quota", self.api_key_daily_quota, "needs api_key: true (a quota is per key)"
            )
        return self
